/**
 * LogConfig: the topic configs (Kafka names and defaults) that change how a partition log is
 * written. Other topic configs are kept in the topic metadata and ignored here.
 *
 *   segment.bytes           roll to a new segment before it would grow past this (default 1 GiB, 14..2^31-1)
 *   index.interval.bytes    bytes appended between offset index entries (default 4096, >= 0)
 *   message.timestamp.type  CreateTime (default) | LogAppendTime: stamp maxTimestamp = append time
 */
import {InvalidConfigError} from './errors.js'

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
/** Kafka's lower bound for segment.bytes (LegacyRecord.RECORD_OVERHEAD_V0) */
const MIN_SEGMENT_BYTES = 14

/** The log config of a topic's configs; throws InvalidConfigError naming the first bad value. */
export function logConfigFrom(configs: Readonly<Record<string, string>>): LogConfig {
  return {
    segmentBytes: intConfig(configs, 'segment.bytes', DEFAULT_LOG_CONFIG.segmentBytes, MIN_SEGMENT_BYTES),
    indexIntervalBytes: intConfig(configs, 'index.interval.bytes', DEFAULT_LOG_CONFIG.indexIntervalBytes, 0),
    timestampType: timestampTypeConfig(configs),
  }
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
