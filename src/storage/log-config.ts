/**
 * LogConfig: the topic configs (Kafka names, types, ranges and defaults) that storage acts on.
 * Other topic configs are kept in the topic metadata and ignored here; the broker validates them.
 *
 *   segment.bytes              roll before the active segment would grow past this (1 GiB; 1 MiB..2^31-1)
 *   segment.ms                 roll once the active segment's first batch is this old (7 days; >= 1)
 *   segment.jitter.ms          segment.ms is shortened by a random amount below this, per segment (0; >= 0)
 *   index.interval.bytes       bytes appended between index entries (4096; >= 0)
 *   message.timestamp.type     CreateTime (default) | LogAppendTime: stamp maxTimestamp = append time
 *   retention.ms               delete closed segments whose largest timestamp is older (7 days; -1 = never)
 *   retention.bytes            delete the oldest closed segments while the partition is larger (-1 = never; any negative)
 *   flush.messages             fdatasync once this many offsets are unflushed (Long.MAX = never; >= 1)
 *   flush.ms                   fdatasync once the last flush is this old (Long.MAX = never; >= 0)
 *   cleanup.policy             list of delete, compact (delete): retention applies only with delete
 *   delete.retention.ms        how long compaction keeps tombstones (1 day; >= 0)
 *   min.cleanable.dirty.ratio  dirty share of a log before compaction cleans it (0.5; 0..1)
 *   min.compaction.lag.ms      a record stays uncompacted at least this long (0; >= 0)
 *   max.compaction.lag.ms      a record is compacted at the latest after this (Long.MAX; >= 1)
 *   file.delete.delay.ms       a deleted segment's files stay as `.deleted` this long (60 s; >= 0)
 *
 * The compaction configs are parsed and validated only: the log cleaner is not written yet.
 *
 * The 1 MiB floor of segment.bytes is Kafka 4.0's (KIP-1030): below it a busy topic rolls a segment
 * every few batches, and files, descriptors and directory entries multiply for nothing. The floor is
 * a parameter so that the log manager's owner (tests of rolling and recovery) can lower it; topic
 * configs cannot.
 */
import {type Configs, doubleConfig, intConfig, listConfig, LONG_MAX, longConfig, oneOfConfig} from './config-values.js'
import {InvalidConfigError} from './errors.js'
import {type Logger} from './logger.js'

export type TimestampType = 'CreateTime' | 'LogAppendTime'
export type CleanupPolicy = 'delete' | 'compact'

export interface LogConfig {
  segmentBytes: number
  segmentMs: number
  segmentJitterMs: number
  indexIntervalBytes: number
  timestampType: TimestampType
  /** -1: no time limit */
  retentionMs: number
  /** negative: no size limit */
  retentionBytes: number
  /** LONG_MAX: never */
  flushMessages: number
  /** LONG_MAX: never */
  flushMs: number
  cleanupPolicy: readonly CleanupPolicy[]
  deleteRetentionMs: number
  minCleanableDirtyRatio: number
  minCompactionLagMs: number
  maxCompactionLagMs: number
  fileDeleteDelayMs: number
}

const DAY_MS = 24 * 60 * 60 * 1000

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  segmentJitterMs: 0,
  indexIntervalBytes: 4096,
  timestampType: 'CreateTime',
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  flushMessages: LONG_MAX,
  flushMs: LONG_MAX,
  cleanupPolicy: Object.freeze(['delete'] as CleanupPolicy[]),
  deleteRetentionMs: DAY_MS,
  minCleanableDirtyRatio: 0.5,
  minCompactionLagMs: 0,
  maxCompactionLagMs: LONG_MAX,
  fileDeleteDelayMs: 60_000,
})

/** The topic config names LogConfig reads: the others are not storage's to validate. */
export const STORAGE_CONFIG_NAMES: readonly string[] = Object.freeze([
  'segment.bytes',
  'segment.ms',
  'segment.jitter.ms',
  'index.interval.bytes',
  'message.timestamp.type',
  'retention.ms',
  'retention.bytes',
  'flush.messages',
  'flush.ms',
  'cleanup.policy',
  'delete.retention.ms',
  'min.cleanable.dirty.ratio',
  'min.compaction.lag.ms',
  'max.compaction.lag.ms',
  'file.delete.delay.ms',
])

/** Kafka 4.0's lower bound for segment.bytes */
export const MIN_SEGMENT_BYTES = 1024 * 1024
/** Kafka's lower bound for segment.bytes before 4.0 (LegacyRecord.RECORD_OVERHEAD_V0): what older topics may hold */
const LEGACY_MIN_SEGMENT_BYTES = 14

/**
 * The log config of a topic being created or altered; throws InvalidConfigError naming the first bad
 * value. `configs` is the topic's overrides over the broker's defaults, already merged.
 * `minSegmentBytes` is the smallest segment.bytes accepted.
 */
export function logConfigFrom(configs: Configs, minSegmentBytes = MIN_SEGMENT_BYTES): LogConfig {
  const d = DEFAULT_LOG_CONFIG
  const config: LogConfig = {
    segmentBytes: intConfig(configs, 'segment.bytes', d.segmentBytes, minSegmentBytes),
    segmentMs: longConfig(configs, 'segment.ms', d.segmentMs, 1),
    segmentJitterMs: longConfig(configs, 'segment.jitter.ms', d.segmentJitterMs, 0),
    indexIntervalBytes: intConfig(configs, 'index.interval.bytes', d.indexIntervalBytes, 0),
    timestampType: oneOfConfig<TimestampType>(configs, 'message.timestamp.type', d.timestampType, ['CreateTime', 'LogAppendTime']),
    retentionMs: longConfig(configs, 'retention.ms', d.retentionMs, -1),
    retentionBytes: longConfig(configs, 'retention.bytes', d.retentionBytes),
    flushMessages: longConfig(configs, 'flush.messages', d.flushMessages, 1),
    flushMs: longConfig(configs, 'flush.ms', d.flushMs, 0),
    cleanupPolicy: listConfig<CleanupPolicy>(configs, 'cleanup.policy', d.cleanupPolicy, ['delete', 'compact']),
    deleteRetentionMs: longConfig(configs, 'delete.retention.ms', d.deleteRetentionMs, 0),
    minCleanableDirtyRatio: doubleConfig(configs, 'min.cleanable.dirty.ratio', d.minCleanableDirtyRatio, 0, 1),
    minCompactionLagMs: longConfig(configs, 'min.compaction.lag.ms', d.minCompactionLagMs, 0),
    maxCompactionLagMs: longConfig(configs, 'max.compaction.lag.ms', d.maxCompactionLagMs, 1),
    fileDeleteDelayMs: longConfig(configs, 'file.delete.delay.ms', d.fileDeleteDelayMs, 0),
  }
  if (config.minCompactionLagMs > config.maxCompactionLagMs) {
    throw new InvalidConfigError(
      `min.compaction.lag.ms ${config.minCompactionLagMs} must not be larger than max.compaction.lag.ms ${config.maxCompactionLagMs}`,
    )
  }
  return config
}

/**
 * The log config of a stored topic. A segment.bytes below `minSegmentBytes` that an earlier version
 * accepted is raised to it, and the logger told, rather than leaving the data directory unopenable;
 * the stored value itself is left as it is.
 */
export function storedLogConfig(topic: string, configs: Configs, minSegmentBytes: number, logger: Logger): LogConfig {
  const config = logConfigFrom(configs, Math.min(minSegmentBytes, LEGACY_MIN_SEGMENT_BYTES))
  if (config.segmentBytes >= minSegmentBytes) return config
  logger(`${topic}: segment.bytes ${config.segmentBytes} is below the minimum ${minSegmentBytes}; using ${minSegmentBytes}`)
  return {...config, segmentBytes: minSegmentBytes}
}

/** Whether retention (retention.ms, retention.bytes) deletes segments of a log with this config. */
export function deletesOldSegments(config: LogConfig): boolean {
  return config.cleanupPolicy.includes('delete')
}
