import {expect} from 'chai'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {OffsetOutOfRangeError} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {expectRejection} from './expect-rejection.js'
import {buildBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'
import {waitFor} from './wait-for.js'

const T0 = 1_700_000_000_000

describe('log start offset, DeleteRecords and retention', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })

  async function open(dataDir: string, fs?: FaultInjectingFs): Promise<LogManager> {
    const manager = await LogManager.open(dataDir, {fs, minSegmentBytes: 1000})
    managers.push(manager)
    return manager
  }

  async function topicLog(dataDir: string, configs: Record<string, string>, fs?: FaultInjectingFs): Promise<{manager: LogManager; log: PartitionLog}> {
    const manager = await open(dataDir, fs)
    await manager.createTopic({name: 't', partitions: 1, configs: {'segment.bytes': '1000', 'file.delete.delay.ms': '0', ...configs}})
    return {manager, log: manager.partition('t', 0) as PartitionLog}
  }

  /** Appends `count` batches of one 250-byte record: three batches a segment. Timestamps T0 + 1000 * i. */
  function fill(log: PartitionLog, count: number, from = 0): void {
    for (let i = from; i < from + count; i++) log.append(buildBatch([`${i}:`.padEnd(250, 'x')], {timestamp: T0 + 1000 * i}))
  }

  const segmentFiles = (dataDir: string): string[] => readdirSync(join(dataDir, 't-0')).filter((name) => name.endsWith('.log')).sort()

  it('deleteRecordsBefore raises the log start offset, never lowers it, refuses offsets past the end and survives a restart', async () => {
    const dataDir = tempDir()
    let {manager, log} = await topicLog(dataDir, {})
    fill(log, 12)
    expect(log.segmentCount).to.equal(4)
    await expectRejection(log.deleteRecordsBefore(13), OffsetOutOfRangeError, 'past the end')
    await expectRejection(log.deleteRecordsBefore(-2), OffsetOutOfRangeError, 'a negative offset')
    expect(await log.deleteRecordsBefore(4)).to.equal(4)
    expect(log.logStartOffset).to.equal(4)
    expect(segmentFiles(dataDir), 'the segment wholly below 4 is gone').to.deep.equal([
      '00000000000000000003.log',
      '00000000000000000006.log',
      '00000000000000000009.log',
    ])
    expect(() => log.read(3, 1000)).to.throw(OffsetOutOfRangeError)
    expect(recordsIn(log.read(4, 1))[0]?.offset).to.equal(4)
    expect(await log.deleteRecordsBefore(2), 'never lowered').to.equal(4)
    expect(readFileSync(join(dataDir, 'log-start-offset-checkpoint'), 'utf8')).to.equal('0\n1\nt 0 4\n')
    await manager.close()
    managers.splice(0)
    manager = await open(dataDir)
    log = manager.partition('t', 0) as PartitionLog
    expect(log.logStartOffset, 'after a restart').to.equal(4)
    expect(() => log.read(3, 1000)).to.throw(OffsetOutOfRangeError)
    expect(await log.deleteRecordsBefore(-1), '-1 is the log end').to.equal(12)
    expect(log.read(12, 1000)).to.have.length(0)
    expect(log.batchWithMaxTimestamp(), 'nothing readable is left').to.equal(null)
    expect(log.readFromTimestamp(T0, 1000)).to.have.length(0)
    fill(log, 1, 12)
    expect(recordsIn(log.read(12, 1000)).map((r) => r.offset)).to.deep.equal([12])
  })

  it('deleteRecordsBefore keeps the log start where it was when its checkpoint cannot be written', async () => {
    const fs = new FaultInjectingFs()
    const {log} = await topicLog(tempDir(), {}, fs)
    fill(log, 6)
    fs.failNextOpenOf('log-start-offset-checkpoint.tmp')
    await expectRejection(log.deleteRecordsBefore(4), Error, 'the checkpoint write fails')
    expect(log.logStartOffset).to.equal(0)
    expect(recordsIn(log.read(0, 1))[0]?.offset).to.equal(0)
    expect(await log.deleteRecordsBefore(4)).to.equal(4)
  })

  it('starts a log afresh at its log start offset when a crash lost the records up to it', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const {manager, log} = await topicLog(dataDir, {}, fs)
    fill(log, 2)
    await manager.flushAll()
    fill(log, 4, 2)
    await log.deleteRecordsBefore(5)
    fs.crash()
    managers.splice(0)
    // the unflushed tail is cut as a torn write would cut it
    const reopened = await open(dataDir)
    const again = reopened.partition('t', 0) as PartitionLog
    expect(again.logStartOffset).to.be.at.most(again.logEndOffset)
    expect(again.logStartOffset).to.be.at.least(5)
    expect(() => again.read(4, 1000)).to.throw(OffsetOutOfRangeError)
  })

  it('retention.ms deletes closed segments whose largest timestamp is older, renaming them .deleted first', async () => {
    const dataDir = tempDir()
    const {manager, log} = await topicLog(dataDir, {'retention.ms': '5000', 'file.delete.delay.ms': '60000'})
    fill(log, 12)
    await manager.enforceRetention(T0 + 11_000 + 100)
    // segments hold timestamps 0-2, 3-5, 6-8, 9-11 (x 1000): those older than now - 5000 = 6100 are the first two
    expect(log.logStartOffset).to.equal(6)
    expect(segmentFiles(dataDir)).to.deep.equal(['00000000000000000006.log', '00000000000000000009.log'])
    const deleted = readdirSync(join(dataDir, 't-0')).filter((name) => name.endsWith('.deleted')).sort()
    expect(deleted).to.include.members(['00000000000000000000.log.deleted', '00000000000000000000.timeindex.deleted', '00000000000000000003.index.deleted'])
    expect(() => log.read(5, 1000)).to.throw(OffsetOutOfRangeError)
    await manager.close()
    managers.splice(0)
    expect(readdirSync(join(dataDir, 't-0')).some((name) => name.endsWith('.deleted')), 'removed by close').to.equal(false)
  })

  it('counts retention.ms of records without a timestamp (-1) from the segment\'s last write, also after a restart', async () => {
    const dataDir = tempDir()
    const {manager, log} = await topicLog(dataDir, {'retention.ms': '60000'})
    for (let i = 0; i < 7; i++) log.append(buildBatch([`${i}:`.padEnd(250, 'x')], {timestamp: -1}))
    const written = Date.now()
    await manager.enforceRetention(written + 1000)
    expect(log.logStartOffset, 'a minute is not up').to.equal(0)
    await manager.close()
    managers.splice(0)
    const reopened = await open(dataDir)
    await reopened.enforceRetention(written + 1000)
    expect(reopened.partition('t', 0)!.logStartOffset, 'the files were written just now').to.equal(0)
    await reopened.enforceRetention(written + 10 * 60_000)
    expect(reopened.partition('t', 0)!.logStartOffset).to.equal(7)
  })

  it('rolls and deletes an active segment that expired too, leaving an empty log at its end offset', async () => {
    const dataDir = tempDir()
    const {manager, log} = await topicLog(dataDir, {'retention.ms': '1000'})
    fill(log, 4)
    await manager.enforceRetention(T0 + 100_000)
    expect(log.logStartOffset).to.equal(4)
    expect(log.logEndOffset).to.equal(4)
    expect(segmentFiles(dataDir)).to.deep.equal(['00000000000000000004.log'])
    await waitFor(() => !readdirSync(join(dataDir, 't-0')).some((name) => name.endsWith('.deleted')), 'the delayed removal')
  })

  it('retention.bytes deletes the oldest closed segments while the log stays above it; -1 and cleanup.policy=compact keep all', async () => {
    const dataDir = tempDir()
    const {manager, log} = await topicLog(dataDir, {'retention.bytes': '2000', 'retention.ms': '-1'})
    fill(log, 12)
    const before = log.size
    await manager.enforceRetention(T0)
    expect(log.size).to.be.at.least(2000)
    expect(log.size).to.be.below(before)
    expect(log.segmentCount).to.equal(3)
    expect(log.logStartOffset).to.equal(3)
    await manager.alterTopicConfigs('t', {'segment.bytes': '1000', 'retention.bytes': '-1', 'retention.ms': '-1'})
    await manager.enforceRetention(T0 + 10 ** 12)
    expect(log.logStartOffset, 'no limit').to.equal(3)
    await manager.alterTopicConfigs('t', {'segment.bytes': '1000', 'retention.bytes': '0', 'cleanup.policy': 'compact'})
    await manager.enforceRetention(T0 + 10 ** 12)
    expect(log.logStartOffset, 'compact alone deletes nothing').to.equal(3)
    await manager.alterTopicConfigs('t', {'segment.bytes': '1000', 'retention.bytes': '0', 'cleanup.policy': 'compact,delete'})
    await manager.enforceRetention(T0)
    expect(log.logStartOffset, 'retention.bytes 0 with delete: everything').to.equal(12)
  })

  it('rolls at segment.ms on append (Kafka: new batch timestamp - first batch timestamp) and an idle active segment at retention', async () => {
    const dataDir = tempDir()
    const {manager, log} = await topicLog(dataDir, {'segment.bytes': '100000', 'segment.ms': '5000', 'retention.ms': '-1'})
    log.append(buildBatch(['a'], {timestamp: T0}))
    log.append(buildBatch(['b'], {timestamp: T0 + 5000}))
    expect(log.segmentCount).to.equal(1)
    log.append(buildBatch(['c'], {timestamp: T0 + 5001}))
    expect(log.segmentCount).to.equal(2)
    await manager.enforceRetention(T0 + 5001 + 4000)
    expect(log.segmentCount, 'not idle long enough').to.equal(2)
    await manager.enforceRetention(T0 + 5001 + 5001)
    expect(log.segmentCount).to.equal(3)
    await manager.enforceRetention(T0 + 10 ** 9)
    expect(log.segmentCount, 'an empty active segment does not roll').to.equal(3)
  })

  it('runs retention on its own every retentionCheckIntervalMs', async () => {
    const manager = await LogManager.open(tempDir(), {minSegmentBytes: 1000, retentionCheckIntervalMs: 10})
    managers.push(manager)
    await manager.createTopic({name: 't', partitions: 1, configs: {'segment.bytes': '1000', 'retention.ms': '1', 'file.delete.delay.ms': '0'}})
    const log = manager.partition('t', 0) as PartitionLog
    fill(log, 6)
    await waitFor(() => log.logStartOffset === 6, 'the timed pass')
  })
})
