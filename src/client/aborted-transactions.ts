// Kafka's read_committed consumer algorithm over one Fetch response of one partition. The broker lists
// the aborted transactions overlapping what it returned, as (producerId, firstOffset); it does not mark
// their batches. Walking the batches in offset order, a producer's transactional batches are dropped from
// the first offset of one of its aborted transactions until that transaction's ABORT marker (a control
// batch of the same producer), which ends it. A producer may abort several transactions in one response:
// they are taken in first-offset order, each one only once the walk reaches its first offset, so the
// committed transactions of the same producer before it still come through.
//
// Only batch headers are read (and the marker type from a control batch's first key): no record is
// decoded to decide. Producer ids are compared as the numbers the header reader gives (int64 read as a
// double: ids beyond 2^53 would collide, which no broker allocates).
import {controlBatchType, type BatchHeader} from '../protocol/index.js'

export interface AbortedTransactionEntry {
  producerId: number
  firstOffset: number
}

export class AbortedTransactions {
  /** Aborted transactions not yet reached, by first offset (lowest last, so the next one pops). */
  private readonly pending: AbortedTransactionEntry[]
  /** Producers whose aborted transaction the walk is inside. */
  private readonly aborting = new Set<number>()

  constructor(aborted: readonly AbortedTransactionEntry[]) {
    this.pending = [...aborted].sort((a, b) => b.firstOffset - a.firstOffset)
  }

  /**
   * Whether the batch is to be dropped: a control batch (never shown), or a transactional batch of a
   * producer inside an aborted transaction. Called once per batch, in offset order, from the first batch
   * of the response (below the reader's position too: markers there end transactions).
   */
  drops(header: BatchHeader, batch: Buffer): boolean {
    if (header.producerId < 0) return header.isControl
    const lastOffset = header.baseOffset + header.lastOffsetDelta
    while (this.pending.length > 0 && this.pending[this.pending.length - 1]!.firstOffset <= lastOffset) {
      this.aborting.add(this.pending.pop()!.producerId)
    }
    if (header.isControl) {
      if (controlBatchType(batch) === 'ABORT') this.aborting.delete(header.producerId)
      return true
    }
    return header.isTransactional && this.aborting.has(header.producerId)
  }
}
