// Real admin clients against one Weir daemon on TCP: confluent-kafka (librdkafka 2.0.2,
// DescribeConfigs v1), kafka-python 2.0.2 (v2) and kafkajs 2.2.4 (v2) describe a topic's and the
// broker's configs (values, sources, synonyms as Kafka reports them), alter them (AlterConfigs
// replaces a topic's whole set of overrides) and add partitions; each change shows in the client's
// own describe or Metadata and in `weir topics describe --json`. The errors a user meets: an unknown
// key or a bad value is INVALID_CONFIG, fewer partitions INVALID_PARTITIONS, a missing topic
// UNKNOWN_TOPIC_OR_PARTITION.
import {expect} from 'chai'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {type AdminDriver, type ClientError, type ConfigView, type Configs, type Synonym, adminDrivers, confluentValidateOnly,
  kafkajsAlter, kafkajsDescribe, weirDescribeTopic, withKafkajsAdmin} from './admin-configs-drivers.js'
import {kafkajsClient} from './kafkajs-driver.js'

const TOPIC_CONFIG = 1
const STATIC_BROKER_CONFIG = 4
const DEFAULT_CONFIG = 5

/** Every topic config of Kafka 3.9, which DescribeConfigs lists for a topic when no key is named. */
const KAFKA_TOPIC_CONFIGS = [
  'cleanup.policy', 'compression.gzip.level', 'compression.lz4.level', 'compression.type', 'compression.zstd.level',
  'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms', 'follower.replication.throttled.replicas',
  'index.interval.bytes', 'leader.replication.throttled.replicas', 'local.retention.bytes', 'local.retention.ms',
  'max.compaction.lag.ms', 'max.message.bytes', 'message.downconversion.enable', 'message.format.version',
  'message.timestamp.after.max.ms', 'message.timestamp.before.max.ms', 'message.timestamp.difference.max.ms',
  'message.timestamp.type', 'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'preallocate',
  'remote.log.copy.disable', 'remote.log.delete.on.disable', 'remote.storage.enable', 'retention.bytes', 'retention.ms',
  'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms', 'unclean.leader.election.enable',
]
const LONG_MAX = '9223372036854775807'

interface Expected {
  value: string | null
  source: number
  synonyms: Synonym[]
}

const topicOverride = (name: string, value: string, broker: Synonym[]): Expected =>
  ({value, source: TOPIC_CONFIG, synonyms: [[name, value, TOPIC_CONFIG], ...broker]})
const byDefault = (value: string | null, broker: Synonym[]): Expected => ({value, source: DEFAULT_CONFIG, synonyms: broker})

const RETENTION_DEFAULT: Synonym[] = [['log.retention.hours', '168', DEFAULT_CONFIG]]
const MESSAGE_MAX_DEFAULT: Synonym[] = [['message.max.bytes', '1048588', DEFAULT_CONFIG]]

/** What Kafka answers, for some keys, about a topic created with retention.ms=3600000 alone. */
const CREATED_TOPIC: Record<string, Expected> = {
  'retention.ms': topicOverride('retention.ms', '3600000', RETENTION_DEFAULT),
  'segment.ms': byDefault('604800000', [['log.roll.hours', '168', DEFAULT_CONFIG]]),
  'segment.jitter.ms': byDefault('0', [['log.roll.jitter.hours', '0', DEFAULT_CONFIG]]),
  'segment.bytes': byDefault('1073741824', [['log.segment.bytes', '1073741824', DEFAULT_CONFIG]]),
  'retention.bytes': byDefault('-1', [['log.retention.bytes', '-1', DEFAULT_CONFIG]]),
  'max.message.bytes': byDefault('1048588', MESSAGE_MAX_DEFAULT),
  'cleanup.policy': byDefault('delete', [['log.cleanup.policy', 'delete', DEFAULT_CONFIG]]),
  'flush.messages': byDefault(LONG_MAX, [['log.flush.interval.messages', LONG_MAX, DEFAULT_CONFIG]]),
  'min.insync.replicas': byDefault('1', [['min.insync.replicas', '1', DEFAULT_CONFIG]]),
  'message.timestamp.type': byDefault('CreateTime', [['log.message.timestamp.type', 'CreateTime', DEFAULT_CONFIG]]),
  'leader.replication.throttled.replicas': byDefault('', []),
  'remote.storage.enable': byDefault('false', []),
}

/**
 * What Kafka answers about some broker configs of the test daemon, which sets auto topic creation
 * (off) and the default partition count at start. Weir's broker configs are read-only while it runs.
 */
const BROKER: Record<string, Expected> = {
  'log.retention.hours': byDefault('168', RETENTION_DEFAULT),
  'log.retention.ms': byDefault(null, []),
  'log.segment.bytes': byDefault('1073741824', [['log.segment.bytes', '1073741824', DEFAULT_CONFIG]]),
  'auto.create.topics.enable': {value: 'false', source: STATIC_BROKER_CONFIG,
    synonyms: [['auto.create.topics.enable', 'false', STATIC_BROKER_CONFIG], ['auto.create.topics.enable', 'true', DEFAULT_CONFIG]]},
}

/** `expected` as `driver` shows it: synonyms only when asked for, librdkafka's by name. */
function asSeenBy(driver: AdminDriver, expected: Expected, synonyms: boolean, readOnly: boolean): ConfigView {
  let list = synonyms ? expected.synonyms : []
  if (driver.synonymsByName) list = [...new Map(list.map((s) => [s[0], s])).values()]
  return {value: expected.value, source: expected.source, readOnly, sensitive: false, synonyms: list}
}

function expectConfigs(driver: AdminDriver, got: Configs | ClientError, expected: Record<string, Expected>, synonyms: boolean,
  readOnly = false): Configs {
  expect(got, JSON.stringify(got)).not.to.have.property('code')
  const configs = got as Configs
  for (const [name, want] of Object.entries(expected)) {
    expect(configs[name], name).not.to.equal(undefined)
    const {isDefault, ...view} = configs[name]
    expect(view, name).to.deep.equal(asSeenBy(driver, want, synonyms, readOnly))
    if (isDefault !== undefined) expect(isDefault, `${name} isDefault`).to.equal(want.source === DEFAULT_CONFIG)
  }
  return configs
}

function expectError(error: ClientError | null, code: number, name: string, mentions: string, driver: AdminDriver): void {
  expect(error, `${driver.name} accepted it`).not.to.equal(null)
  expect({code: error!.code, name: error!.name}).to.deep.equal({code, name})
  if (driver.brokerMessages) expect(error!.message).to.include(mentions)
}

/** The non-default configs `weir topics describe --json` shows, as name=value. */
function weirOverrides(bootstrap: string, topic: string): string[] {
  return weirDescribeTopic(bootstrap, topic).configs.map((c) => {
    expect(c.source, c.name).to.equal('DYNAMIC_TOPIC_CONFIG')
    return `${c.name}=${c.value}`
  })
}

describe('interop: admin clients describe and alter configs and add partitions', function () {
  this.timeout(60_000)
  let daemon: TestDaemon
  let bootstrap: string

  before(async () => {
    daemon = await startTestDaemon({autoCreateTopics: false})
    bootstrap = daemon.bootstrap
    await withKafkajsAdmin(bootstrap, (admin) => admin.createTopics({topics: adminDrivers.flatMap((driver) => [
      {topic: `configs-${driver.name}`, numPartitions: 1, configEntries: [{name: 'retention.ms', value: '3600000'}]},
      {topic: `partitions-${driver.name}`, numPartitions: 1},
    ])}))
  })

  after(async () => {
    await daemon?.stop()
  })

  for (const driver of adminDrivers) {
    describe(driver.name, () => {
      const topic = `configs-${driver.name}`
      const describeTopic = (synonyms = true) => driver.describe(bootstrap, 'topic', topic, synonyms)

      for (const synonyms of driver.optionalSynonyms ? [true, false] : [true]) {
        it(`describes every Kafka topic config of a topic, with values and sources${synonyms ? ' and synonyms' : ''}`, async () => {
          const configs = expectConfigs(driver, await describeTopic(synonyms), CREATED_TOPIC, synonyms)
          expect(Object.keys(configs).sort()).to.deep.equal(KAFKA_TOPIC_CONFIGS)
          for (const [name, entry] of Object.entries(configs)) {
            expect([entry.readOnly, entry.sensitive], name).to.deep.equal([false, false])
            expect(entry.source, name).to.equal(name === 'retention.ms' ? TOPIC_CONFIG : DEFAULT_CONFIG)
          }
        })
      }

      it('describes the broker\'s configs, read-only, those set at start as STATIC_BROKER_CONFIG', async () => {
        expectConfigs(driver, await driver.describe(bootstrap, 'broker', '1', true), BROKER, true, true)
      })

      it('alters a topic\'s configs: the request is the whole new set of overrides, seen by describe and weir', async () => {
        expect(await driver.alter(bootstrap, 'topic', topic, {'retention.ms': '7200000', 'max.message.bytes': '2000000'})).to.equal(null)
        expectConfigs(driver, await describeTopic(), {
          'retention.ms': topicOverride('retention.ms', '7200000', RETENTION_DEFAULT),
          'max.message.bytes': topicOverride('max.message.bytes', '2000000', MESSAGE_MAX_DEFAULT),
        }, true)
        expect(weirOverrides(bootstrap, topic)).to.deep.equal(['max.message.bytes=2000000', 'retention.ms=7200000'])

        expect(await driver.alter(bootstrap, 'topic', topic, {'max.message.bytes': '3000000'})).to.equal(null)
        expectConfigs(driver, await describeTopic(), {
          'retention.ms': byDefault('604800000', RETENTION_DEFAULT),
          'max.message.bytes': topicOverride('max.message.bytes', '3000000', MESSAGE_MAX_DEFAULT),
        }, true)
        expect(weirOverrides(bootstrap, topic)).to.deep.equal(['max.message.bytes=3000000'])
      })

      it('refuses an unknown key and a bad value with INVALID_CONFIG and changes nothing', async () => {
        expectError(await driver.alter(bootstrap, 'topic', topic, {'max.message.bytes': '1000', 'no.such.config': '1'}),
          40, 'INVALID_CONFIG', 'no.such.config', driver)
        expectError(await driver.alter(bootstrap, 'topic', topic, {'retention.ms': 'soon'}), 40, 'INVALID_CONFIG', 'retention.ms', driver)
        expect(weirOverrides(bootstrap, topic)).to.deep.equal(['max.message.bytes=3000000'])
        expect(await driver.describe(bootstrap, 'topic', 'no-such-topic', true)).to.have.property('code', 3)
      })

      it('adds partitions: Metadata lists them, weir shows them, they take records; fewer is INVALID_PARTITIONS', async () => {
        const partitioned = `partitions-${driver.name}`
        expect(await driver.addPartitions(bootstrap, partitioned, 3)).to.deep.equal({error: null, partitions: [0, 1, 2]})
        const described = weirDescribeTopic(bootstrap, partitioned)
        expect([described.partitionCount, described.partitions.map((p) => p.partition)]).to.deep.equal([3, [0, 1, 2]])
        const producer = kafkajsClient(bootstrap).producer()
        await producer.connect()
        await producer.send({topic: partitioned, acks: -1, messages: [{partition: 2, value: 'in a new partition'}]})
        await producer.disconnect()
        const offsets = await withKafkajsAdmin(bootstrap, (admin) => admin.fetchTopicOffsets(partitioned))
        expect(offsets.map((o) => o.high)).to.deep.equal(['0', '0', '1'])

        const fewer = await driver.addPartitions(bootstrap, partitioned, 2)
        expectError(fewer.error, 37, 'INVALID_PARTITIONS', 'higher than the requested 2', driver)
        expect(fewer.partitions).to.deep.equal([0, 1, 2])
      })
    })
  }

  describe('validate-only changes and named keys', () => {
    const topic = 'configs-validate-only'
    before(async () => {
      await withKafkajsAdmin(bootstrap, (admin) => admin.createTopics({topics: [{topic, configEntries: [{name: 'segment.ms', value: '60000'}]}]}))
    })

    it('kafkajs describeConfigs with configNames answers those keys only', async () => {
      const configs = await kafkajsDescribe(bootstrap, 'topic', topic, true, ['segment.ms', 'cleanup.policy'])
      expect(Object.keys(configs).sort()).to.deep.equal(['cleanup.policy', 'segment.ms'])
      expect((configs as Configs)['segment.ms']).to.include({value: '60000', source: TOPIC_CONFIG})
    })

    it('kafkajs and confluent-kafka validateOnly check the change and make none', async () => {
      expect(await kafkajsAlter(bootstrap, 'topic', topic, {'retention.ms': '1000'}, true)).to.equal(null)
      expect(confluentValidateOnly(bootstrap, topic, {'retention.bytes': '1000'})).to.equal(null)
      expect((await kafkajsAlter(bootstrap, 'topic', topic, {'no.such.config': '1'}, true))?.code).to.equal(40)
      expect(confluentValidateOnly(bootstrap, topic, {'no.such.config': '1'})?.code).to.equal(40)
      expect(weirOverrides(bootstrap, topic)).to.deep.equal(['segment.ms=60000'])
    })
  })
})
