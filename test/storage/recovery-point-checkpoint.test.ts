import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {nodeFileSystem} from '../../src/storage/fs.js'
import {parseCheckpoint, readRecoveryPoints, writeRecoveryPoints} from '../../src/storage/recovery-point-checkpoint.js'
import {useTempDirs} from './temp-dirs.js'

describe('recovery-point checkpoint', () => {
  const tempDir = useTempDirs()

  it('writes Kafka offset-checkpoint text and reads it back', async () => {
    const dataDir = tempDir()
    await writeRecoveryPoints(nodeFileSystem, dataDir, [
      {topic: 'orders', partition: 0, offset: 1200},
      {topic: 'a-b.c', partition: 11, offset: 0},
    ])
    expect(readFileSync(join(dataDir, 'recovery-point-checkpoint'), 'utf8')).to.equal('0\n2\norders 0 1200\na-b.c 11 0\n')
    expect([...readRecoveryPoints(nodeFileSystem, dataDir, () => {})]).to.deep.equal([
      ['orders-0', 1200],
      ['a-b.c-11', 0],
    ])
  })

  it('treats a missing file as no recovery points', () => {
    expect(readRecoveryPoints(nodeFileSystem, tempDir(), () => {}).size).to.equal(0)
  })

  it('says what is wrong with a malformed file, and then trusts none of it', () => {
    expect(parseCheckpoint('1\n0\n')).to.match(/version/)
    expect(parseCheckpoint('0\n2\nt 0 5\n')).to.match(/entry count/)
    expect(parseCheckpoint('0\n1\nt zero 5\n')).to.match(/malformed line/)
    expect(parseCheckpoint('0\n1\nt 0 -5\n')).to.match(/malformed line/)
    expect(parseCheckpoint('0\n0\n')).to.deep.equal([])
    const dataDir = tempDir()
    writeFileSync(join(dataDir, 'recovery-point-checkpoint'), '0\n1\nt 0\n')
    const lines: string[] = []
    expect(readRecoveryPoints(nodeFileSystem, dataDir, (line) => lines.push(line)).size).to.equal(0)
    expect(lines.join('\n')).to.match(/malformed line 't 0'/)
  })
})
