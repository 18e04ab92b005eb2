/**
 * The index rule: which batches of a segment get offset index and time index entries. Appends
 * (log-segment.ts) and rebuilds from the log (segment-walk.ts) both apply it, batch by batch, so a
 * rebuilt index is the one the appends wrote, and an index that is not can be told apart.
 *
 * A batch gets an offset index entry when more than index.interval.bytes were appended since the
 * previous entry (so the first batch, at position 0, never does). With it, the time index gets the
 * largest timestamp so far and the first batch that held it, when that grew since its last entry
 * (time-index.ts). The state is a value: an append applies the rule, writes, and keeps the new
 * state only once the writes succeeded.
 */
import {type IndexEntry} from './offset-index.js'
import {type TimeIndexEntry} from './time-index.js'

export interface IndexRuleState {
  bytesSinceLastEntry: number
  /** the largest batch maxTimestamp so far and the first batch holding it; undefined before the first batch */
  largest: TimeIndexEntry | undefined
}

export interface IndexedBatch {
  baseOffset: number
  /** byte position in the .log */
  position: number
  size: number
  maxTimestamp: number
}

export interface IndexRuleStep {
  state: IndexRuleState
  offsetEntry?: IndexEntry
  timeEntry?: TimeIndexEntry
}

export const EMPTY_INDEX_RULE_STATE: IndexRuleState = Object.freeze({bytesSinceLastEntry: 0, largest: undefined})

export function applyIndexRule(state: IndexRuleState, batch: IndexedBatch, intervalBytes: number): IndexRuleStep {
  const indexed = state.bytesSinceLastEntry > intervalBytes
  const largest = laterLargest(state.largest, {timestamp: batch.maxTimestamp, offset: batch.baseOffset})
  const next = {bytesSinceLastEntry: (indexed ? 0 : state.bytesSinceLastEntry) + batch.size, largest}
  return indexed ? {state: next, offsetEntry: {offset: batch.baseOffset, position: batch.position}, timeEntry: largest} : {state: next}
}

/** The larger of two (timestamp, offset) pairs, `earlier`'s on a tie: it names the first batch holding the timestamp. */
export function laterLargest(earlier: TimeIndexEntry | undefined, later: TimeIndexEntry | undefined): TimeIndexEntry | undefined {
  if (!earlier) return later
  if (!later) return earlier
  return later.timestamp > earlier.timestamp ? later : earlier
}

/** Appends `entry` to a list of time index entries if its timestamp is larger than the last one's, as TimeIndex.maybeAppend does. */
export function pushTimeEntry(entries: TimeIndexEntry[], entry: TimeIndexEntry | undefined): void {
  const last = entries[entries.length - 1]
  if (entry && (!last || entry.timestamp > last.timestamp)) entries.push(entry)
}
