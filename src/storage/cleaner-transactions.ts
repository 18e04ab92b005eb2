/**
 * CleanerTransactions: what the log cleaner does with transactions (Kafka's
 * CleanedTransactionMetadata), over one cleaning's walk of the log, batch by batch in offset order:
 *
 * - A batch of an aborted transaction (a transactional batch of producer P inside [firstOffset,
 *   lastOffset] of one of P's entries in the segments' .txnindex files) is dropped whole, and its
 *   keys never enter the offset map: an aborted record must not win over a committed one.
 * - A marker (control batch) may go once no batch of its transaction is left: a COMMIT when this
 *   walk met no batch of that transaction before it, an ABORT when it met none of its aborted
 *   batches (those it met are dropped in this cleaning, so the next one may let the marker go).
 *   It then first gets a delete horizon (now + delete.retention.ms, as tombstones do, KIP-534) and
 *   is dropped by the first cleaning after that, so consumers that are behind still see it.
 *
 * The cleaner never reaches the last stable offset (cleaner-plan.ts): every transaction whose
 * batches it rewrites has ended, and an aborted one's entry is in an index. Since the aborted
 * batches of the rewritten range are all dropped in the same walk, the cleaned segments need no
 * .txnindex of their own; entries of later segments that name dropped batches are harmless.
 *
 * Reads batch headers (and a marker's key) only.
 */
import {type LogSegment} from './log-segment.js'
import {NO_PRODUCER_ID, readProducerBatch} from './producer-batch.js'
import {ATTRIBUTES_AT, PRODUCER_ID_AT, TRANSACTIONAL_FLAG} from './stored-batch.js'

export class CleanerTransactions {
  /** per producer, the [firstOffset, lastOffset] of its aborted transactions */
  private readonly aborted = new Map<bigint, {first: number; last: number}[]>()
  /** producers whose committed (or not yet ended) transaction had a batch in this walk since their last marker */
  private readonly metCommitted = new Set<bigint>()
  /** producers whose aborted transaction had a batch in this walk since their last marker */
  private readonly metAborted = new Set<bigint>()

  constructor(segments: readonly LogSegment[]) {
    for (const segment of segments) {
      for (const txn of segment.transactions.all()) {
        const ranges = this.aborted.get(txn.producerId) ?? []
        ranges.push({first: txn.firstOffset, last: txn.lastOffset})
        this.aborted.set(txn.producerId, ranges)
      }
    }
  }

  /** Whether a data batch (at `baseOffset`) belongs to an aborted transaction; remembers which transactions had batches. */
  isAborted(batch: Buffer, baseOffset: number): boolean {
    if ((batch.readInt16BE(ATTRIBUTES_AT) & TRANSACTIONAL_FLAG) === 0) return false
    const producerId = batch.readBigInt64BE(PRODUCER_ID_AT)
    if (producerId === NO_PRODUCER_ID) return false
    const aborted = this.aborted.get(producerId)?.some((range) => range.first <= baseOffset && baseOffset <= range.last) === true
    ;(aborted ? this.metAborted : this.metCommitted).add(producerId)
    return aborted
  }

  /** Whether a marker may go (once its delete horizon passed): no batch of its transaction is left. */
  markerMayGo(batch: Buffer): boolean {
    const marker = readProducerBatch(batch)
    if (typeof marker === 'string' || marker.control === undefined) return false
    const met = marker.control === 'COMMIT' ? this.metCommitted : this.metAborted
    const left = met.delete(marker.producerId)
    // a marker ends the producer's transaction either way
    this.metCommitted.delete(marker.producerId)
    this.metAborted.delete(marker.producerId)
    return !left
  }
}
