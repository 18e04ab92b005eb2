import {expect} from 'chai'
import {readdirSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager, type LogManagerOptions} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {buildBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

/** Syncs are not what these tests are about: skipping them keeps thousands of fdatasyncs out of a unit test. */
class SyncFreeFs extends FaultInjectingFs {
  override async datasync(): Promise<void> {}
  override async syncDir(): Promise<void> {}
}

const SEGMENTS = 3000
const READ_DESCRIPTORS = 8
/** the active segment's .log, .index and .timeindex; while a roll opens them, the next segment's three as well */
const HELD_BESIDES_READERS = 6

describe('open descriptors', function () {
  this.timeout(120_000)
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })

  const processDescriptors = (): number => readdirSync('/proc/self/fd').length

  async function open(dataDir: string, fs: FaultInjectingFs): Promise<LogManager> {
    // one batch fills a segment of 100 bytes: every append rolls
    const options: LogManagerOptions = {fs, minSegmentBytes: 100, maxReadDescriptors: READ_DESCRIPTORS}
    const manager = await LogManager.open(dataDir, options)
    managers.push(manager)
    return manager
  }

  function expectBounded(fs: FaultInjectingFs, baseline: number, when: string): void {
    const bound = READ_DESCRIPTORS + HELD_BESIDES_READERS
    expect(fs.stats.peakOpenDescriptors, `most descriptors open at once, ${when}`).to.be.at.most(bound)
    expect(processDescriptors() - baseline, `descriptors the process gained, ${when}`).to.be.at.most(bound)
  }

  function expectEveryRecord(log: PartitionLog, count: number): void {
    for (let offset = 0; offset < count; offset++) {
      expect(recordsIn(log.read(offset, 1)), `offset ${offset}`).to.deep.equal([{offset, value: `record ${offset}`}])
    }
  }

  it(`stay bounded with ${SEGMENTS} segments: appending, reading, reopening after a close and recovering after a crash`, async () => {
    const dataDir = tempDir()
    const baseline = processDescriptors()
    const first = new SyncFreeFs()
    const manager = await open(dataDir, first)
    await manager.createTopic({name: 't', partitions: 1, configs: {'segment.bytes': '100'}})
    const log = manager.partition('t', 0) as PartitionLog
    for (let i = 0; i < SEGMENTS; i++) log.append(buildBatch([`record ${i}`]))
    expect(log.segmentCount).to.equal(SEGMENTS)
    expectBounded(first, baseline, 'while appending')
    expectEveryRecord(log, SEGMENTS)
    expectBounded(first, baseline, 'while reading')
    await manager.close()
    expect(first.stats.openDescriptors, 'after close').to.equal(0)

    const second = new SyncFreeFs()
    const reopened = await open(dataDir, second)
    expectBounded(second, baseline, 'while opening after a clean close')
    const again = reopened.partition('t', 0) as PartitionLog
    expectEveryRecord(again, SEGMENTS)
    for (let i = SEGMENTS; i < SEGMENTS + 100; i++) again.append(buildBatch([`record ${i}`]))
    expectBounded(second, baseline, 'while reading and appending after reopening')
    second.crash()

    // no checkpoint: every segment is recovered from the first
    rmSync(join(dataDir, 'recovery-point-checkpoint'))
    const third = new SyncFreeFs()
    const recovered = await open(dataDir, third)
    expectBounded(third, baseline, 'while recovering every segment')
    expectEveryRecord(recovered.partition('t', 0) as PartitionLog, SEGMENTS + 100)
    expectBounded(third, baseline, 'while reading after recovery')
  })
})
