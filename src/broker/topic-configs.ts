/**
 * Topic configuration keys a client may set at creation (Kafka 3.9's topic configs), each with its
 * type, default and allowed values. Unknown keys and bad values are refused with INVALID_CONFIG.
 *
 * Values that would change what is stored or served are refused until Weir implements them, rather
 * than accepted and silently ignored: compression.type other than "producer" (batches are stored as
 * the producer compressed them) and remote.storage.enable=true (no tiered storage). The rest is kept
 * in the topic's metadata; storage applies segment.bytes, index.interval.bytes and
 * message.timestamp.type (LogAppendTime stamps each batch on append). segment.bytes has storage's
 * floor of 1 MiB (Kafka 4.0's minimum), so a refusal comes back as INVALID_CONFIG, not a failure.
 */
import {MIN_SEGMENT_BYTES} from '../storage/index.js'

const INT32_MAX = 2_147_483_647n
const INT64_MAX = 9_223_372_036_854_775_807n
const LONG_MAX_TEXT = INT64_MAX.toString()

type Check = (value: string) => string | null

export interface TopicConfigSpec {
  readonly name: string
  readonly defaultValue: string
  /** Why `value` is refused, or null when it is accepted. */
  readonly check: Check
}

/** One resolved entry of a topic's configuration. */
export interface TopicConfigEntry {
  name: string
  value: string
  isDefault: boolean
}

const integer = (max: bigint, min: bigint): Check => value => {
  if (!/^-?\d+$/.test(value.trim())) return 'must be an integer'
  const n = BigInt(value.trim())
  if (n < min) return `must be at least ${min}`
  if (n > max) return `must be at most ${max}`
  return null
}
const int = (min: number, max = INT32_MAX) => integer(max, BigInt(min))
const long = (min: number) => integer(INT64_MAX, BigInt(min))

const ratio: Check = value => {
  const n = Number(value.trim())
  return value.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? null : 'must be a number between 0 and 1'
}

const bool = (refuseTrue?: string): Check => value => {
  const v = value.trim().toLowerCase()
  if (v !== 'true' && v !== 'false') return 'must be true or false'
  return v === 'true' && refuseTrue !== undefined ? refuseTrue : null
}

const oneOf = (allowed: string[], refused: Record<string, string> = {}): Check => value => {
  const v = value.trim()
  if (refused[v] !== undefined) return refused[v]
  return allowed.includes(v) ? null : `must be one of ${[...allowed, ...Object.keys(refused)].join(', ')}`
}

const listOf = (allowed: string[]): Check => value => {
  const items = value.split(',').map(item => item.trim())
  return items.length > 0 && items.every(item => allowed.includes(item))
    ? null : `must be a comma-separated list of ${allowed.join(', ')}`
}

const throttledReplicas: Check = value =>
  /^(\*|\d+:\d+(,\d+:\d+)*)?$/.test(value.replace(/\s/g, '')) ? null : 'must be empty, "*" or partition:broker pairs'

const anyText: Check = () => null

const segmentBytes: Check = value => {
  const refusal = int(MIN_SEGMENT_BYTES)(value)
  return refusal === null || !refusal.startsWith('must be at least') ? refusal
    : `must be at least ${MIN_SEGMENT_BYTES} (1 MiB, Kafka 4.0's minimum segment size)`
}

const NOT_STORED_AS_IS = 'is not supported: Weir stores batches exactly as the producer sent them'

const SPECS: TopicConfigSpec[] = [
  {name: 'cleanup.policy', defaultValue: 'delete', check: listOf(['delete', 'compact'])},
  {name: 'compression.type', defaultValue: 'producer', check: oneOf(['producer'],
    Object.fromEntries(['uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'].map(c => [c, NOT_STORED_AS_IS])))},
  {name: 'compression.gzip.level', defaultValue: '-1', check: v => (v.trim() === '-1' ? null : int(1, 9n)(v))},
  {name: 'compression.lz4.level', defaultValue: '9', check: int(1, 17n)},
  {name: 'compression.zstd.level', defaultValue: '3', check: int(-131072, 22n)},
  {name: 'delete.retention.ms', defaultValue: '86400000', check: long(0)},
  {name: 'file.delete.delay.ms', defaultValue: '60000', check: long(0)},
  {name: 'flush.messages', defaultValue: LONG_MAX_TEXT, check: long(1)},
  {name: 'flush.ms', defaultValue: LONG_MAX_TEXT, check: long(0)},
  {name: 'follower.replication.throttled.replicas', defaultValue: '', check: throttledReplicas},
  {name: 'index.interval.bytes', defaultValue: '4096', check: int(0)},
  {name: 'leader.replication.throttled.replicas', defaultValue: '', check: throttledReplicas},
  {name: 'local.retention.bytes', defaultValue: '-2', check: long(-2)},
  {name: 'local.retention.ms', defaultValue: '-2', check: long(-2)},
  {name: 'max.compaction.lag.ms', defaultValue: LONG_MAX_TEXT, check: long(1)},
  {name: 'max.message.bytes', defaultValue: '1048588', check: int(0)},
  {name: 'message.downconversion.enable', defaultValue: 'true', check: bool()},
  {name: 'message.format.version', defaultValue: '3.0-IV1', check: anyText},
  {name: 'message.timestamp.after.max.ms', defaultValue: LONG_MAX_TEXT, check: long(0)},
  {name: 'message.timestamp.before.max.ms', defaultValue: LONG_MAX_TEXT, check: long(0)},
  {name: 'message.timestamp.difference.max.ms', defaultValue: LONG_MAX_TEXT, check: long(0)},
  {name: 'message.timestamp.type', defaultValue: 'CreateTime', check: oneOf(['CreateTime', 'LogAppendTime'])},
  {name: 'min.cleanable.dirty.ratio', defaultValue: '0.5', check: ratio},
  {name: 'min.compaction.lag.ms', defaultValue: '0', check: long(0)},
  {name: 'min.insync.replicas', defaultValue: '1', check: int(1)},
  {name: 'preallocate', defaultValue: 'false', check: bool()},
  {name: 'remote.log.copy.disable', defaultValue: 'false', check: bool()},
  {name: 'remote.log.delete.on.disable', defaultValue: 'false', check: bool()},
  {name: 'remote.storage.enable', defaultValue: 'false', check: bool('tiered storage is not supported')},
  {name: 'retention.bytes', defaultValue: '-1', check: long(-1)},
  {name: 'retention.ms', defaultValue: '604800000', check: long(-1)},
  {name: 'segment.bytes', defaultValue: '1073741824', check: segmentBytes},
  {name: 'segment.index.bytes', defaultValue: '10485760', check: int(4)},
  {name: 'segment.jitter.ms', defaultValue: '0', check: long(0)},
  {name: 'segment.ms', defaultValue: '604800000', check: long(1)},
  {name: 'unclean.leader.election.enable', defaultValue: 'false', check: bool()},
]

export const TOPIC_CONFIGS: ReadonlyMap<string, TopicConfigSpec> = new Map(SPECS.map(spec => [spec.name, spec]))

export const DEFAULT_MAX_MESSAGE_BYTES = 1_048_588

/**
 * Checks requested overrides; returns them as a record (values trimmed) or the first refusal as a
 * message naming the key.
 */
export function validateTopicConfigs(configs: {name: string; value: string | null}[]):
  {ok: true; configs: Record<string, string>} | {ok: false; message: string} {
  const accepted: Record<string, string> = {}
  for (const {name, value} of configs) {
    const spec = TOPIC_CONFIGS.get(name)
    if (spec === undefined) return {ok: false, message: `unknown topic config "${name}"`}
    if (value === null) return {ok: false, message: `topic config "${name}" needs a value`}
    if (Object.hasOwn(accepted, name)) return {ok: false, message: `topic config "${name}" is given twice`}
    const refusal = spec.check(value)
    if (refusal !== null) return {ok: false, message: `topic config ${name}=${value} ${refusal}`}
    accepted[name] = value.trim()
  }
  return {ok: true, configs: accepted}
}

/** Every known key with its effective value for a topic with these overrides, sorted by name. */
export function effectiveTopicConfigs(overrides: Record<string, string>): TopicConfigEntry[] {
  return SPECS.map(spec => Object.hasOwn(overrides, spec.name)
    ? {name: spec.name, value: overrides[spec.name], isDefault: false}
    : {name: spec.name, value: spec.defaultValue, isDefault: true})
}

/** The largest batch a topic accepts (max.message.bytes). */
export function maxMessageBytes(overrides: Record<string, string>): number {
  const value = Number(overrides['max.message.bytes'])
  return Number.isSafeInteger(value) ? value : DEFAULT_MAX_MESSAGE_BYTES
}
