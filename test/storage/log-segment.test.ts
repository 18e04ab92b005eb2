import {expect} from 'chai'
import {readFileSync, truncateSync, unlinkSync, writeFileSync} from 'node:fs'
import {CorruptionLog} from '../../src/storage/corruption-log.js'
import {CorruptLogError} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {type Fs, nodeFileSystem} from '../../src/storage/fs.js'
import {LogSegment, type SegmentContext} from '../../src/storage/log-segment.js'
import {ReadDescriptorCache} from '../../src/storage/read-descriptor-cache.js'
import {readMaxTimestamp, stampOffsets} from '../../src/storage/stored-batch.js'
import {seededRandom} from './random.js'
import {buildBatch, parseBatch, splitBatches} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

interface Appended {
  baseOffset: number
  lastOffset: number
  position: number
  size: number
}

describe('LogSegment', () => {
  const tempDir = useTempDirs()
  const segments: LogSegment[] = []
  afterEach(() => {
    for (const segment of segments.splice(0)) segment.close()
  })
  const base = 500
  const indexIntervalBytes = 1024

  function contextOf(dir: string, fs: Fs = nodeFileSystem, lines: string[] = []): SegmentContext {
    const logger = (line: string): void => void lines.push(line)
    return {fs, dir, indexIntervalBytes, logger, readers: new ReadDescriptorCache(fs), corruption: new CorruptionLog('t', 0, logger)}
  }

  function track(segment: LogSegment): LogSegment {
    segments.push(segment)
    return segment
  }

  /** A segment holding `count` batches of random sizes (1..5 records of 0..400 bytes). */
  function filledSegment(count: number, seed: number): {segment: LogSegment; appended: Appended[]; dir: string} {
    const dir = tempDir()
    const segment = track(LogSegment.create(contextOf(dir), base))
    const random = seededRandom(seed)
    const appended: Appended[] = []
    let next = base
    for (let i = 0; i < count; i++) {
      const batch = buildBatch(Array.from({length: random.between(1, 5)}, () => 'r'.repeat(random.between(0, 400))))
      const lastOffset = next + batch.readInt32BE(23)
      stampOffsets(batch, next)
      appended.push({baseOffset: next, lastOffset, position: segment.size, size: batch.length})
      segment.append(batch, {baseOffset: next, lastOffset, size: batch.length, maxTimestamp: readMaxTimestamp(batch)})
      next = lastOffset + 1 + random.int(3) // gaps, as compaction will leave
    }
    return {segment, appended, dir}
  }

  /** As filledSegment, closed: only its files remain. */
  function closedSegment(count: number, seed: number): {appended: Appended[]; dir: string; size: number; logPath: string; indexPath: string} {
    const {segment, appended, dir} = filledSegment(count, seed)
    segment.close()
    segments.splice(segments.indexOf(segment), 1)
    return {appended, dir, size: segment.size, logPath: `${dir}/00000000000000000500.log`, indexPath: `${dir}/00000000000000000500.index`}
  }

  function reopen(dir: string, fs: Fs = nodeFileSystem, lines: string[] = []): LogSegment {
    return track(LogSegment.open(contextOf(dir, fs, lines), base))
  }

  const linearLocate = (appended: Appended[], offset: number): Appended | undefined => appended.find((b) => b.lastOffset >= offset)

  it('locates the batch for any offset exactly as a linear scan does', () => {
    const {segment, appended} = filledSegment(400, 1)
    const random = seededRandom(2)
    const last = (appended.at(-1) as Appended).lastOffset
    for (let i = 0; i < 3000; i++) {
      const offset = random.between(base, last + 5)
      const expected = linearLocate(appended, offset)
      const found = segment.locate(offset)
      expect(found && {baseOffset: found.baseOffset, lastOffset: found.lastOffset, position: found.position, size: found.size}, `offset ${offset}`).to.deep.equal(expected)
    }
  })

  it('keeps an index entry about every index.interval.bytes', () => {
    const {indexPath, size} = closedSegment(400, 3)
    const entries = readFileSync(indexPath).length / 8
    expect(entries).to.be.within(Math.floor(size / (indexIntervalBytes + 2500)), Math.ceil(size / indexIntervalBytes))
  })

  it('reads whole batches from a located one, up to maxBytes but at least the first', () => {
    const {segment, appended} = filledSegment(50, 4)
    const first = segment.locate((appended[10] as Appended).baseOffset)
    if (!first) throw new Error('not found')
    expect(segment.readBatches(first, 0)).to.have.length((appended[10] as Appended).size)
    const fourBatches = appended.slice(10, 14).reduce((sum, b) => sum + b.size, 0)
    const read = segment.readBatches(first, fourBatches + 30)
    expect(splitBatches(read).map((b) => parseBatch(b).baseOffset)).to.deep.equal(appended.slice(10, 14).map((b) => b.baseOffset))
  })

  it('recovers: cuts a torn tail and rebuilds the index to what appends had written', () => {
    const {appended, dir, logPath, indexPath} = closedSegment(200, 5)
    const indexBefore = readFileSync(indexPath)
    const lastBatch = appended.at(-1) as Appended
    truncateSync(logPath, lastBatch.position + 17)
    writeFileSync(indexPath, Buffer.alloc(40))
    const recovered = reopen(dir)
    const result = recovered.recover(0, true)
    expect(result).to.deep.equal({nextOffset: (appended.at(-2) as Appended).lastOffset + 1, truncatedBytes: 17, defect: {kind: 'torn', position: lastBatch.position}, regions: [], endsDamaged: false})
    expect(recovered.size).to.equal(lastBatch.position)
    const indexAfter = readFileSync(indexPath)
    expect(indexAfter.equals(indexBefore.subarray(0, indexAfter.length))).to.equal(true)
    expect(indexBefore.length - indexAfter.length).to.be.at.most(8)
  })

  it('resumes after a clean shutdown reading only the tail after the last index entry', () => {
    const {appended, dir, size} = closedSegment(400, 6)
    const fs = new FaultInjectingFs()
    const resumed = reopen(dir, fs)
    const nextOffset = (appended.at(-1) as Appended).lastOffset + 1
    expect(resumed.resumeAfterCleanShutdown(nextOffset)).to.deep.equal({nextOffset, truncatedBytes: 0, regions: [], endsDamaged: false})
    expect(fs.stats.bytesRead).to.be.below(size / 10)
  })

  it('recovers in full after a clean shutdown when the index misses its last entries', () => {
    const {appended, dir, indexPath} = closedSegment(400, 7)
    const complete = readFileSync(indexPath)
    truncateSync(indexPath, complete.length - 24)
    const lines: string[] = []
    const resumed = reopen(dir, nodeFileSystem, lines)
    const nextOffset = (appended.at(-1) as Appended).lastOffset + 1
    expect(resumed.resumeAfterCleanShutdown(nextOffset).nextOffset).to.equal(nextOffset)
    expect(lines.join('\n')).to.match(/disagree/)
    expect(readFileSync(indexPath).equals(complete)).to.equal(true)
  })

  it('rebuilds an index whose entry points at the wrong batch when it is used', () => {
    const {appended, dir, indexPath} = closedSegment(200, 8)
    const damaged = readFileSync(indexPath)
    damaged.writeUInt32BE(damaged.readUInt32BE(8 * 5) + 1, 8 * 5) // offset off by one, still increasing
    writeFileSync(indexPath, damaged)
    const lines: string[] = []
    const older = reopen(dir, nodeFileSystem, lines)
    const target = appended[150] as Appended
    expect(older.locate(target.baseOffset)?.position).to.equal(target.position)
    const wrongEntryOffset = damaged.readUInt32BE(8 * 5) + base
    expect(older.locate(wrongEntryOffset)?.position).to.equal(linearLocate(appended, wrongEntryOffset)?.position)
    expect(lines.join('\n')).to.match(/does not point at its batch/)
  })

  it('reports corruption inside an older segment loudly instead of serving it, and reads on after it', () => {
    const {appended, dir, logPath, indexPath} = closedSegment(50, 9)
    const bytes = readFileSync(logPath)
    bytes.writeInt32BE(3, (appended[20] as Appended).position + 8) // an impossible batchLength
    writeFileSync(logPath, bytes)
    const older = reopen(dir)
    expect(() => older.locate((appended[20] as Appended).baseOffset)).to.throw(CorruptLogError, /bad-length/)
    older.close()
    segments.splice(segments.indexOf(older), 1)
    unlinkSync(indexPath)
    const withoutIndex = reopen(dir)
    expect(withoutIndex.locate((appended[45] as Appended).baseOffset)?.baseOffset, 'the rebuilt index steps over the damage').to.equal((appended[45] as Appended).baseOffset)
    expect(() => withoutIndex.locate((appended[20] as Appended).lastOffset)).to.throw(CorruptLogError, /bad-length: \d+ bytes at byte/)
    expect(withoutIndex.locate((appended[21] as Appended).baseOffset)?.position, 'the next valid batch').to.equal((appended[21] as Appended).position)
    expect(withoutIndex.damagedRegions().map((r) => [r.position, r.end])).to.deep.equal([[(appended[20] as Appended).position, (appended[21] as Appended).position]])
  })
})
