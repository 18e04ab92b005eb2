/**
 * Which part of a compacted log a cleaning covers, and whether it is due: Kafka's
 * LogCleanerManager rules, pure functions of the segments, the config and the time.
 *
 * - The clean part is [log start, first dirty offset), the first dirty offset being where the last
 *   cleaning's offset map ended (the cleaner-offset-checkpoint; the log start when unknown or
 *   outside the log). The dirty part runs from there to the first uncleanable offset: the active
 *   segment's base offset (the active segment is never cleaned), or the base of the first segment
 *   holding a record younger than min.compaction.lag.ms, or the recovery point, or the last stable
 *   offset, if lower.
 * - Sizes count whole segments: the segment holding the first dirty offset counts as dirty.
 * - A cleaning is due when the dirty share of clean + dirty bytes is above
 *   min.cleanable.dirty.ratio; or when a dirty segment's first batch is older than
 *   max.compaction.lag.ms (and there is something to clean); or when the earliest delete horizon
 *   of the tombstones the last cleaning kept has passed, so they can go.
 */
import {LONG_MAX} from './config-values.js'
import {type LogConfig} from './log-config.js'
import {type LogSegment} from './log-segment.js'

export type CleaningReason = 'dirty-ratio' | 'max-compaction-lag' | 'delete-horizon'

export interface CleaningPlan {
  firstDirtyOffset: number
  firstUncleanableOffset: number
  cleanBytes: number
  dirtyBytes: number
  reason: CleaningReason
}

export interface PlanInput {
  /** every segment of the log, the active one last */
  segments: readonly LogSegment[]
  config: LogConfig
  logStartOffset: number
  logEndOffset: number
  /** everything below it is on disk */
  recoveryPoint: number
  /** the first offset of the earliest open transaction, else the log end */
  lastStableOffset: number
  /** the checkpointed first dirty offset, if any */
  checkpoint: number | undefined
  /** the earliest delete horizon among the tombstones the last cleaning kept */
  deleteHorizon: number | undefined
  now: number
}

export function planCleaning(input: PlanInput): CleaningPlan | undefined {
  const {segments, config, now} = input
  const c = input.checkpoint
  const firstDirtyOffset = c === undefined || c < input.logStartOffset || c > input.logEndOffset ? input.logStartOffset : c
  const firstUncleanableOffset = firstUncleanable(segments, config, now, Math.min(input.recoveryPoint, input.lastStableOffset))
  let cleanBytes = 0
  let dirtyBytes = 0
  const dirty: LogSegment[] = []
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i] as LogSegment
    const next = (segments[i + 1] as LogSegment).baseOffset
    if (next <= firstDirtyOffset) cleanBytes += segment.size
    else if (segment.baseOffset < firstUncleanableOffset) {
      dirtyBytes += segment.size
      dirty.push(segment)
    }
  }
  const plan = {firstDirtyOffset, firstUncleanableOffset, cleanBytes, dirtyBytes}
  const cleanable = dirtyBytes > 0 && firstUncleanableOffset > firstDirtyOffset
  if (cleanable && dirtyBytes / (cleanBytes + dirtyBytes) > config.minCleanableDirtyRatio) return {...plan, reason: 'dirty-ratio'}
  if (cleanable && overdue(dirty, config, now)) return {...plan, reason: 'max-compaction-lag'}
  if (input.deleteHorizon !== undefined && input.deleteHorizon <= now && cleanBytes > 0) return {...plan, reason: 'delete-horizon'}
  return undefined
}

/**
 * The base offset of the first segment the cleaner must leave alone: the active one, one younger than
 * min.compaction.lag.ms, or one reaching `limit`: not wholly on disk, or holding the last stable
 * offset. The first keeps a durable record from being cleaned away for a newer one that a power
 * failure could still take back (the roll's background flush soon makes a sealed segment durable);
 * the second keeps the cleaner off open transactions, whose outcome is not known yet (Kafka's rule).
 */
function firstUncleanable(segments: readonly LogSegment[], config: LogConfig, now: number, limit: number): number {
  const active = segments[segments.length - 1] as LogSegment
  const lag = config.minCompactionLagMs
  const uncleanable = segments.find((segment, i) => segment === active
    || (segments[i + 1] as LogSegment).baseOffset > limit
    || (lag > 0 && (segment.largestTimestamp()?.timestamp ?? -1) > now - lag))
  return (uncleanable ?? active).baseOffset
}

/** Whether a dirty segment's first batch is older than max.compaction.lag.ms (batches without a timestamp do not count). */
function overdue(dirty: readonly LogSegment[], config: LogConfig, now: number): boolean {
  if (config.maxCompactionLagMs >= LONG_MAX) return false
  return dirty.some((segment) => {
    const first = segment.firstBatchTimestamp()
    return first !== undefined && first > 0 && first < now - config.maxCompactionLagMs
  })
}

/** Whether a log with this config is compacted: cleanup.policy includes compact. */
export function compacts(config: LogConfig): boolean {
  return config.cleanupPolicy.includes('compact')
}

/** The config the segment.ms roll reads: a compacted log rolls at max.compaction.lag.ms when that is shorter (Kafka's maxSegmentMs), so its records become cleanable in time. */
export function rollConfigOf(config: LogConfig): LogConfig {
  return compacts(config) && config.maxCompactionLagMs < config.segmentMs ? {...config, segmentMs: config.maxCompactionLagMs} : config
}
