/**
 * Every Kafka 3.9 topic config: type, default, what it does (in Weir's words), its value check,
 * and the broker configs that set its default for every topic ("synonyms", in Kafka's order: the
 * first one set wins, e.g. log.retention.ms before log.retention.minutes before log.retention.hours).
 *
 * Values that would change what is stored or served are refused until Weir implements them, rather
 * than accepted and silently ignored: compression.type other than "producer" (batches are stored as
 * the producer compressed them) and remote.storage.enable=true (no tiered storage). Replication
 * configs are accepted and kept, with nothing to act on for one node.
 */
import {anyText, bool, int, listOf, LONG_MAX_TEXT, long, oneOf, ratio, segmentBytes, throttledReplicas} from './config-checks.js'
import {ConfigType, type ConfigDefinition} from './config-definition.js'

/** A broker config that sets a topic config's default, in `unitMs` (1 for the same unit). */
export interface BrokerSynonym {
  readonly name: string
  readonly unitMs: number
}

export interface TopicConfigDefinition extends ConfigDefinition {
  readonly defaultValue: string
  readonly brokerSynonyms: readonly BrokerSynonym[]
}

const HOUR_MS = 3_600_000
const MINUTE_MS = 60_000
const NOT_STORED_AS_IS = 'is not supported: Weir stores batches exactly as the producer sent them'

const same = (...names: string[]): BrokerSynonym[] => names.map(name => ({name, unitMs: 1}))

type Row = [name: string, type: ConfigDefinition['type'], defaultValue: string, check: ConfigDefinition['check'],
  brokerSynonyms: BrokerSynonym[], documentation: string]

const ROWS: Row[] = [
  ['cleanup.policy', ConfigType.LIST, 'delete', listOf(['delete', 'compact']), same('log.cleanup.policy'),
    'What happens to old segments: "delete" removes them by retention.ms and retention.bytes; "compact" keeps the latest record of each key; both may be given.'],
  ['compression.type', ConfigType.STRING, 'producer',
    oneOf(['producer'], Object.fromEntries(['uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'].map(c => [c, NOT_STORED_AS_IS]))),
    same('compression.type'), 'How stored batches are compressed; "producer" keeps them as the producer compressed them, the only value Weir supports.'],
  ['compression.gzip.level', ConfigType.INT, '-1', v => (v.trim() === '-1' ? null : int(1, 9n)(v)), same('compression.gzip.level'),
    'Compression level when the broker compresses with gzip (-1 = the codec default).'],
  ['compression.lz4.level', ConfigType.INT, '9', int(1, 17n), same('compression.lz4.level'),
    'Compression level when the broker compresses with lz4.'],
  ['compression.zstd.level', ConfigType.INT, '3', int(-131072, 22n), same('compression.zstd.level'),
    'Compression level when the broker compresses with zstd.'],
  ['delete.retention.ms', ConfigType.LONG, '86400000', long(0), same('log.cleaner.delete.retention.ms'),
    'How long a compacted topic keeps a tombstone (a record with a null value) so that readers see the delete.'],
  ['file.delete.delay.ms', ConfigType.LONG, '60000', long(0), same('log.segment.delete.delay.ms'),
    'How long a segment removed by retention stays on disk, renamed .deleted, before its files go.'],
  ['flush.messages', ConfigType.LONG, LONG_MAX_TEXT, long(1), same('log.flush.interval.messages'),
    'Force an fsync after this many records appended; the default never does, leaving durability to acks=all.'],
  ['flush.ms', ConfigType.LONG, LONG_MAX_TEXT, long(0), same('log.flush.interval.ms'),
    'Force an fsync once the oldest unflushed record is this old; the default never does.'],
  ['follower.replication.throttled.replicas', ConfigType.LIST, '', throttledReplicas, [],
    'Replicas whose follower replication is throttled; kept for compatibility, Weir has no followers.'],
  ['index.interval.bytes', ConfigType.INT, '4096', int(0), same('log.index.interval.bytes'),
    'Bytes appended between entries of the offset and time indexes: smaller means faster seeks and larger indexes.'],
  ['leader.replication.throttled.replicas', ConfigType.LIST, '', throttledReplicas, [],
    'Replicas whose leader replication is throttled; kept for compatibility, Weir has no followers.'],
  ['local.retention.bytes', ConfigType.LONG, '-2', long(-2), same('log.local.retention.bytes'),
    'Tiered storage: bytes kept locally (-2 = retention.bytes); Weir keeps everything locally.'],
  ['local.retention.ms', ConfigType.LONG, '-2', long(-2), same('log.local.retention.ms'),
    'Tiered storage: time kept locally (-2 = retention.ms); Weir keeps everything locally.'],
  ['max.compaction.lag.ms', ConfigType.LONG, LONG_MAX_TEXT, long(1), same('log.cleaner.max.compaction.lag.ms'),
    'The longest a record may stay uncompacted in a compacted topic.'],
  ['max.message.bytes', ConfigType.INT, '1048588', int(0), same('message.max.bytes'),
    'The largest record batch the topic accepts, in bytes (after compression).'],
  ['message.downconversion.enable', ConfigType.BOOLEAN, 'true', bool(), same('log.message.downconversion.enable'),
    'Whether old fetch versions may get batches converted to an older format; Weir serves batches as stored.'],
  ['message.format.version', ConfigType.STRING, '3.0-IV1', anyText, same('log.message.format.version'),
    'The record format version (deprecated in Kafka 3, ignored): Weir stores RecordBatch v2.'],
  ['message.timestamp.after.max.ms', ConfigType.LONG, LONG_MAX_TEXT, long(0), same('log.message.timestamp.after.max.ms'),
    'How far in the future a CreateTime record timestamp may be, compared with the broker clock.'],
  ['message.timestamp.before.max.ms', ConfigType.LONG, LONG_MAX_TEXT, long(0), same('log.message.timestamp.before.max.ms'),
    'How far in the past a CreateTime record timestamp may be, compared with the broker clock.'],
  ['message.timestamp.difference.max.ms', ConfigType.LONG, LONG_MAX_TEXT, long(0), same('log.message.timestamp.difference.max.ms'),
    'Deprecated: the largest difference between a CreateTime timestamp and the broker clock.'],
  ['message.timestamp.type', ConfigType.STRING, 'CreateTime', oneOf(['CreateTime', 'LogAppendTime']), same('log.message.timestamp.type'),
    'CreateTime keeps the producer\'s timestamps; LogAppendTime stamps each batch with the broker\'s clock on append.'],
  ['min.cleanable.dirty.ratio', ConfigType.DOUBLE, '0.5', ratio, same('log.cleaner.min.cleanable.ratio'),
    'A compacted log is cleaned once this share of it has not been cleaned yet.'],
  ['min.compaction.lag.ms', ConfigType.LONG, '0', long(0), same('log.cleaner.min.compaction.lag.ms'),
    'The shortest time a record stays uncompacted in a compacted topic.'],
  ['min.insync.replicas', ConfigType.INT, '1', int(1), same('min.insync.replicas'),
    'Replicas that must have a write for acks=all; on one node the durable disk is the one replica.'],
  ['preallocate', ConfigType.BOOLEAN, 'false', bool(), same('log.preallocate'),
    'Whether a new segment file is allocated at full size; Weir grows segments as they are written.'],
  ['remote.log.copy.disable', ConfigType.BOOLEAN, 'false', bool(), [],
    'Tiered storage: stop copying segments to remote storage; Weir has no tiered storage.'],
  ['remote.log.delete.on.disable', ConfigType.BOOLEAN, 'false', bool(), [],
    'Tiered storage: delete remote data when tiering is turned off; Weir has no tiered storage.'],
  ['remote.storage.enable', ConfigType.BOOLEAN, 'false', bool('tiered storage is not supported'), [],
    'Tiered storage for this topic; Weir does not support it.'],
  ['retention.bytes', ConfigType.LONG, '-1', long(-1), same('log.retention.bytes'),
    'Per partition: delete the oldest closed segments while the log is larger than this (-1 = no limit).'],
  ['retention.ms', ConfigType.LONG, '604800000', long(-1),
    [{name: 'log.retention.ms', unitMs: 1}, {name: 'log.retention.minutes', unitMs: MINUTE_MS}, {name: 'log.retention.hours', unitMs: HOUR_MS}],
    'Delete a closed segment once its newest record is older than this (-1 = keep forever).'],
  ['segment.bytes', ConfigType.INT, '1073741824', segmentBytes, same('log.segment.bytes'),
    'Roll to a new segment file before the active one would grow past this size (at least 1 MiB).'],
  ['segment.index.bytes', ConfigType.INT, '10485760', int(4), same('log.index.size.max.bytes'),
    'The largest offset index file of a segment.'],
  ['segment.jitter.ms', ConfigType.LONG, '0', long(0),
    [{name: 'log.roll.jitter.ms', unitMs: 1}, {name: 'log.roll.jitter.hours', unitMs: HOUR_MS}],
    'A random amount up to this much taken off segment.ms per segment, so that many partitions do not roll at once.'],
  ['segment.ms', ConfigType.LONG, '604800000', long(1),
    [{name: 'log.roll.ms', unitMs: 1}, {name: 'log.roll.hours', unitMs: HOUR_MS}],
    'Roll to a new segment once the active one\'s first record is this old, so that retention can delete it.'],
  ['unclean.leader.election.enable', ConfigType.BOOLEAN, 'false', bool(), same('unclean.leader.election.enable'),
    'Whether an out-of-sync replica may become leader; on one node there is no other replica.'],
]

export const TOPIC_CONFIG_DEFINITIONS: readonly TopicConfigDefinition[] = ROWS.map(
  ([name, type, defaultValue, check, brokerSynonyms, documentation]) => ({name, type, defaultValue, check, brokerSynonyms, documentation}))

export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigDefinition> = new Map(TOPIC_CONFIG_DEFINITIONS.map(def => [def.name, def]))

export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588
