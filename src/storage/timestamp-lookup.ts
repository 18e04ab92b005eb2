/**
 * Lookups by time over the segments of a log, at or above its log start offset:
 * - the first batch, in offset order, whose maxTimestamp is at or after a timestamp (ListOffsets by
 *   time): the first segment whose largest timestamp reaches it, then that segment's time index
 *   and a short scan (log-segment.ts);
 * - the batch holding the largest timestamp (ListOffsets MAX_TIMESTAMP): the segment with the
 *   largest, the earliest on a tie, and the batch its time index names.
 * Each segment's largest timestamp is in memory once its indexes are loaded, so the cost does not
 * grow with the size of the log; only a log start offset inside the first segment, above its
 * largest batch, costs a scan of the rest of that segment.
 */
import {type ScannedFrame} from './frame-scanner.js'
import {laterLargest} from './index-rule.js'
import {segmentIndexFor} from './log-loader.js'
import {type LogSegment} from './log-segment.js'
import {type TimeIndexEntry} from './time-index.js'

export interface FoundBatch {
  segment: LogSegment
  frame: ScannedFrame
}

export function firstBatchAtOrAfter(segments: readonly LogSegment[], timestamp: number, logStartOffset: number): FoundBatch | undefined {
  for (let i = Math.max(0, segmentIndexFor(segments, logStartOffset)); i < segments.length; i++) {
    const segment = segments[i] as LogSegment
    const largest = segment.largestTimestamp()
    if (!largest || largest.timestamp < timestamp) continue
    const frame = segment.locateByTimestamp(timestamp, logStartOffset)
    if (frame) return {segment, frame}
  }
  return undefined
}

export function batchWithLargestTimestamp(segments: readonly LogSegment[], logStartOffset: number): FoundBatch | undefined {
  const first = Math.max(0, segmentIndexFor(segments, logStartOffset))
  let best: {segment: LogSegment; largest: TimeIndexEntry} | undefined
  for (let i = first; i < segments.length; i++) {
    const segment = segments[i] as LogSegment
    const largest = i === first ? largestFrom(segment, logStartOffset) : segment.largestTimestamp()
    if (largest && laterLargest(best?.largest, largest) !== best?.largest) best = {segment, largest}
  }
  if (!best) return undefined
  const frame = best.segment.locate(best.largest.offset)
  return frame && {segment: best.segment, frame}
}

/** The segment's largest timestamp among the batches that end at or above `offset`. */
function largestFrom(segment: LogSegment, offset: number): TimeIndexEntry | undefined {
  const largest = segment.largestTimestamp()
  if (!largest || largest.offset >= offset) return largest
  const holder = segment.locate(largest.offset)
  return holder && holder.lastOffset >= offset ? largest : segment.largestTimestampFrom(offset)
}
