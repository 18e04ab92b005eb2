import {expect} from 'chai'
import {readFileSync, truncateSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
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
    index.close()
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
    index.close()
  })

  it('writes 8-byte entries (relative offset, position) that a reopen reads back', () => {
    const path = join(tempDir(), 'a.index')
    const {index, entries} = filledIndex(path, 20)
    index.close()
    const bytes = readFileSync(path)
    expect(bytes.length).to.equal(160)
    expect(bytes.readUInt32BE(0)).to.equal((entries[0] as {offset: number}).offset - base)
    expect(bytes.readUInt32BE(4)).to.equal((entries[0] as {position: number}).position)
    const reopened = OffsetIndex.open(nodeFileSystem, path, base)
    expect(reopened.entryCount).to.equal(20)
    expect(reopened.lastEntry()).to.deep.equal(entries[19])
    expect(reopened.isConsistentWith(10_000_000)).to.equal(true)
    reopened.close()
  })

  it('is inconsistent when missing, torn, zeroed, out of order or pointing past the log', () => {
    const dir = tempDir()
    const path = join(dir, 'a.index')
    const {index, entries} = filledIndex(path, 10)
    index.close()
    const logSize = (entries[9] as {position: number}).position + 1
    const check = (): boolean => {
      const reopened = OffsetIndex.open(nodeFileSystem, path, base)
      const consistent = reopened.isConsistentWith(logSize)
      reopened.close()
      return consistent
    }
    expect(check()).to.equal(true)
    const shorterLog = OffsetIndex.open(nodeFileSystem, path, base)
    expect(shorterLog.isConsistentWith(logSize - 1), 'points past the log').to.equal(false)
    shorterLog.close()
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
    index.close()
    expect(readFileSync(path).length).to.equal(16)
  })
})
