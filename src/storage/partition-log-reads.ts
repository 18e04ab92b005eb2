/**
 * The read path of a partition log: finding the batch that holds an offset, and serving what a
 * search (by offset here, by time in timestamp-lookup.ts) found only after checking it.
 *
 * Separate from partition-log.ts, which owns appends, rolls and the log's offsets: these are pure
 * steps over the segments and the corruption log, the same for every kind of read. Bytes are
 * served as stored (log-segment.ts documents the format); nothing is written here.
 */
import {type CorruptionLog} from './corruption-log.js'
import {CorruptLogError} from './errors.js'
import {segmentIndexFor} from './log-loader.js'
import {type LogSegment} from './log-segment.js'
import {type FoundBatch} from './timestamp-lookup.js'

/** The first batch, from the segment that should hold `offset` on, whose last offset is at or after it. */
export function batchContaining(segments: readonly LogSegment[], offset: number): FoundBatch | undefined {
  for (let i = segmentIndexFor(segments, offset); i < segments.length; i++) {
    const segment = segments[i] as LogSegment
    const first = segment.locate(offset)
    if (first) return {segment, frame: first}
  }
  return undefined
}

/**
 * The batches `find` leads to, up to `maxBytes`, each checked (corruption-log.ts): a damaged batch
 * is reported and never served. `near` is the offset the search is about, for the report when
 * the damage keeps even the first batch from being found.
 */
export function checkedRead(corruption: CorruptionLog, near: number, find: () => FoundBatch | undefined, maxBytes: number): Buffer {
  let found: FoundBatch | undefined
  let bytes: Buffer
  try {
    found = find()
    if (!found) return Buffer.alloc(0)
    bytes = found.segment.readBatches(found.frame, maxBytes)
  } catch (err) {
    if (err instanceof CorruptLogError) throw corruption.reportError(err, found?.frame.baseOffset ?? near)
    throw err
  }
  return corruption.verified(bytes, found.frame.baseOffset)
}
