import {expect} from 'chai'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {readAt} from '../../src/storage/fs.js'
import {ReadDescriptorCache} from '../../src/storage/read-descriptor-cache.js'
import {useTempDirs} from './temp-dirs.js'

describe('ReadDescriptorCache', () => {
  const tempDir = useTempDirs()

  /** Files a..e holding their own names. */
  function files(): string[] {
    const dir = tempDir()
    return ['a', 'b', 'c', 'd', 'e'].map((name) => {
      const path = join(dir, name)
      writeFileSync(path, name)
      return path
    })
  }

  const readWith = (cache: ReadDescriptorCache, fs: FaultInjectingFs, path: string): string =>
    cache.use(path, (fd) => readAt(fs, fd, 0, 1).toString())

  it('reads through one descriptor a file, reopening only what it closed', () => {
    const fs = new FaultInjectingFs()
    const cache = new ReadDescriptorCache(fs, 3)
    const [a, b] = files() as [string, string]
    expect([readWith(cache, fs, a), readWith(cache, fs, b), readWith(cache, fs, a)]).to.deep.equal(['a', 'b', 'a'])
    expect(cache.size).to.equal(2)
    expect(fs.stats.peakOpenDescriptors, 'a was opened once').to.equal(2)
  })

  it('keeps at most its capacity open, closing the least recently used first', () => {
    const fs = new FaultInjectingFs()
    const cache = new ReadDescriptorCache(fs, 3)
    const [a, b, c, d] = files() as [string, string, string, string]
    for (const path of [a, b, c, a, d]) readWith(cache, fs, path)
    expect(cache.size).to.equal(3)
    expect(fs.stats).to.include({openDescriptors: 3, peakOpenDescriptors: 3})
    const opensBefore = fs.stats.peakOpenDescriptors
    // b was least recently used: a, c and d are still open, so reading them opens nothing
    fs.failNextOpenOf('/a')
    fs.failNextOpenOf('/c')
    fs.failNextOpenOf('/d')
    expect([a, c, d].map((path) => readWith(cache, fs, path))).to.deep.equal(['a', 'c', 'd'])
    fs.failNextOpenOf('/b')
    expect(() => readWith(cache, fs, b), 'b was closed').to.throw(/EMFILE/)
    expect(fs.stats.peakOpenDescriptors).to.equal(opensBefore)
  })

  it('never closes a descriptor while it is in use, even beyond its capacity', () => {
    const fs = new FaultInjectingFs()
    const cache = new ReadDescriptorCache(fs, 1)
    const [a, b] = files() as [string, string]
    const read = cache.use(a, (outer) => {
      const inner = readWith(cache, fs, b)
      return readAt(fs, outer, 0, 1).toString() + inner
    })
    expect(read).to.equal('ab')
    expect(cache.size).to.equal(1)
    expect(fs.stats.openDescriptors).to.equal(1)
  })

  it('closes what it is told to forget, and everything on closeAll', () => {
    const fs = new FaultInjectingFs()
    const cache = new ReadDescriptorCache(fs, 4)
    const [a, b, c] = files() as [string, string, string]
    for (const path of [a, b, c]) readWith(cache, fs, path)
    cache.forget(b)
    cache.forget(join(tempDir(), 'never-opened'))
    expect(fs.stats.openDescriptors).to.equal(2)
    cache.closeAll()
    expect(fs.stats.openDescriptors).to.equal(0)
    expect(cache.size).to.equal(0)
  })
})
