// Turns the record batches fetched for one partition into records for the caller: control batches
// (transaction markers) are hidden, under read_committed so are the batches of aborted transactions
// (aborted-transactions.ts), and records below the fetch position are dropped, since a fetch starts
// with the whole batch containing the requested offset. Batches are decoded into layouts
// (positions, no object per record); record objects are made only for a caller that asks for them.
import {
  RecordView, inflateLayout, inflateLayoutSync, readBatchHeader, type ConsumedRecord, type RecordLayout,
} from '../protocol/index.js'
import type {AbortedTransactions} from './aborted-transactions.js'
import type {IsolationLevel} from './fetch-request.js'

/** Offset after the last record of a batch (read from the header alone). */
export function nextOffsetAfter(batch: Buffer): number {
  const header = readBatchHeader(batch)
  return header.baseOffset + header.lastOffsetDelta + 1
}

/** The records of a layout from index `from` on. */
interface LayoutRange {
  layout: RecordLayout
  from: number
}

/** One partition's records from one Fetch response, as the consumer yields them. */
export class FetchedBatch {
  private objects: ConsumedRecord[] | null = null

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly highWatermark: number,
    private readonly ranges: readonly LayoutRange[],
    /**
     * Where this reader's view of the partition ends: the high watermark under read_uncommitted, the
     * last stable offset under read_committed (records past it are not served until their transaction
     * ends; Kafka's consumer measures lag against it, and --exit-at-end stops there).
     */
    readonly endOffset: number = highWatermark,
  ) {}

  /** The records as objects, made on first use (forEachRecord makes none). */
  get records(): ConsumedRecord[] {
    if (this.objects === null) {
      const objects: ConsumedRecord[] = []
      for (const {layout, from} of this.ranges) for (let i = from; i < layout.count; i++) objects.push(layout.record(i))
      this.objects = objects
    }
    return this.objects
  }

  get recordCount(): number {
    let count = 0
    for (const {layout, from} of this.ranges) count += layout.count - from
    return count
  }

  /**
   * Calls `visit` for each record in order, with one view moved from record to record (valid only
   * during the call), until `visit` returns false. Returns whether every record was visited.
   */
  forEachRecord(visit: (record: ConsumedRecord) => boolean): boolean {
    const view = new RecordView()
    for (const {layout, from} of this.ranges) {
      for (let i = from; i < layout.count; i++) if (!visit(view.moveTo(layout, i))) return false
    }
    return true
  }
}

/** Where the records of one partition's fetched batches end, and which aborted transactions they overlap. */
export interface FetchedBounds {
  highWatermark: number
  /** Equal to highWatermark under read_uncommitted. */
  endOffset: number
  /** Under read_committed, the response's aborted transactions; null when there are none to drop. */
  aborted: AbortedTransactions | null
}

/**
 * Where a reader at `level` stops: the last stable offset under read_committed (when the broker gave
 * one: Fetch v4+), else the high watermark.
 */
export function endOffsetFor(level: IsolationLevel, highWatermark: number, lastStableOffset: number): number {
  return level === 'read_committed' && lastStableOffset >= 0 ? lastStableOffset : highWatermark
}

/** The records at or above `position` in `batches`, decoded. Verifies each batch's CRC. */
export async function recordsFrom(topic: string, partition: number, bounds: FetchedBounds,
  batches: readonly Buffer[], position: number): Promise<FetchedBatch> {
  const ranges: LayoutRange[] = []
  const aborted = bounds.aborted
  for (const batch of batches) {
    const header = readBatchHeader(batch)
    // The aborted-transaction walk sees every batch, in order, before the position check.
    if (aborted !== null ? aborted.drops(header, batch) : header.isControl) continue
    if (header.baseOffset + header.lastOffsetDelta < position) continue
    const layout = header.compression === 'zstd' ? await inflateLayout(batch) : inflateLayoutSync(batch)
    const from = header.baseOffset >= position ? 0 : firstAtOrAbove(layout, position)
    if (from < layout.count) ranges.push({layout, from})
  }
  return new FetchedBatch(topic, partition, bounds.highWatermark, ranges, bounds.endOffset)
}

/** Index of the first record at or above `position` (offsets rise through a batch). */
function firstAtOrAbove(layout: RecordLayout, position: number): number {
  let i = 0
  while (i < layout.count && layout.offset(i) < position) i++
  return i
}
