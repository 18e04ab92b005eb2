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
// flight, so the partition keeps its order. Once a batch failed for good, nothing behind it can be
// written under its sequences (the partition has a gap): OUT_OF_ORDER behind it is no longer a free wait.
// A gap the broker will never see filled (a batch failed for good, or the broker lost the producer's
// state: UNKNOWN_PRODUCER_ID) is closed by a new epoch: the producer stops sending, waits until nothing
// is in flight, and asks InitProducerId again (with its current id and epoch where the broker takes them,
// KIP-360). A partition is numbered from 0 under the new epoch only once nothing of it is unresolved
// (Java's maybeUpdateProducerIdAndEpoch): a batch that was sent and may have been written is sent again
// under its old id, epoch and sequence until it is acknowledged (or answered as a duplicate) or fails,
// because written again under new numbers its records would be there twice.
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

  /** A new id or epoch: each partition is numbered again once nothing of it is unresolved (renumberIfResolved). */
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

  /** Whether the partition's sequences belong to an identity since replaced. */
  stale(queue: PartitionQueue): boolean {
    return queue.generation !== this.generation
  }

  /**
   * Numbers a partition's batches from 0 under the current identity, unless some batch of it is in flight
   * or was sent and may be written: those are resolved under their own numbers first.
   */
  renumberIfResolved(queue: PartitionQueue): void {
    if (!this.stale(queue) || queue.inFlight > 0 || queue.closed.some((batch) => batch.sent)) return
    queue.identity = this.identity
    queue.generation = this.generation
    queue.nextBaseSequence = 0
    queue.lastAckedSequence = -1
    queue.sequenceGap = false
    for (const batch of queue.closed) this.assign(queue, batch)
  }

  /** Gives a closed batch the next sequence of its partition (under the partition's identity). */
  assign(queue: PartitionQueue, batch: ProducerBatch): void {
    batch.baseSequence = queue.nextBaseSequence
    batch.generation = queue.generation
    batch.resend = false
    queue.nextBaseSequence = nextSequence(queue.nextBaseSequence, batch.recordCount)
  }

  /**
   * Batches an abort dropped unsent. Their sequences are handed out again when none of them was ever
   * sent; true when one was (it may be written): the sequences went astray and a new epoch is needed.
   */
  dropped(queue: PartitionQueue, batches: ProducerBatch[]): boolean {
    if (batches.some((batch) => batch.sent)) return true
    const first = batches.find((batch) => batch.baseSequence >= 0 && batch.generation === queue.generation)
    if (first) queue.nextBaseSequence = first.baseSequence
    return false
  }

  /** Writes the batch's producer fields into its bytes if they were encoded under another identity. */
  stamp(queue: PartitionQueue, batch: ProducerBatch): void {
    if (batch.encodedGeneration === queue.generation) return
    stampProducer(batch.encoded!, queue.identity.producerId, queue.identity.epoch, batch.baseSequence, this.transactional)
    batch.encodedGeneration = queue.generation
  }

  /**
   * What a Produce answer means for an idempotent batch: a duplicate is a success (the broker had it);
   * OUT_OF_ORDER_SEQUENCE_NUMBER behind an unresolved batch is retried after it, for free; a real gap or a
   * lost producer state (the batch is then known not to be written) asks for a new epoch and retries
   * (idempotent) or fails the transaction.
   */
  judge(queue: PartitionQueue, batch: ProducerBatch, outcome: BatchOutcome): BatchOutcome {
    if (outcome.kind !== 'failed' || !(outcome.error instanceof KafkaProtocolError)) return outcome
    const code = outcome.error.kafkaCode
    if (code === ErrorCode.DUPLICATE_SEQUENCE_NUMBER) return {kind: 'acknowledged'}
    if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER) {
      // Not the next batch the broker expects: one before it is unresolved and will be retried first.
      if (!queue.sequenceGap && batch.baseSequence !== nextSequence(queue.lastAckedSequence)) return {kind: 'retry', error: outcome.error, free: true}
      return this.notWritten(queue, batch, outcome)
    }
    if (code === ErrorCode.UNKNOWN_PRODUCER_ID) return this.notWritten(queue, batch, outcome)
    return outcome
  }

  /** The broker refused the batch's sequence: it is not written, and an idempotent producer numbers it again. */
  private notWritten(queue: PartitionQueue, batch: ProducerBatch, outcome: BatchOutcome): BatchOutcome {
    if (this.transactional) return outcome
    batch.sent = false
    if (!this.stale(queue)) this.requestBump()
    return {kind: 'retry', error: (outcome as {error: Error}).error, free: true}
  }

  acknowledged(queue: PartitionQueue, batch: ProducerBatch): void {
    queue.lastAckedSequence = nextSequence(batch.baseSequence, batch.recordCount - 1)
  }

  /**
   * A batch failed for good. Its sequences will never reach the broker, so the partition's later batches
   * cannot be written under this epoch: an idempotent producer moves to a new one; a transactional one
   * must abort (or, fenced, stop).
   */
  failed(queue: PartitionQueue, error: Error): void {
    if (!this.stale(queue)) queue.sequenceGap = true
    if (this.transactional) {
      if (error instanceof KafkaProtocolError && FENCING_ERRORS.has(error.kafkaCode)) this.fail(error)
      else this.abortableError ??= error
      return
    }
    if (!this.stale(queue)) this.requestBump()
  }
}
