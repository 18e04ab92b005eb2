// The idempotent producer's bookkeeping (Java's and librdkafka's behaviour), all of it per batch: no record
// is looked at. The producer has an id and epoch from InitProducerId; each partition numbers its records
// from 0, and a batch carries the sequence of its first record (baseSequence). The broker keeps the last 5
// batches of each producer per partition: a retried batch it already wrote is answered with its original
// offsets and not written again, and a batch that does not continue the sequence is refused
// (OUT_OF_ORDER_SEQUENCE_NUMBER). So retries keep their sequences, and at most 5 batches of a partition are
// unacknowledged at once (producer-options.ts caps requests in flight at 5).
//
// Sequences are given when a batch closes, in its partition's order, and written into the batch header
// when it is encoded; a batch encoded before the producer had its id (or under an epoch since replaced) is
// stamped again before it is sent (batch-stamp.ts), which is rare. When a batch fails, the batches of its
// partition in flight behind it fail with OUT_OF_ORDER_SEQUENCE_NUMBER: those are retried (without using
// up their attempts) after it, and a retried batch is sent only when nothing of its partition is in
// flight, so the partition keeps its order. A gap the broker will never see filled (a batch failed for
// good, or the broker lost the producer's state: UNKNOWN_PRODUCER_ID) is closed by a new epoch: the
// producer stops sending, waits until nothing is in flight, asks InitProducerId again (with its current id
// and epoch where the broker takes them, KIP-360), and numbers every waiting batch from 0 again.
//
// A transactional producer (transaction-manager.ts) gets its id from its coordinator and never bumps here:
// a batch failing for good makes the transaction abortable, and fencing errors are fatal.
import {ErrorCode} from '../protocol/index.js'
import {KafkaProtocolError} from './errors.js'
import type {BatchOutcome} from './produce-request.js'
import {NO_PRODUCER, type ProducerIdAndEpoch} from './producer-id.js'
import type {PartitionQueue, ProducerBatch} from './record-accumulator.js'
import {stampProducer} from './batch-stamp.js'

/** Sequences are int32 and wrap from 2^31 - 1 to 0, as the broker counts them. */
const SEQUENCE_LIMIT = 2 ** 31

/** Errors that end a transactional producer for good (Java: fatal): another instance took over. */
const FENCING_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.PRODUCER_FENCED,
  ErrorCode.INVALID_PRODUCER_EPOCH,
  ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
])

export type IdempotenceState =
  /** No id yet, none asked for. */
  | 'new'
  /** InitProducerId under way (first id or a bump). */
  | 'initializing'
  | 'ready'
  /** A bump is due: nothing is sent until the requests in flight are answered. */
  | 'bump-pending'
  /** A fatal error: every record fails with it. */
  | 'failed'

export function nextSequence(sequence: number, count = 1): number {
  return (sequence + count) % SEQUENCE_LIMIT
}

export class Idempotence {
  identity: ProducerIdAndEpoch = NO_PRODUCER
  state: IdempotenceState = 'new'
  /** Counts identities: a batch numbered (or encoded) under an older one is numbered (stamped) again. */
  generation = 0
  fatalError: Error | null = null
  /** Transactional: the first batch that failed for good in the open transaction (it must be aborted). */
  abortableError: Error | null = null

  constructor(readonly transactional: boolean) {}

  /** Whether batches may be sent now. */
  get sending(): boolean {
    return this.state === 'ready'
  }

  /** A new id or epoch: the producer numbers its waiting batches again (renumber). */
  adopt(identity: ProducerIdAndEpoch): void {
    this.identity = identity
    this.generation++
    this.state = 'ready'
  }

  fail(error: Error): void {
    this.fatalError ??= error
    this.state = 'failed'
  }

  /** A gap in some partition's sequence: a new epoch is needed (idempotent producers only). */
  requestBump(): void {
    if (this.state === 'ready') this.state = 'bump-pending'
  }

  /** Numbers a partition's batches from 0 under the current identity, in their order (after adopt). */
  renumber(queue: PartitionQueue): void {
    queue.nextBaseSequence = 0
    queue.lastAckedSequence = -1
    for (const batch of queue.closed) this.assign(queue, batch)
  }

  /** Gives a closed batch the next sequence of its partition. */
  assign(queue: PartitionQueue, batch: ProducerBatch): void {
    batch.baseSequence = queue.nextBaseSequence
    batch.generation = this.generation
    batch.resend = false
    queue.nextBaseSequence = nextSequence(queue.nextBaseSequence, batch.recordCount)
  }

  /** Writes the batch's producer fields into its bytes if they were encoded under another identity. */
  stamp(batch: ProducerBatch): void {
    if (batch.encodedGeneration === this.generation) return
    stampProducer(batch.encoded!, this.identity.producerId, this.identity.epoch, batch.baseSequence, this.transactional)
    batch.encodedGeneration = this.generation
  }

  /**
   * What a Produce answer means for an idempotent batch: a duplicate is a success (the broker had it);
   * OUT_OF_ORDER_SEQUENCE_NUMBER behind an unresolved batch is retried after it, for free; a real gap or a
   * lost producer state asks for a new epoch and retries (idempotent) or fails the transaction.
   */
  judge(queue: PartitionQueue, batch: ProducerBatch, outcome: BatchOutcome): BatchOutcome {
    if (outcome.kind !== 'failed' || !(outcome.error instanceof KafkaProtocolError)) return outcome
    const code = outcome.error.kafkaCode
    if (code === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) return {kind: 'acknowledged'}
    const stale = batch.generation !== this.generation
    if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) {
      // Not the next batch the broker expects: one before it failed and will be retried first.
      if (stale || batch.baseSequence !== nextSequence(queue.lastAckedSequence)) return {kind: 'retry', error: outcome.error, free: true}
      if (!this.transactional) {
        this.requestBump()
        return {kind: 'retry', error: outcome.error, free: true}
      }
    }
    if (code === ErrorCode.UNKNOWN_PRODUCER_ID && !this.transactional) {
      if (!stale) this.requestBump()
      return {kind: 'retry', error: outcome.error, free: true}
    }
    return outcome
  }

  acknowledged(queue: PartitionQueue, batch: ProducerBatch): void {
    if (batch.generation === this.generation) queue.lastAckedSequence = nextSequence(batch.baseSequence, batch.recordCount - 1)
  }

  /**
   * A batch failed for good. Its sequences will never reach the broker, so the partition's later batches
   * cannot be written under this epoch: an idempotent producer moves to a new one; a transactional one
   * must abort (or, fenced, stop).
   */
  failed(batch: ProducerBatch, error: Error): void {
    if (this.transactional) {
      if (error instanceof KafkaProtocolError && FENCING_ERRORS.has(error.kafkaCode)) this.fail(error)
      else this.abortableError ??= error
      return
    }
    if (batch.generation === this.generation) this.requestBump()
  }
}
