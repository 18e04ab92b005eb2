/**
 * ProducerStateManager: the idempotent and transactional producers of one partition (Kafka's class
 * of the same name), kept by the partition log: per producer id its epoch, last 5 batches,
 * coordinator epoch and open transaction (producer-append.ts), and the open transactions in offset
 * order (ongoing-transactions.ts), which give the last stable offset.
 *
 * An append goes in two steps so that a refused or failed write changes nothing: check() before the
 * bytes are written (a duplicate, or an error thrown), update() after. Replaying the log at open
 * (producer-state-loader.ts) calls update() alone: what the log holds was accepted once.
 *
 * In memory; made durable by snapshots (producer-snapshot.ts) plus a scan of the log after the
 * snapshot. No per-record work: everything comes from batch headers.
 */
import {applyBatch, type BatchMetadata, checkAppend, type CompletedTxn, emptyEntry, findDuplicate, lastSequenceOf,
  type ProducerStateEntry} from './producer-append.js'
import {type ProducerBatch} from './producer-batch.js'
import {type AppendOrigin} from './partition-log-types.js'
import {OngoingTransactions} from './ongoing-transactions.js'

/** Kafka's producer.id.expiration.ms default: a day. */
export const DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000

/** What DescribeProducers shows of one producer. */
export interface ActiveProducer {
  producerId: bigint
  producerEpoch: number
  lastSequence: number
  lastTimestamp: number
  coordinatorEpoch: number
  /** -1 when no transaction is open */
  currentTxnFirstOffset: number
}

export class ProducerStateManager {
  private readonly producers = new Map<bigint, ProducerStateEntry>()
  private readonly ongoing = new OngoingTransactions()

  constructor(private readonly name: string) {}

  get producerCount(): number {
    return this.producers.size
  }

  /**
   * Before a batch is written: the cached batch a client's batch repeats (a retry, not to be
   * appended again), or undefined when it may be appended. Throws InvalidProducerEpochError,
   * OutOfOrderSequenceError, InvalidTxnStateError or TransactionCoordinatorFencedError. A
   * coordinator's batch is never a duplicate and its sequence is not checked (Kafka's
   * origin=COORDINATOR).
   */
  check(batch: ProducerBatch, origin: AppendOrigin = 'client'): BatchMetadata | undefined {
    const entry = this.producers.get(batch.producerId)
    if (batch.control === undefined && origin === 'client') {
      const duplicate = findDuplicate(entry, batch)
      if (duplicate !== undefined) return duplicate
    }
    checkAppend(entry, batch, this.name, origin)
    return undefined
  }

  /** After a batch was written at [firstOffset, lastOffset]: the state it leads to; a marker returns the transaction it ended. */
  update(batch: ProducerBatch, firstOffset: number, lastOffset: number): CompletedTxn | undefined {
    let entry = this.producers.get(batch.producerId)
    if (entry === undefined) {
      entry = emptyEntry(batch.producerId)
      this.producers.set(batch.producerId, entry)
    }
    const openBefore = entry.currentTxnFirstOffset
    const completed = applyBatch(entry, batch, firstOffset, lastOffset)
    if (openBefore < 0 && entry.currentTxnFirstOffset >= 0) this.ongoing.add(entry.currentTxnFirstOffset, entry.producerId)
    if (completed !== undefined) this.ongoing.remove(completed.firstOffset)
    return completed
  }

  /** The first offset of the earliest open transaction, else `logEndOffset`. */
  lastStableOffset(logEndOffset: number): number {
    return this.ongoing.firstOffset() ?? logEndOffset
  }

  /**
   * The last stable offset once `completed` is over, as Kafka records it in the transaction index:
   * the earliest other open transaction's first offset, else the offset after the marker.
   */
  lastStableOffsetAfter(completed: CompletedTxn): number {
    return this.ongoing.firstOffsetExcept(completed.producerId) ?? completed.lastOffset + 1
  }

  /** Every producer with state here, by id. */
  activeProducers(): ActiveProducer[] {
    return [...this.producers.values()].map((entry) => ({
      producerId: entry.producerId,
      producerEpoch: entry.producerEpoch,
      lastSequence: lastSequenceOf(entry),
      lastTimestamp: entry.lastTimestamp,
      coordinatorEpoch: entry.coordinatorEpoch,
      currentTxnFirstOffset: entry.currentTxnFirstOffset,
    }))
  }

  /**
   * Forgets the producers idle for `expirationMs` (since their last batch's timestamp) that have no
   * open transaction, as Kafka's producer.id.expiration.ms; returns how many.
   */
  removeExpired(now: number, expirationMs: number): number {
    let removed = 0
    for (const [id, entry] of this.producers) {
      if (entry.currentTxnFirstOffset < 0 && now - entry.lastTimestamp >= expirationMs) {
        this.producers.delete(id)
        removed++
      }
    }
    return removed
  }

  /** The entries, for a snapshot (copies). */
  entries(): ProducerStateEntry[] {
    return [...this.producers.values()].map((entry) => ({...entry, batches: [...entry.batches]}))
  }

  /** Replaces the state by a snapshot's entries. */
  load(entries: readonly ProducerStateEntry[]): void {
    this.producers.clear()
    for (const entry of entries) this.producers.set(entry.producerId, {...entry, batches: [...entry.batches]})
    const open = entries.filter((entry) => entry.currentTxnFirstOffset >= 0)
    this.ongoing.reset(open.map((entry) => ({firstOffset: entry.currentTxnFirstOffset, producerId: entry.producerId})))
  }
}
