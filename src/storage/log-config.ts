/**
 * LogConfig: the topic configs (Kafka names and defaults) that change how a partition log is
 * written. Other topic configs are kept in the topic metadata and ignored here.
 *
 *   segment.bytes           roll to a new segment before it would grow past this (default 1 GiB, 1 MiB..2^31-1)
 *   index.interval.bytes    bytes appended between offset index entries (default 4096, >= 0)
 *   message.timestamp.type  CreateTime (default) | LogAppendTime: stamp maxTimestamp = append time
 *
 * The 1 MiB floor of segment.bytes is Kafka 4.0's (KIP-1030): below it a busy topic rolls a segment
 * every few batches, and files, descriptors and directory entries multiply for nothing. The floor is
 * a parameter so that the log manager's owner (tests of rolling and recovery) can lower it; topic
 * configs cannot.
 */
import {InvalidConfigError} from './errors.js'
import {type Logger} from './logger.js'

export type TimestampType = 'CreateTime' | 'LogAppendTime'

export interface LogConfig {
  segmentBytes: number
  indexIntervalBytes: number
  timestampType: TimestampType
}

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  indexIntervalBytes: 4096,
  timestampType: 'CreateTime',
})

const INT32_MAX = 0x7fffffff
/** Kafka 4.0's lower bound for segment.bytes */
export const MIN_SEGMENT_BYTES = 1024 * 1024
/** Kafka's lower bound for segment.bytes before 4.0 (LegacyRecord.RECORD_OVERHEAD_V0): what older topics may hold */
const LEGACY_MIN_SEGMENT_BYTES = 14

/**
 * The log config of a topic being created; throws InvalidConfigError naming the first bad value.
 * `minSegmentBytes` is the smallest segment.bytes accepted.
 */
export function logConfigFrom(configs: Readonly<Record<string, string>>, minSegmentBytes = MIN_SEGMENT_BYTES): LogConfig {
  return {
    segmentBytes: intConfig(configs, 'segment.bytes', DEFAULT_LOG_CONFIG.segmentBytes, minSegmentBytes),
    indexIntervalBytes: intConfig(configs, 'index.interval.bytes', DEFAULT_LOG_CONFIG.indexIntervalBytes, 0),
    timestampType: timestampTypeConfig(configs),
  }
}

/**
 * The log config of a stored topic. A segment.bytes below `minSegmentBytes` that an earlier version
 * accepted is raised to it, and the logger told, rather than leaving the data directory unopenable;
 * the stored value itself is left as it is.
 */
export function storedLogConfig(topic: string, configs: Readonly<Record<string, string>>, minSegmentBytes: number, logger: Logger): LogConfig {
  const config = logConfigFrom(configs, Math.min(minSegmentBytes, LEGACY_MIN_SEGMENT_BYTES))
  if (config.segmentBytes >= minSegmentBytes) return config
  logger(`${topic}: segment.bytes ${config.segmentBytes} is below the minimum ${minSegmentBytes}; using ${minSegmentBytes}`)
  return {...config, segmentBytes: minSegmentBytes}
}

function intConfig(configs: Readonly<Record<string, string>>, name: string, fallback: number, min: number): number {
  const text = configs[name]
  if (text === undefined) return fallback
  const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value) || value < min || value > INT32_MAX) {
    throw new InvalidConfigError(`${name} must be an integer from ${min} to ${INT32_MAX}, not '${text}'`)
  }
  return value
}

function timestampTypeConfig(configs: Readonly<Record<string, string>>): TimestampType {
  const text = configs['message.timestamp.type']
  if (text === undefined) return DEFAULT_LOG_CONFIG.timestampType
  if (text === 'CreateTime' || text === 'LogAppendTime') return text
  throw new InvalidConfigError(`message.timestamp.type must be CreateTime or LogAppendTime, not '${text}'`)
}
