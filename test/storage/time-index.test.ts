import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {nodeFileSystem} from '../../src/storage/fs.js'
import {TimeIndex, type TimeIndexEntry} from '../../src/storage/time-index.js'
import {seededRandom} from './random.js'
import {useTempDirs} from './temp-dirs.js'

describe('TimeIndex', () => {
  const tempDir = useTempDirs()
  const base = 1000

  function filled(path: string, count: number): {index: TimeIndex; entries: TimeIndexEntry[]} {
    const random = seededRandom(count)
    const index = TimeIndex.create(nodeFileSystem, path, base)
    const entries: TimeIndexEntry[] = []
    let timestamp = 1_700_000_000_000
    let offset = base
    for (let i = 0; i < count; i++) {
      timestamp += random.between(1, 1000)
      offset += random.between(1, 50)
      index.maybeAppend({timestamp, offset})
      entries.push({timestamp, offset})
    }
    return {index, entries}
  }

  it('writes 12-byte big-endian entries (i64 timestamp, u32 relative offset) that a reload reads back', () => {
    const path = join(tempDir(), 'a.timeindex')
    const {index, entries} = filled(path, 30)
    index.release()
    const bytes = readFileSync(path)
    expect(bytes.length).to.equal(360)
    expect(Number(bytes.readBigInt64BE(12))).to.equal(entries[1]?.timestamp)
    expect(bytes.readUInt32BE(20)).to.equal((entries[1]?.offset as number) - base)
    const loaded = TimeIndex.load(nodeFileSystem, path, base)
    expect(loaded.entryCount).to.equal(30)
    expect(loaded.lastEntry()).to.deep.equal(entries[29])
    expect(loaded.isConsistentWith((entries[29]?.offset as number) + 1)).to.equal(true)
  })

  it('keeps only entries whose timestamp grows', () => {
    const index = TimeIndex.create(nodeFileSystem, join(tempDir(), 'a.timeindex'), base)
    index.maybeAppend({timestamp: 10, offset: 1001})
    index.maybeAppend({timestamp: 10, offset: 1005})
    index.maybeAppend({timestamp: 9, offset: 1006})
    index.maybeAppend({timestamp: 11, offset: 1007})
    expect([0, 1].map((i) => index.entry(i))).to.deep.equal([
      {timestamp: 10, offset: 1001},
      {timestamp: 11, offset: 1007},
    ])
    expect(index.entryCount).to.equal(2)
    index.release()
  })

  it('finds the last entry at or below a timestamp, as a linear search does', () => {
    const {index, entries} = filled(join(tempDir(), 'a.timeindex'), 400)
    const random = seededRandom(3)
    for (let i = 0; i < 2000; i++) {
      const target = random.between((entries[0]?.timestamp as number) - 100, (entries.at(-1)?.timestamp as number) + 100)
      const linear = [...entries].reverse().find((entry) => entry.timestamp <= target)
      expect(index.lookup(target), `timestamp ${target}`).to.deep.equal(linear)
    }
    index.release()
  })

  it('is not trusted when cut, out of order, or naming offsets past the segment', () => {
    const path = join(tempDir(), 'a.timeindex')
    const {index, entries} = filled(path, 10)
    index.release()
    const next = (entries.at(-1)?.offset as number) + 1
    const whole = readFileSync(path)
    expect(TimeIndex.load(nodeFileSystem, path, base).isConsistentWith(next - 1), 'names an offset past the end').to.equal(false)
    writeFileSync(path, whole.subarray(0, 50))
    expect(TimeIndex.load(nodeFileSystem, path, base).isConsistentWith(next), 'cut inside an entry').to.equal(false)
    writeFileSync(path, Buffer.alloc(36))
    expect(TimeIndex.load(nodeFileSystem, path, base).isConsistentWith(next), 'zeroed').to.equal(false)
    const swapped = Buffer.concat([whole.subarray(12, 24), whole.subarray(0, 12)])
    writeFileSync(path, swapped)
    expect(TimeIndex.load(nodeFileSystem, path, base).isConsistentWith(next), 'out of order').to.equal(false)
    expect(TimeIndex.load(nodeFileSystem, join(tempDir(), 'absent.timeindex'), base).isConsistentWith(next), 'absent').to.equal(false)
  })
})
