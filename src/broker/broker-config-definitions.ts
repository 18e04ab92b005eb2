/**
 * The broker configs Weir has, under Kafka's broker names: those that set a topic config's default
 * for every topic (log.retention.hours for retention.ms, log.segment.bytes for segment.bytes, ...,
 * derived from the topic configs' synonyms) and the broker's own (auto.create.topics.enable,
 * num.partitions, default.replication.factor, log.retention.check.interval.ms, log.cleaner.backoff.ms,
 * the group coordinator's group.* and offsets.* settings, and the transaction coordinator's
 * transaction.* and transactional.id.expiration.ms).
 * They are set when the daemon starts (`weir server start --config`, <data-dir>/server.properties)
 * and read-only after.
 *
 * Where a topic config has several broker synonyms in different units (log.retention.ms, .minutes,
 * .hours), only the coarsest has a default, as in Kafka: setting a finer one overrides it.
 */
import {bool, int, long, type Check} from './config-checks.js'
import {ConfigType, type ConfigDefinition} from './config-definition.js'
import {TOPIC_CONFIG_DEFINITIONS, type TopicConfigDefinition} from './topic-config-definitions.js'

export interface BrokerConfigDefinition extends ConfigDefinition {
  /** The topic config this one is the default of, and the milliseconds in one unit of this one. */
  readonly topicConfig: {readonly name: string; readonly unitMs: number} | null
}

/** Most partitions a topic gets by default: each partition is a directory with open files. */
export const MAX_DEFAULT_PARTITIONS = 10_000

const replicationFactor: Check = value => (value.trim() === '1' ? null : 'must be 1: Weir is one node')

const OWN: BrokerConfigDefinition[] = [
  {name: 'auto.create.topics.enable', type: ConfigType.BOOLEAN, defaultValue: 'true', check: bool(), topicConfig: null,
    documentation: 'Create a topic, with num.partitions partitions, when a client asks for metadata of one that does not exist.'},
  {name: 'default.replication.factor', type: ConfigType.INT, defaultValue: '1', check: replicationFactor, topicConfig: null,
    documentation: 'Replication factor of topics created without one; always 1 on one node.'},
  {name: 'log.cleaner.backoff.ms', type: ConfigType.LONG, defaultValue: '15000', check: long(1), topicConfig: null,
    documentation: 'How long the log cleaner waits between passes over the topics whose cleanup.policy includes compact.'},
  {name: 'log.retention.check.interval.ms', type: ConfigType.LONG, defaultValue: '300000', check: long(1), topicConfig: null,
    documentation: 'How often the broker looks for segments that retention.ms or retention.bytes lets it delete.'},
  {name: 'group.initial.rebalance.delay.ms', type: ConfigType.INT, defaultValue: '3000', check: int(0), topicConfig: null,
    documentation: 'How long the first rebalance of an empty group waits for more members to join, extended by each new joiner up to the rebalance timeout.'},
  {name: 'group.max.session.timeout.ms', type: ConfigType.INT, defaultValue: '1800000', check: int(1), topicConfig: null,
    documentation: 'Largest session timeout a group member may ask for in JoinGroup.'},
  {name: 'group.max.size', type: ConfigType.INT, defaultValue: '2147483647', check: int(1), topicConfig: null,
    documentation: 'Most members one consumer group may have; a join beyond it is refused with GROUP_MAX_SIZE_REACHED.'},
  {name: 'group.min.session.timeout.ms', type: ConfigType.INT, defaultValue: '6000', check: int(1), topicConfig: null,
    documentation: 'Smallest session timeout a group member may ask for in JoinGroup.'},
  {name: 'offset.metadata.max.bytes', type: ConfigType.INT, defaultValue: '4096', check: int(0), topicConfig: null,
    documentation: 'Longest metadata string a committed offset may carry (OFFSET_METADATA_TOO_LARGE beyond it).'},
  {name: 'offsets.retention.check.interval.ms', type: ConfigType.LONG, defaultValue: '600000', check: long(1), topicConfig: null,
    documentation: 'How often the coordinator looks for committed offsets to expire.'},
  {name: 'offsets.retention.minutes', type: ConfigType.INT, defaultValue: '10080', check: int(1), topicConfig: null,
    documentation: 'How long the committed offsets of a group are kept once the group is empty (for offsets committed without a group, after their commit).'},
  {name: 'offsets.topic.num.partitions', type: ConfigType.INT, defaultValue: '50', check: int(1, 1000n), topicConfig: null,
    documentation: 'Partitions of the internal __consumer_offsets topic; only read when the topic is first created.'},
  {name: 'offsets.topic.segment.bytes', type: ConfigType.INT, defaultValue: '104857600', check: int(1_048_576), topicConfig: null,
    documentation: 'segment.bytes of the internal __consumer_offsets topic, kept small so that compaction keeps it short.'},
  {name: 'producer.id.expiration.ms', type: ConfigType.INT, defaultValue: '86400000', check: int(1), topicConfig: null,
    documentation: 'How long a partition keeps an idle producer\'s state (its sequences, for duplicate detection) after its last write; producers in an open transaction are kept.'},
  {name: 'transaction.abort.timed.out.transaction.cleanup.interval.ms', type: ConfigType.INT, defaultValue: '10000', check: int(1), topicConfig: null,
    documentation: 'How often the transaction coordinator aborts the transactions that ran past their timeout.'},
  {name: 'transaction.max.timeout.ms', type: ConfigType.INT, defaultValue: '900000', check: int(1), topicConfig: null,
    documentation: 'Largest transaction timeout a producer may ask for in InitProducerId (INVALID_TRANSACTION_TIMEOUT beyond it).'},
  {name: 'transaction.remove.expired.transaction.cleanup.interval.ms', type: ConfigType.INT, defaultValue: '3600000', check: int(1), topicConfig: null,
    documentation: 'How often the transaction coordinator removes the transactional ids that expired (transactional.id.expiration.ms).'},
  {name: 'transaction.state.log.num.partitions', type: ConfigType.INT, defaultValue: '50', check: int(1, 1000n), topicConfig: null,
    documentation: 'Partitions of the internal __transaction_state topic; only read when the topic is first created.'},
  {name: 'transaction.state.log.segment.bytes', type: ConfigType.INT, defaultValue: '104857600', check: int(1_048_576), topicConfig: null,
    documentation: 'segment.bytes of the internal __transaction_state topic, kept small so that compaction keeps it short.'},
  {name: 'transactional.id.expiration.ms', type: ConfigType.INT, defaultValue: '604800000', check: int(1), topicConfig: null,
    documentation: 'How long a transactional id without an open transaction is kept after its last use before the coordinator forgets it.'},
  {name: 'num.partitions', type: ConfigType.INT, defaultValue: '1', check: int(1, BigInt(MAX_DEFAULT_PARTITIONS)), topicConfig: null,
    documentation: 'Partitions of a topic created without a count: auto-created, or CreateTopics with -1.'},
]

export const BROKER_CONFIG_DEFINITIONS: readonly BrokerConfigDefinition[] = [...OWN, ...TOPIC_CONFIG_DEFINITIONS.flatMap(synonymsOf)]
  .sort((a, b) => a.name.localeCompare(b.name))

export const BROKER_CONFIGS: ReadonlyMap<string, BrokerConfigDefinition> = new Map(BROKER_CONFIG_DEFINITIONS.map(def => [def.name, def]))

/** The broker configs that set `topic`'s default, finest unit first. */
function synonymsOf(topic: TopicConfigDefinition): BrokerConfigDefinition[] {
  return topic.brokerSynonyms.map(({name, unitMs}, i) => {
    const coarsest = i === topic.brokerSynonyms.length - 1
    return {
      name,
      type: unitMs === 1 ? topic.type : ConfigType.INT,
      defaultValue: coarsest ? inUnit(topic.defaultValue, unitMs) : null,
      check: unitMs === 1 ? topic.check : int(topic.name === 'retention.ms' ? -1 : 0),
      topicConfig: {name: topic.name, unitMs},
      documentation: `The default of the topic config ${topic.name} for topics that do not set it`
        + `${unitMs === 1 ? '' : ` (in ${unitMs === 60_000 ? 'minutes' : 'hours'})`}. ${topic.documentation}`,
    }
  })
}

/** A millisecond value in a coarser unit (whole units only: Kafka's defaults are). */
function inUnit(value: string, unitMs: number): string {
  return unitMs === 1 ? value : String(BigInt(value) / BigInt(unitMs))
}
