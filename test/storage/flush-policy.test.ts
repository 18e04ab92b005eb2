import {expect} from 'chai'
import {join} from 'node:path'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {type Fs} from '../../src/storage/fs.js'
import {logConfigFrom} from '../../src/storage/log-config.js'
import {PartitionLog} from '../../src/storage/partition-log.js'
import {HeldSyncFs} from './held-sync-fs.js'
import {buildBatch} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'
import {pause, waitFor} from './wait-for.js'

describe('flushing: group commit, flush.messages and flush.ms', () => {
  const tempDir = useTempDirs()
  const logs: PartitionLog[] = []
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close()
  })

  async function newLog(fs: Fs, configs: Record<string, string> = {}): Promise<PartitionLog> {
    const log = await PartitionLog.create({
      fs,
      dir: join(tempDir(), 't-0'),
      topic: 't',
      partition: 0,
      // no index entries: each flush of these small appends is one fdatasync of the .log
      config: logConfigFrom({'index.interval.bytes': '1000000', ...configs}),
      logger: () => {},
    })
    logs.push(log)
    return log
  }

  it('flushes queued behind a running sync share the next one: 11 acks=all flushes, 2 fdatasyncs', async () => {
    const fs = new HeldSyncFs()
    const log = await newLog(fs)
    log.append(buildBatch(['first']))
    const syncsBefore = fs.stats.syncs
    const running = log.flush()
    await fs.syncWaiting()
    const queued: Promise<void>[] = []
    for (let i = 0; i < 10; i++) {
      log.append(buildBatch([`queued ${i}`]))
      queued.push(log.flush())
    }
    fs.releaseSyncs()
    await Promise.all([running, ...queued])
    expect(fs.stats.syncs - syncsBefore).to.equal(2)
    expect(log.recoveryPoint).to.equal(11)
  })

  it('flushes asked for at once cost one fdatasync', async () => {
    const fs = new FaultInjectingFs()
    const log = await newLog(fs)
    const flushes: Promise<void>[] = []
    for (let i = 0; i < 10; i++) {
      log.append(buildBatch([`${i}`]))
      flushes.push(log.flush())
    }
    const syncsBefore = fs.stats.syncs
    await Promise.all(flushes)
    expect(fs.stats.syncs - syncsBefore).to.equal(1)
    await log.flush()
    expect(fs.stats.syncs - syncsBefore, 'nothing new to sync').to.equal(1)
  })

  it('never flushes on its own by default', async () => {
    const log = await newLog(new FaultInjectingFs())
    log.append(buildBatch(['a']))
    await pause(50)
    expect(log.recoveryPoint).to.equal(0)
  })

  it('flush.messages: flushes once that many offsets are above the recovery point', async () => {
    const log = await newLog(new FaultInjectingFs(), {'flush.messages': '5'})
    log.append(buildBatch(['a', 'b']))
    log.append(buildBatch(['c', 'd']))
    await pause(20)
    expect(log.recoveryPoint).to.equal(0)
    log.append(buildBatch(['e']))
    await waitFor(() => log.recoveryPoint === 5, 'the flush after 5 offsets')
  })

  it('flush.ms: flushes once the last flush is that old, and follows an altered value', async () => {
    const log = await newLog(new FaultInjectingFs(), {'flush.ms': '20'})
    log.append(buildBatch(['a']))
    await waitFor(() => log.recoveryPoint === 1, 'the timed flush')
    log.updateConfig(logConfigFrom({'flush.ms': '3600000'}))
    log.append(buildBatch(['b']))
    await pause(50)
    expect(log.recoveryPoint, 'an hour is not up').to.equal(1)
    log.updateConfig(logConfigFrom({'flush.ms': '0'}))
    await waitFor(() => log.recoveryPoint === 2, 'the flush under the new value')
  })
})
