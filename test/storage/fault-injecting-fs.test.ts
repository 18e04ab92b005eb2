import {expect} from 'chai'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {FaultInjectingFs, SimulatedCrashError} from '../../src/storage/fault-injecting-fs.js'
import {writeFully} from '../../src/storage/fs.js'
import {expectRejection} from './expect-rejection.js'
import {useTempDirs} from './temp-dirs.js'

describe('FaultInjectingFs', () => {
  const tempDir = useTempDirs()

  it('fails the next sync only', async () => {
    const fs = new FaultInjectingFs()
    const fd = fs.open(join(tempDir(), 'f'), 'w')
    fs.failNextSync()
    const error = await expectRejection(fs.datasync(fd), Error, 'the failing sync')
    expect((error as NodeJS.ErrnoException).code).to.equal('EIO')
    await fs.datasync(fd)
    expect(fs.stats.syncs).to.equal(2)
    fs.close(fd)
  })

  it('tears the next write after the bytes asked for', () => {
    const fs = new FaultInjectingFs()
    const path = join(tempDir(), 'f')
    const fd = fs.open(path, 'w')
    fs.tearNextWrite(3)
    expect(() => writeFully(fs, fd, Buffer.from('abcdef'), 0)).to.throw(/ENOSPC/)
    writeFully(fs, fd, Buffer.from('XY'), 10)
    fs.close(fd)
    expect(readFileSync(path)).to.deep.equal(Buffer.from('abc\0\0\0\0\0\0\0XY'))
  })

  it('crashes at byte N: the write lands partly, descriptors close, every later call fails', () => {
    const fs = new FaultInjectingFs()
    const path = join(tempDir(), 'f')
    const fd = fs.open(path, 'w')
    fs.crashAfterBytes(5)
    writeFully(fs, fd, Buffer.from('abc'), 0)
    expect(() => writeFully(fs, fd, Buffer.from('defgh'), 3)).to.throw(SimulatedCrashError)
    expect(fs.hasCrashed).to.equal(true)
    expect(readFileSync(path).toString()).to.equal('abcde')
    expect(() => fs.exists(path)).to.throw(SimulatedCrashError)
  })

  it('fails the next open of a matching path only, and counts descriptors open now and at most', () => {
    const fs = new FaultInjectingFs()
    const dir = tempDir()
    const log = fs.open(join(dir, 'a.log'), 'w')
    fs.failNextOpenOf('.index')
    expect(() => fs.open(join(dir, 'a.index'), 'w')).to.throw(/EMFILE/)
    const index = fs.open(join(dir, 'a.index'), 'w')
    expect(fs.stats).to.include({openDescriptors: 2, peakOpenDescriptors: 2})
    fs.close(index)
    fs.close(log)
    expect(fs.stats).to.include({openDescriptors: 0, peakOpenDescriptors: 2})
    expect(fs.fileSize(join(dir, 'a.log'))).to.equal(0)
  })
})
