import {expect} from 'chai'
import {appendFileSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {FaultInjectingFs, SimulatedCrashError} from '../../src/storage/fault-injecting-fs.js'
import {LogOfflineError} from '../../src/storage/errors.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {seededRandom} from './random.js'
import {buildBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'
import {waitFor} from './wait-for.js'

interface AppendedBatch {
  baseOffset: number
  lastOffset: number
  values: string[]
}

describe('recovery', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })
  const configs = {'segment.bytes': '4000', 'index.interval.bytes': '256'}
  /** segments of 4000 bytes, far below the minimum a topic may ask for, so a few batches span several */
  const minSegmentBytes = 4000

  async function open(dataDir: string, options: {fs?: FaultInjectingFs; lines?: string[]; checkpointIntervalMs?: number} = {}): Promise<LogManager> {
    const {fs, lines, checkpointIntervalMs} = options
    const manager = await LogManager.open(dataDir, {fs, logger: (line) => lines?.push(line), minSegmentBytes, checkpointIntervalMs})
    managers.push(manager)
    return manager
  }

  function appendBatches(log: PartitionLog, count: number, seed: number): AppendedBatch[] {
    const random = seededRandom(seed)
    const appended: AppendedBatch[] = []
    for (let i = 0; i < count; i++) {
      const values = Array.from({length: random.between(1, 4)}, () => `${seed}-${i}-${'v'.repeat(random.between(0, 250))}`)
      const {baseOffset, lastOffset} = log.append(buildBatch(values))
      appended.push({baseOffset, lastOffset, values})
    }
    return appended
  }

  /**
   * A data directory whose process "died" (no close) after appending `count` batches to t-0,
   * the first `flushed` of them flushed and checkpointed.
   */
  async function crashedDataDir(count: number, options: {seed?: number; flushed?: number} = {}): Promise<{dataDir: string; appended: AppendedBatch[]}> {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const manager = await LogManager.open(dataDir, {fs, minSegmentBytes})
    await manager.createTopic({name: 't', partitions: 1, configs})
    const log = manager.partition('t', 0) as PartitionLog
    const seed = options.seed ?? 1
    const appended = appendBatches(log, options.flushed ?? 0, seed)
    if (options.flushed !== undefined) await manager.flushAll()
    appended.push(...appendBatches(log, count - appended.length, seed + 1000))
    fs.crash()
    return {dataDir, appended}
  }

  function segmentFiles(dataDir: string, suffix: string): string[] {
    const dir = join(dataDir, 't-0')
    return readdirSync(dir)
      .filter((name) => name.endsWith(suffix))
      .sort()
      .map((name) => join(dir, name))
  }

  function expectLogHolds(log: PartitionLog, batches: AppendedBatch[]): void {
    const expected = batches.flatMap((b) => b.values.map((value, i) => ({offset: b.baseOffset + i, value})))
    const actual: {offset: number; value: string}[] = []
    while (actual.length < expected.length) {
      const records = recordsIn(log.read(actual.length, 64 * 1024))
      if (records.length === 0) break
      actual.push(...records)
    }
    expect(actual).to.deep.equal(expected)
    expect(log.logEndOffset).to.equal(expected.length)
  }

  /** The offset the checkpoint holds for t-0, or -1 before there is one. */
  function checkpointedOffset(dataDir: string): number {
    const path = join(dataDir, 'recovery-point-checkpoint')
    return Number(/^t 0 (\d+)$/m.exec(existsSync(path) ? readFileSync(path, 'utf8') : '')?.[1] ?? -1)
  }

  /** Reopens a crashed data directory: it must read less than `share` of its log bytes to recover, and hold every batch. */
  async function expectCheapRecovery(dataDir: string, appended: AppendedBatch[], share: number): Promise<void> {
    const counting = new FaultInjectingFs()
    const lines: string[] = []
    const reopened = await open(dataDir, {fs: counting, lines})
    expect(lines.join('\n')).to.match(/not closed cleanly/)
    expect(counting.stats.bytesRead, 'bytes read to recover').to.be.below(logBytes(dataDir) * share)
    expectLogHolds(reopened.partition('t', 0) as PartitionLog, appended)
  }

  function logBytes(dataDir: string): number {
    return segmentFiles(dataDir, '.log').reduce((sum, file) => sum + statSync(file).size, 0)
  }

  /** Batches wholly inside the first `bytes` of the concatenated segment files. */
  function batchesBefore(appended: AppendedBatch[], dataDir: string, cut: {file: string; length: number}): AppendedBatch[] {
    const files = segmentFiles(dataDir, '.log')
    const keptBytes = files.slice(0, files.indexOf(cut.file)).reduce((sum, file) => sum + statSync(file).size, 0) + cut.length
    let position = 0
    return appended.filter((batch) => {
      position += buildBatch(batch.values).length
      return position <= keptBytes
    })
  }

  it('reopens after a clean close with every batch and reads only the tail', async () => {
    const dataDir = tempDir()
    const manager = await open(dataDir)
    await manager.createTopic({name: 't', partitions: 1, configs})
    const appended = appendBatches(manager.partition('t', 0) as PartitionLog, 300, 1)
    await manager.close()
    const fs = new FaultInjectingFs()
    const reopened = await open(dataDir, {fs})
    expect(fs.stats.bytesRead, 'bytes read to open').to.be.below(logBytes(dataDir) / 5)
    expectLogHolds(reopened.partition('t', 0) as PartitionLog, appended)
  })

  it('keeps every whole batch and drops only the torn tail, wherever the last segment is cut', async () => {
    const random = seededRandom(42)
    for (let trial = 0; trial < 12; trial++) {
      const {dataDir, appended} = await crashedDataDir(120, {seed: trial})
      const last = segmentFiles(dataDir, '.log').at(-1) as string
      const cut = {file: last, length: random.int(statSync(last).size)}
      truncateSync(last, cut.length)
      const kept = batchesBefore(appended, dataDir, cut)
      const reopened = await open(dataDir)
      const log = reopened.partition('t', 0) as PartitionLog
      expectLogHolds(log, kept)
      expect(log.append(buildBatch(['after'])).baseOffset, `trial ${trial}`).to.equal(kept.length === 0 ? 0 : (kept.at(-1) as AppendedBatch).lastOffset + 1)
      await reopened.close()
    }
  })

  it('cuts inside an earlier unflushed segment and removes the segments after it', async () => {
    const {dataDir, appended} = await crashedDataDir(150)
    const files = segmentFiles(dataDir, '.log')
    expect(files.length).to.be.greaterThan(4)
    const victim = files[2] as string
    const cut = {file: victim, length: Math.floor(statSync(victim).size / 2)}
    truncateSync(victim, cut.length)
    const lines: string[] = []
    const reopened = await open(dataDir, {lines})
    expectLogHolds(reopened.partition('t', 0) as PartitionLog, batchesBefore(appended, dataDir, cut))
    expect(segmentFiles(dataDir, '.log')).to.deep.equal(files.slice(0, 3))
    expect(segmentFiles(dataDir, '.index')).to.have.length(3)
    expect(lines.join('\n')).to.match(/truncated .* bytes/)
  })

  it('drops garbage written after the last batch', async () => {
    const {dataDir, appended} = await crashedDataDir(80)
    appendFileSync(segmentFiles(dataDir, '.log').at(-1) as string, Buffer.from('garbage after the last batch, long enough to look like a header........'))
    const reopened = await open(dataDir)
    expectLogHolds(reopened.partition('t', 0) as PartitionLog, appended)
  })

  it('truncates from a batch whose CRC does not match', async () => {
    const {dataDir, appended} = await crashedDataDir(80)
    const last = segmentFiles(dataDir, '.log').at(-1) as string
    const bytes = readFileSync(last)
    const firstSize = bytes.readInt32BE(8) + 12
    bytes[firstSize + 70] ^= 0x40 // a record byte of the second batch in the segment
    writeFileSync(last, bytes)
    const lines: string[] = []
    const reopened = await open(dataDir, {lines})
    const log = reopened.partition('t', 0) as PartitionLog
    const firstInSegment = Number(bytes.readBigInt64BE(0))
    expect(log.logEndOffset).to.equal(firstInSegment + bytes.readInt32BE(23) + 1)
    expectLogHolds(log, appended.filter((b) => b.baseOffset <= firstInSegment))
    expect(lines.join('\n')).to.match(/CORRUPT batch \(bad-crc\)/)
  })

  it('rebuilds truncated or zeroed indexes, after a crash and after a clean close', async () => {
    for (const clean of [false, true]) {
      const {dataDir, appended} = await crashedDataDir(150, {seed: 5})
      if (clean) await (await LogManager.open(dataDir, {minSegmentBytes})).close()
      const indexes = segmentFiles(dataDir, '.index')
      const intact = indexes.map((file) => readFileSync(file))
      truncateSync(indexes.at(-1) as string, Math.max(0, (intact.at(-1) as Buffer).length - 13))
      writeFileSync(indexes[1] as string, Buffer.alloc((intact[1] as Buffer).length))
      truncateSync(indexes[0] as string, 0)
      const reopened = await open(dataDir)
      expectLogHolds(reopened.partition('t', 0) as PartitionLog, appended)
      expect(indexes.map((file) => readFileSync(file)), clean ? 'after a clean close' : 'after a crash').to.deep.equal(intact)
      await reopened.close()
    }
  })

  it('drops a batch the process died in the middle of writing', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const manager = await LogManager.open(dataDir, {fs, minSegmentBytes})
    await manager.createTopic({name: 't', partitions: 1, configs})
    const log = manager.partition('t', 0) as PartitionLog
    const appended = appendBatches(log, 40, 9)
    fs.crashAfterBytes(100)
    let failure: unknown
    try {
      log.append(buildBatch(['dying', 'x'.repeat(500)]))
    } catch (err) {
      failure = err
    }
    expect(failure, 'the partial write cannot be undone by a dead process').to.be.instanceOf(LogOfflineError)
    expect((failure as Error).cause).to.be.instanceOf(SimulatedCrashError)
    const reopened = await open(dataDir)
    expectLogHolds(reopened.partition('t', 0) as PartitionLog, appended)
  })

  it('scans only from the recovery point after a crash, then syncs what it recovered before moving the point', async () => {
    const {dataDir, appended} = await crashedDataDir(300, {flushed: 250})
    const checkpoint = readFileSync(join(dataDir, 'recovery-point-checkpoint'), 'utf8')
    const flushedOffset = (appended[249] as AppendedBatch).lastOffset + 1
    expect(checkpoint).to.equal(`0\n1\nt 0 ${flushedOffset}\n`)
    const fs = new FaultInjectingFs()
    const reopened = await open(dataDir, {fs})
    const log = reopened.partition('t', 0) as PartitionLog
    expect(fs.stats.bytesRead, 'bytes read to recover').to.be.below(logBytes(dataDir) / 3)
    expect(log.recoveryPoint).to.equal(flushedOffset)
    const syncs = fs.stats.syncs
    await reopened.flushAll()
    expect(fs.stats.syncs, 'recovered segments synced').to.be.greaterThan(syncs + 1)
    expect(log.recoveryPoint).to.equal(log.logEndOffset)
    expectLogHolds(log, appended)
  })

  it('checkpoints flushed offsets every interval, so a restart after a crash scans only from there', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const manager = await open(dataDir, {fs, checkpointIntervalMs: 20})
    await manager.createTopic({name: 't', partitions: 1, configs})
    const log = manager.partition('t', 0) as PartitionLog
    const appended = appendBatches(log, 250, 3)
    await log.flush()
    const flushed = log.logEndOffset
    await waitFor(() => checkpointedOffset(dataDir) === flushed, 'a checkpoint of the flushed offset')
    appended.push(...appendBatches(log, 50, 4))
    fs.crash()
    await expectCheapRecovery(dataDir, appended, 1 / 3)
  })

  it('scans only the last segment after a crash of a log never flushed on request (acks=1), once its rolls are checkpointed', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const manager = await open(dataDir, {fs, checkpointIntervalMs: 20})
    await manager.createTopic({name: 't', partitions: 1, configs})
    const appended = appendBatches(manager.partition('t', 0) as PartitionLog, 300, 8)
    const lastBase = Number(/(\d{20})\.log$/.exec(segmentFiles(dataDir, '.log').at(-1) as string)?.[1])
    await waitFor(() => checkpointedOffset(dataDir) >= lastBase, 'a checkpoint at the last roll or later')
    fs.crash()
    await expectCheapRecovery(dataDir, appended, 1 / 5)
  })

  it('removes an index file whose log is gone', async () => {
    const {dataDir, appended} = await crashedDataDir(30)
    const stray = join(dataDir, 't-0', '00000000000000999999.index')
    writeFileSync(stray, Buffer.alloc(16))
    const lines: string[] = []
    const reopened = await open(dataDir, {lines})
    expect(existsSync(stray)).to.equal(false)
    expect(lines.join('\n')).to.match(/index without a log/)
    expectLogHolds(reopened.partition('t', 0) as PartitionLog, appended)
  })

  it('scans every log from its start when the checkpoint is unreadable', async () => {
    const {dataDir, appended} = await crashedDataDir(100, {flushed: 90})
    writeFileSync(join(dataDir, 'recovery-point-checkpoint'), '0\n7\nt 0 12\n')
    truncateSync(segmentFiles(dataDir, '.log')[0] as string, 100)
    const lines: string[] = []
    const reopened = await open(dataDir, {lines})
    expect(lines.join('\n')).to.match(/recovery-point-checkpoint: entry count/)
    const log = reopened.partition('t', 0) as PartitionLog
    expect(log.logEndOffset, 'the cut in the first segment was found').to.be.below((appended[5] as AppendedBatch).lastOffset)
    expect(segmentFiles(dataDir, '.log')).to.have.length(1)
  })
})
