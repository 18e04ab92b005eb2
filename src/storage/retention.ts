/**
 * Retention and time-based rolling: which segments of a log a retention pass deletes, and when
 * the active segment rolls because of its age. Pure functions of the segments and the config; the
 * partition log acts on their answers.
 *
 * Deleted are the oldest segments that any of these rules expires, each rule taken from the
 * oldest segment on as Kafka applies it (so the answer is the longest of their prefixes):
 * - the log start offset: a segment whose successor starts at or below it holds nothing readable
 *   (after DeleteRecords), whatever the cleanup policy;
 * - retention.ms (cleanup.policy with delete, -1 = never): its largest timestamp is older than now - retention.ms;
 *   a segment whose batches carry no timestamp (-1) counts from its last write, as Kafka takes the
 *   file's modification time, so that such records do not expire at the first pass;
 * - retention.bytes (with delete, negative = never): deleting it leaves the log at or above retention.bytes.
 * The active segment counts when it holds batches: if it expires too, the log rolls first, so a
 * segment is only ever deleted once sealed (Kafka does the same).
 *
 * segment.ms (Kafka's rule): the active segment rolls once the time between its first batch's
 * timestamp and the new batch's is more than segment.ms minus the segment's jitter; when the first
 * batch has no timestamp (-1), the time since the segment was made counts. A retention pass applies
 * the rule with now as the new timestamp, so an idle segment rolls and can then expire.
 */
import {deletesOldSegments, type LogConfig} from './log-config.js'
import {type LogSegment} from './log-segment.js'

export function expiredSegmentCount(segments: readonly LogSegment[], config: LogConfig, now: number, logStartOffset: number): number {
  const byStart = segmentsBelow(segments, logStartOffset)
  if (!deletesOldSegments(config)) return byStart
  const last = segments[segments.length - 1] as LogSegment
  const candidates = last.size > 0 ? segments.length : segments.length - 1
  return Math.max(byStart, expiredByTime(segments, candidates, config, now), expiredBySize(segments, candidates, config))
}

/** How many of the oldest segments hold only offsets below `logStartOffset`: their successor starts at or below it. */
export function segmentsBelow(segments: readonly LogSegment[], logStartOffset: number): number {
  let count = 0
  while (count < segments.length - 1 && (segments[count + 1] as LogSegment).baseOffset <= logStartOffset) count++
  return count
}

function expiredByTime(segments: readonly LogSegment[], candidates: number, config: LogConfig, now: number): number {
  if (config.retentionMs < 0) return 0
  const cutoff = now - config.retentionMs
  let count = 0
  while (count < candidates) {
    if (retentionTime(segments[count] as LogSegment) >= cutoff) break
    count++
  }
  return count
}

/** The time retention.ms counts from: the largest timestamp, else the last write (an empty segment never holds anything back). */
function retentionTime(segment: LogSegment): number {
  const largest = segment.largestTimestamp()
  if (largest === undefined) return -Infinity
  return largest.timestamp >= 0 ? largest.timestamp : segment.lastModified()
}

function expiredBySize(segments: readonly LogSegment[], candidates: number, config: LogConfig): number {
  if (config.retentionBytes < 0) return 0
  let excess = segments.reduce((sum, segment) => sum + segment.size, 0) - config.retentionBytes
  let count = 0
  while (count < candidates && excess - (segments[count] as LogSegment).size >= 0) {
    excess -= (segments[count] as LogSegment).size
    count++
  }
  return count
}

/** A new segment's jitter, as Kafka draws it: below min(segment.jitter.ms, segment.ms). */
export function rollJitterMs(config: LogConfig, random: () => number = Math.random): number {
  if (config.segmentJitterMs === 0) return 0
  return Math.floor(random() * Math.min(config.segmentJitterMs, config.segmentMs))
}

/** Whether the active segment rolls before a batch with maxTimestamp `timestamp` (or a retention pass, with `now`). */
export function dueToRollByTime(active: LogSegment, config: LogConfig, jitterMs: number, timestamp: number, now: number): boolean {
  if (active.size === 0) return false
  const first = active.firstBatchTimestamp()
  const waited = first !== undefined && first >= 0 ? timestamp - first : now - active.createdAt
  return waited > config.segmentMs - jitterMs
}
