import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {InvalidConfigError, InvalidPartitionsError, UnknownTopicError} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager, type LogManagerOptions} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {expectRejection} from './expect-rejection.js'
import {buildBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

const SMALL_SEGMENTS = 1000

describe('LogManager configs and partitions', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })

  async function open(dataDir: string, options: LogManagerOptions = {}): Promise<LogManager> {
    const manager = await LogManager.open(dataDir, {minSegmentBytes: SMALL_SEGMENTS, ...options})
    managers.push(manager)
    return manager
  }

  function storedConfigs(dataDir: string, topic: string): unknown {
    return JSON.parse(readFileSync(join(dataDir, 'meta', `${topic}.json`), 'utf8')).configs
  }

  it('validates configs over the broker defaults, naming the first bad value, and ignores names that are not its own', async () => {
    const manager = await open(tempDir(), {defaults: {'min.compaction.lag.ms': '100'}})
    manager.validateConfigs({'retention.ms': '1000', 'max.message.bytes': 'whatever'})
    expect(() => manager.validateConfigs({'retention.ms': 'soon'})).to.throw(InvalidConfigError, "retention.ms must be an integer from -1 to 9223372036854775807, not 'soon'")
    expect(() => manager.validateConfigs({'max.compaction.lag.ms': '50'})).to.throw(InvalidConfigError, 'min.compaction.lag.ms 100')
    expect(() => manager.validateConfigs({'segment.bytes': '999'})).to.throw(InvalidConfigError, 'segment.bytes')
  })

  it('refuses to open with bad defaults', async () => {
    await expectRejection(LogManager.open(tempDir(), {defaults: {'retention.bytes': 'lots'}}), InvalidConfigError, 'open')
  })

  it("applies the broker defaults under a topic's own configs, and keeps only the topic's own in its metadata", async () => {
    const dataDir = tempDir()
    const defaults = {'segment.bytes': '1000', 'index.interval.bytes': '0'}
    let manager = await open(dataDir, {defaults})
    await manager.createTopic({name: 'small', partitions: 1, configs: {}})
    await manager.createTopic({name: 'large', partitions: 1, configs: {'segment.bytes': '100000'}})
    expect(manager.topic('small')?.configs).to.deep.equal({})
    const fill = (log: PartitionLog): void => {
      for (let i = 0; i < 20; i++) log.append(buildBatch(['x'.repeat(100)]))
    }
    fill(manager.partition('small', 0) as PartitionLog)
    fill(manager.partition('large', 0) as PartitionLog)
    expect(manager.partition('small', 0)?.segmentCount).to.be.greaterThan(1)
    expect(manager.partition('large', 0)?.segmentCount).to.equal(1)
    await manager.close()
    manager = await open(dataDir, {defaults: {'segment.bytes': '100000'}})
    fill(manager.partition('small', 0) as PartitionLog)
    const segments = manager.partition('small', 0)?.segmentCount as number
    fill(manager.partition('small', 0) as PartitionLog)
    expect(manager.partition('small', 0)?.segmentCount, 'no roll under the new default').to.equal(segments)
  })

  it('alters a topic: the whole new set of overrides is validated, stored atomically and applied to the live logs', async () => {
    const dataDir = tempDir()
    let manager = await open(dataDir)
    await manager.createTopic({name: 'orders', partitions: 2, configs: {'retention.ms': '1000', 'segment.bytes': '100000'}})
    const log = manager.partition('orders', 1) as PartitionLog
    log.append(buildBatch(['x'.repeat(200)]))
    await expectRejection(manager.alterTopicConfigs('orders', {'segment.bytes': 'small'}), InvalidConfigError, 'a bad value')
    expect(storedConfigs(dataDir, 'orders')).to.deep.equal({'retention.ms': '1000', 'segment.bytes': '100000'})
    const altered = await manager.alterTopicConfigs('orders', {'segment.bytes': '1000', 'cleanup.policy': 'compact'})
    expect(altered.configs).to.deep.equal({'segment.bytes': '1000', 'cleanup.policy': 'compact'})
    expect(altered.partitions).to.equal(2)
    expect(storedConfigs(dataDir, 'orders')).to.deep.equal({'segment.bytes': '1000', 'cleanup.policy': 'compact'})
    expect(existsSync(join(dataDir, 'meta', 'orders.json.tmp'))).to.equal(false)
    for (let i = 0; i < 10; i++) log.append(buildBatch(['x'.repeat(200)]))
    expect(log.segmentCount, 'segment.bytes applied at once').to.be.greaterThan(2)
    await manager.close()
    manager = await open(dataDir)
    expect(manager.topic('orders')?.configs).to.deep.equal({'segment.bytes': '1000', 'cleanup.policy': 'compact'})
    await expectRejection(manager.alterTopicConfigs('nope', {}), UnknownTopicError, 'an unknown topic')
  })

  it('runs alters of one topic one after another, and an alter after a delete finds no topic', async () => {
    const dataDir = tempDir()
    const manager = await open(dataDir)
    await manager.createTopic({name: 't', partitions: 1, configs: {}})
    const first = manager.alterTopicConfigs('t', {'retention.ms': '1'})
    const second = manager.alterTopicConfigs('t', {'retention.ms': '2'})
    const deletion = manager.deleteTopic('t')
    const late = manager.alterTopicConfigs('t', {'retention.ms': '3'})
    expect((await first).configs).to.deep.equal({'retention.ms': '1'})
    expect((await second).configs).to.deep.equal({'retention.ms': '2'})
    await deletion
    await expectRejection(late, UnknownTopicError, 'the alter after the delete')
    expect(existsSync(join(dataDir, 'meta', 't.json'))).to.equal(false)
  })

  it('adds partitions up to a larger count, keeping the existing ones and their data', async () => {
    const dataDir = tempDir()
    let manager = await open(dataDir)
    await manager.createTopic({name: 'orders', partitions: 2, configs: {'segment.bytes': '1000'}})
    manager.partition('orders', 0)?.append(buildBatch(['kept']))
    for (const bad of [2, 1, 0, 2.5, Number.NaN]) {
      await expectRejection(manager.createPartitions('orders', bad), InvalidPartitionsError, `count ${bad}`)
    }
    await expectRejection(manager.createPartitions('nope', 3), UnknownTopicError, 'an unknown topic')
    const grown = await manager.createPartitions('orders', 5)
    expect(grown.partitions).to.equal(5)
    expect(manager.topic('orders')?.partitions).to.equal(5)
    const added = manager.partition('orders', 4) as PartitionLog
    expect(added.logEndOffset).to.equal(0)
    for (let i = 0; i < 10; i++) added.append(buildBatch(['x'.repeat(200)]))
    expect(added.segmentCount, "the topic's config applies to new partitions").to.be.greaterThan(1)
    await manager.close()
    manager = await open(dataDir)
    expect(manager.topic('orders')?.partitions).to.equal(5)
    expect(recordsIn((manager.partition('orders', 0) as PartitionLog).read(0, 1000)).map((r) => r.value)).to.deep.equal(['kept'])
    expect(manager.partition('orders', 4)?.logEndOffset).to.equal(10)
  })

  it('leaves no partition behind when adding partitions fails before the metadata is written', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    let manager = await open(dataDir, {fs})
    await manager.createTopic({name: 'orders', partitions: 1, configs: {}})
    fs.failNextOpenOf('orders.json.tmp')
    await expectRejection(manager.createPartitions('orders', 3), Error, 'the failed write')
    expect(manager.topic('orders')?.partitions).to.equal(1)
    expect(existsSync(join(dataDir, 'orders-1'))).to.equal(false)
    expect(existsSync(join(dataDir, 'orders-2'))).to.equal(false)
    await manager.close()
    manager = await open(dataDir)
    expect(manager.topic('orders')?.partitions).to.equal(1)
    expect((await manager.createPartitions('orders', 2)).partitions).to.equal(2)
  })
})
