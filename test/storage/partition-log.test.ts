import {expect} from 'chai'
import {mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {
  InvalidBatchError,
  LogOfflineError,
  LogWriteError,
  OffsetOutOfRangeError,
  OffsetOverflowError,
  RecordBatchTooLargeError,
} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {type Fs, nodeFileSystem} from '../../src/storage/fs.js'
import {logConfigFrom} from '../../src/storage/log-config.js'
import {logFilePath} from '../../src/storage/log-file-names.js'
import {PartitionLog} from '../../src/storage/partition-log.js'
import {expectRejection} from './expect-rejection.js'
import {HeldSyncFs} from './held-sync-fs.js'
import {seededRandom} from './random.js'
import {buildBatch, parseBatch, recordsIn, splitBatches} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'
import {waitFor} from './wait-for.js'

/** these tests roll segments after a few batches: far below the minimum a topic may ask for */
const SMALLEST_TEST_SEGMENT_BYTES = 100

describe('PartitionLog', () => {
  const tempDir = useTempDirs()
  const logs: PartitionLog[] = []
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close()
  })

  async function newLog(configs: Record<string, string> = {}, fs: Fs = nodeFileSystem, lines: string[] = []): Promise<PartitionLog> {
    const log = await PartitionLog.create({
      fs,
      dir: join(tempDir(), 'orders-0'),
      topic: 'orders',
      partition: 0,
      config: logConfigFrom(configs, SMALLEST_TEST_SEGMENT_BYTES),
      logger: (line) => lines.push(line),
    })
    logs.push(log)
    return log
  }

  /** Appends batches of 1..4 records, values "<offset>"; returns every batch's [base, last]. */
  function appendMany(log: PartitionLog, count: number, seed = 1): {baseOffset: number; lastOffset: number}[] {
    const random = seededRandom(seed)
    const appended: {baseOffset: number; lastOffset: number}[] = []
    for (let i = 0; i < count; i++) {
      const start = log.logEndOffset
      const values = Array.from({length: random.between(1, 4)}, (_, k) => `${start + k}:${'x'.repeat(random.between(0, 300))}`)
      appended.push(log.append(buildBatch(values)))
    }
    return appended
  }

  it('assigns consecutive offsets and stores the batch as sent, with baseOffset and epoch stamped', async () => {
    const log = await newLog()
    expect(log.append(buildBatch(['a', 'b', 'c'], {baseOffset: 99, partitionLeaderEpoch: 5}))).to.deep.equal({baseOffset: 0, lastOffset: 2, logAppendTime: -1, duplicate: false})
    expect(log.append(buildBatch(['d']))).to.deep.equal({baseOffset: 3, lastOffset: 3, logAppendTime: -1, duplicate: false})
    expect(log.logStartOffset).to.equal(0)
    expect(log.logEndOffset).to.equal(4)
    const batches = splitBatches(log.read(0, 1 << 20)).map(parseBatch)
    expect(batches.map((b) => [b.baseOffset, b.lastOffset, b.partitionLeaderEpoch, b.crcValid])).to.deep.equal([
      [0, 2, 0, true],
      [3, 3, 0, true],
    ])
    expect(batches.flatMap((b) => b.values)).to.deep.equal(['a', 'b', 'c', 'd'])
  })

  it('reads from the batch containing the offset, at batch boundaries and mid-batch', async () => {
    const log = await newLog()
    const appended = appendMany(log, 50)
    for (const batch of appended) {
      for (let offset = batch.baseOffset; offset <= batch.lastOffset; offset++) {
        const first = parseBatch(splitBatches(log.read(offset, 1))[0] as Buffer)
        expect(first.baseOffset, `offset ${offset}`).to.equal(batch.baseOffset)
      }
    }
  })

  it('returns whole batches up to maxBytes, but at least one', async () => {
    const log = await newLog()
    appendMany(log, 30)
    const everything = log.read(0, 1 << 20)
    const sizes = splitBatches(everything).map((b) => b.length)
    expect(log.read(0, 0)).to.have.length(sizes[0] as number)
    const threeAndABit = (sizes[0] as number) + (sizes[1] as number) + (sizes[2] as number) + 10
    expect(splitBatches(log.read(0, threeAndABit))).to.have.length(3)
    expect(log.read(0, 1 << 20).equals(everything)).to.equal(true)
  })

  it('returns an empty buffer at logEndOffset and throws OffsetOutOfRangeError outside the log', async () => {
    const log = await newLog()
    expect(log.read(0, 100)).to.have.length(0)
    appendMany(log, 3)
    expect(log.read(log.logEndOffset, 100)).to.have.length(0)
    expect(() => log.read(log.logEndOffset + 1, 100)).to.throw(OffsetOutOfRangeError)
    expect(() => log.read(-1, 100)).to.throw(OffsetOutOfRangeError)
    expect(() => log.read(1.5, 100)).to.throw(OffsetOutOfRangeError)
  })

  it('rolls segments at segment.bytes and reads across them', async () => {
    const log = await newLog({'segment.bytes': '2000', 'index.interval.bytes': '300'})
    const appended = appendMany(log, 200, 3)
    expect(log.segmentCount).to.be.greaterThan(10)
    const random = seededRandom(11)
    for (let i = 0; i < 300; i++) {
      const offset = random.int(log.logEndOffset)
      const containing = appended.find((b) => b.baseOffset <= offset && offset <= b.lastOffset)
      expect(parseBatch(splitBatches(log.read(offset, 1))[0] as Buffer).baseOffset, `offset ${offset}`).to.equal(containing?.baseOffset)
    }
    const seen: number[] = []
    for (let offset = 0; offset < log.logEndOffset; ) {
      const records = recordsIn(log.read(offset, 5000))
      seen.push(...records.map((r) => r.offset))
      offset = (records.at(-1) as {offset: number}).offset + 1
    }
    expect(seen).to.deep.equal(Array.from({length: log.logEndOffset}, (_, i) => i))
  })

  it('rejects bytes that are not one batch, and batches larger than segment.bytes', async () => {
    const log = await newLog({'segment.bytes': '500'})
    const batch = buildBatch(['a'])
    expect(() => log.append(Buffer.concat([batch, batch]))).to.throw(InvalidBatchError)
    expect(() => log.append(batch.subarray(0, 40))).to.throw(InvalidBatchError)
    expect(() => log.append(buildBatch(['y'.repeat(600)]))).to.throw(RecordBatchTooLargeError)
    expect(log.logEndOffset).to.equal(0)
  })

  it('refuses a batch whose last offset would pass Number.MAX_SAFE_INTEGER, and takes one that ends on it', async () => {
    const dir = join(tempDir(), 'orders-0')
    const start = Number.MAX_SAFE_INTEGER - 10
    mkdirSync(dir)
    writeFileSync(logFilePath(dir, start), buildBatch(['near the end'], {baseOffset: start}))
    const log = PartitionLog.open({fs: nodeFileSystem, dir, topic: 'orders', partition: 0, config: logConfigFrom({}), logger: () => {}, recoveryPoint: 0, cleanShutdown: false})
    logs.push(log)
    expect(log.logEndOffset).to.equal(start + 1)
    const tooMany = Array.from({length: 11}, (_, i) => `v${i}`)
    expect(() => log.append(buildBatch(tooMany))).to.throw(OffsetOverflowError, String(Number.MAX_SAFE_INTEGER))
    expect(log.logEndOffset, 'nothing appended').to.equal(start + 1)
    expect(log.append(buildBatch(tooMany.slice(1))).lastOffset).to.equal(Number.MAX_SAFE_INTEGER)
    expect(() => log.append(buildBatch(['one more']))).to.throw(OffsetOverflowError)
    expect(recordsIn(log.read(start, 1 << 20)).map((r) => r.offset)).to.deep.equal(Array.from({length: 11}, (_, i) => start + i))
  })

  it('stamps the append time on LogAppendTime topics', async () => {
    const log = await newLog({'message.timestamp.type': 'LogAppendTime'})
    const before = Date.now()
    const result = log.append(buildBatch(['a'], {timestamp: 5}))
    expect(result.logAppendTime).to.be.at.least(before)
    const stored = parseBatch(log.read(0, 1000))
    expect(stored.maxTimestamp).to.equal(result.logAppendTime)
    expect(stored.attributes & 0x08).to.equal(0x08)
    expect(stored.crcValid).to.equal(true)
  })

  it('calls onAppend listeners after each append until unsubscribed, and survives one that throws', async () => {
    const log = await newLog()
    const seen: number[] = []
    const unsubscribe = log.onAppend(() => seen.push(log.logEndOffset))
    log.onAppend(() => {
      throw new Error('listener bug')
    })
    log.append(buildBatch(['a', 'b']))
    log.append(buildBatch(['c']))
    unsubscribe()
    log.append(buildBatch(['d']))
    expect(seen).to.deep.equal([2, 3])
    expect(log.logEndOffset).to.equal(4)
  })

  it('flush syncs what was appended and advances the recovery point', async () => {
    const fs = new FaultInjectingFs()
    const log = await newLog({}, fs)
    appendMany(log, 5)
    expect(log.recoveryPoint).to.equal(0)
    const syncsBefore = fs.stats.syncs
    await log.flush()
    expect(log.recoveryPoint).to.equal(log.logEndOffset)
    expect(fs.stats.syncs).to.be.greaterThan(syncsBefore)
    const syncsAfter = fs.stats.syncs
    await log.flush()
    expect(fs.stats.syncs, 'nothing new to sync').to.equal(syncsAfter)
  })

  it('syncs a segment it rolls past in the background, moving the recovery point to the new segment', async () => {
    const fs = new FaultInjectingFs()
    const log = await newLog({'segment.bytes': '200'}, fs)
    log.append(buildBatch(['a'.repeat(100)]))
    log.append(buildBatch(['b'.repeat(100)]))
    expect(log.recoveryPoint, 'no flush was asked for').to.equal(0)
    log.append(buildBatch(['c'.repeat(100)]))
    expect(log.segmentCount).to.equal(3)
    await waitFor(() => log.recoveryPoint >= 2, 'the recovery point to reach the last roll')
    expect(fs.stats.syncs).to.be.greaterThan(0)
  })

  it('takes the partition offline when the sync after a roll fails, and says so', async () => {
    const fs = new FaultInjectingFs()
    const lines: string[] = []
    const log = await newLog({'segment.bytes': '200'}, fs, lines)
    log.append(buildBatch(['a'.repeat(100)]))
    fs.failNextSync()
    log.append(buildBatch(['b'.repeat(100)]))
    await waitFor(() => lines.length > 0, 'the failure to be reported')
    expect(lines[0]).to.match(/orders-0: sync after a segment roll failed: .*EIO/)
    expect(() => log.append(buildBatch(['c']))).to.throw(LogOfflineError)
    expect(log.recoveryPoint).to.equal(0)
  })

  it('surfaces a failed fsync and refuses further writes, but keeps serving reads', async () => {
    const fs = new FaultInjectingFs()
    const log = await newLog({}, fs)
    appendMany(log, 5)
    fs.failNextSync()
    const failure = await expectRejection(log.flush(), LogOfflineError, 'the flush whose fsync fails')
    expect(failure.message).to.match(/EIO/)
    expect(log.recoveryPoint).to.equal(0)
    expect(() => log.append(buildBatch(['more']))).to.throw(LogOfflineError)
    await expectRejection(log.flush(), LogOfflineError, 'a flush after a failed fsync')
    expect(recordsIn(log.read(0, 1 << 20))).to.have.length.greaterThan(4)
  })

  it('undoes a torn write: the append fails, the log is unchanged and the next append succeeds', async () => {
    const fs = new FaultInjectingFs()
    const log = await newLog({}, fs)
    appendMany(log, 3)
    const before = log.read(0, 1 << 20)
    const end = log.logEndOffset
    fs.tearNextWrite(30)
    expect(() => log.append(buildBatch(['torn']))).to.throw(LogWriteError)
    expect(log.logEndOffset).to.equal(end)
    expect(log.read(0, 1 << 20).equals(before)).to.equal(true)
    expect(log.append(buildBatch(['next'])).baseOffset).to.equal(end)
    expect(recordsIn(log.read(end, 1000))).to.deep.equal([{offset: end, value: 'next'}])
  })

  it('leaves no half-made segment behind when a roll fails, so the next roll succeeds', async () => {
    const fs = new FaultInjectingFs()
    const log = await newLog({'segment.bytes': '200'}, fs)
    log.append(buildBatch(['a'.repeat(100)]))
    fs.failNextOpenOf('.index')
    expect(() => log.append(buildBatch(['b'.repeat(100)]))).to.throw(LogWriteError, /EMFILE/)
    expect(readdirSync(log.dir).sort()).to.deep.equal(['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex'])
    expect(log.append(buildBatch(['c'.repeat(100)])).baseOffset).to.equal(1)
    expect(log.segmentCount).to.equal(2)
    expect(recordsIn(log.read(1, 1 << 20))).to.deep.equal([{offset: 1, value: 'c'.repeat(100)}])
  })

  it('holds only the last segment open; one sealed while a flush syncs it is closed once the sync returns', async () => {
    const fs = new HeldSyncFs()
    const log = await newLog({'segment.bytes': '200'}, fs)
    log.append(buildBatch(['a'.repeat(100)]))
    expect(fs.stats.openDescriptors, 'the active .log, .index and .timeindex').to.equal(3)
    const flushed = log.flush()
    await fs.syncWaiting()
    log.append(buildBatch(['b'.repeat(100)]))
    expect(log.segmentCount).to.equal(2)
    expect(fs.stats.openDescriptors, 'the sealed .log waits for its sync').to.equal(4)
    fs.releaseSyncs()
    await flushed
    expect(log.recoveryPoint).to.equal(1)
    expect(fs.stats.openDescriptors, 'only the new active segment').to.equal(3)
    expect(recordsIn(log.read(0, 1000))).to.deep.equal([{offset: 0, value: 'a'.repeat(100)}])
    expect(fs.stats.openDescriptors, 'plus a read descriptor of the sealed one').to.equal(4)
  })

  it('wakes listeners and refuses appends and reads once closed', async () => {
    const log = await newLog()
    let woken = 0
    log.onAppend(() => woken++)
    await log.close()
    expect(woken).to.equal(1)
    expect(() => log.append(buildBatch(['a']))).to.throw(LogOfflineError)
    expect(() => log.read(0, 10)).to.throw(LogOfflineError)
  })
})
