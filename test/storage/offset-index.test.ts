import {expect} from 'chai'
import {readFileSync, truncateSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {nodeFileSystem} from '../../src/storage/fs.js'
import {OffsetIndex} from '../../src/storage/offset-index.js'
import {seededRandom} from './random.js'
import {useTempDirs} from './temp-dirs.js'

describe('OffsetIndex', () => {
  const tempDir = useTempDirs()
  const base = 1000

  function filledIndex(path: string, count: number): {index: OffsetIndex; entries: {offset: number; position: number}[]} {
    const random = seededRandom(count)
    const index = OffsetIndex.create(nodeFileSystem, path, base)
    const entries: {offset: number; position: number}[] = []
    let offset = base
    let position = 0
    for (let i = 0; i < count; i++) {
      offset += random.between(1, 50)
      position += random.between(100, 9000)
      index.append(offset, position)
      entries.push({offset, position})
    }
    return {index, entries}
  }

  it('looks up the segment start when it has no entries', () => {
    const index = OffsetIndex.create(nodeFileSystem, join(tempDir(), 'a.index'), base)
    expect(index.lookup(5000)).to.deep.equal({offset: base, position: 0})
    index.release()
  })

  it('finds the last entry at or below an offset, as a linear search does', () => {
    const {index, entries} = filledIndex(join(tempDir(), 'a.index'), 500)
    const random = seededRandom(7)
    const last = entries[entries.length - 1] as {offset: number}
    for (let i = 0; i < 2000; i++) {
      const target = random.between(base, last.offset + 100)
      const linear = [...entries].reverse().find((entry) => entry.offset <= target) ?? {offset: base, position: 0}
      expect(index.lookup(target), `offset ${target}`).to.deep.equal(linear)
    }
    index.release()
  })

  it('writes 8-byte entries (relative offset, position) that a reopen reads back', () => {
    const path = join(tempDir(), 'a.index')
    const {index, entries} = filledIndex(path, 20)
    index.release()
    const bytes = readFileSync(path)
    expect(bytes.length).to.equal(160)
    expect(bytes.readUInt32BE(0)).to.equal((entries[0] as {offset: number}).offset - base)
    expect(bytes.readUInt32BE(4)).to.equal((entries[0] as {position: number}).position)
    const reopened = OffsetIndex.load(nodeFileSystem, path, base)
    expect(reopened.entryCount).to.equal(20)
    expect(reopened.lastEntry()).to.deep.equal(entries[19])
    expect(reopened.isConsistentWith(10_000_000)).to.equal(true)
  })

  it('is inconsistent when missing, torn, zeroed, out of order or pointing past the log', () => {
    const dir = tempDir()
    const path = join(dir, 'a.index')
    const {index, entries} = filledIndex(path, 10)
    index.release()
    const logSize = (entries[9] as {position: number}).position + 1
    const check = (): boolean => OffsetIndex.load(nodeFileSystem, path, base).isConsistentWith(logSize)
    expect(check()).to.equal(true)
    expect(OffsetIndex.load(nodeFileSystem, path, base).isConsistentWith(logSize - 1), 'points past the log').to.equal(false)
    const good = readFileSync(path)

    truncateSync(path, 36)
    expect(check(), 'torn').to.equal(false)

    writeFileSync(path, Buffer.alloc(80))
    expect(check(), 'zeroed').to.equal(false)

    const swapped = Buffer.from(good)
    good.copy(swapped, 8, 16, 24)
    good.copy(swapped, 16, 8, 16)
    writeFileSync(path, swapped)
    expect(check(), 'out of order').to.equal(false)

    unlinkSync(path)
    expect(check(), 'missing').to.equal(false)
  })

  it('replaces every entry with a rebuilt set', () => {
    const path = join(tempDir(), 'a.index')
    const {index} = filledIndex(path, 30)
    index.replace([
      {offset: base + 3, position: 4200},
      {offset: base + 9, position: 8500},
    ])
    expect(index.entryCount).to.equal(2)
    expect(index.lookup(base + 8)).to.deep.equal({offset: base + 3, position: 4200})
    index.release()
    expect(readFileSync(path).length).to.equal(16)
  })

  it('holds a descriptor only while held for appends; rewrites and syncs a released index through a passing one', async () => {
    const fs = new FaultInjectingFs()
    const path = join(tempDir(), 'a.index')
    writeFileSync(path, 'a stray file left without its log')
    const index = OffsetIndex.create(fs, path, base)
    expect(readFileSync(path).length, 'a stray file is replaced').to.equal(0)
    index.append(base + 5, 4100)
    expect(fs.stats.openDescriptors).to.equal(1)
    index.release()
    expect(fs.stats.openDescriptors, 'released').to.equal(0)
    expect(() => index.append(base + 9, 8300)).to.throw(/not open for appends/)
    expect(index.lookup(base + 7), 'entries stay in memory').to.deep.equal({offset: base + 5, position: 4100})
    index.replace([{offset: base + 2, position: 300}])
    const syncs = fs.stats.syncs
    await index.flush()
    expect(fs.stats.syncs).to.equal(syncs + 1)
    expect(fs.stats.openDescriptors).to.equal(0)
    expect(fs.stats.peakOpenDescriptors).to.equal(1)
    const loaded = OffsetIndex.load(fs, path, base)
    expect(loaded.lastEntry()).to.deep.equal({offset: base + 2, position: 300})
    expect(fs.stats.openDescriptors, 'loading holds nothing').to.equal(0)
    loaded.hold()
    loaded.append(base + 6, 900)
    loaded.release()
    expect(readFileSync(path).length).to.equal(16)
  })
})
