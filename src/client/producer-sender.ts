// The sending half of the producer (Java's Sender): closed batches are encoded, then sent to each
// partition's leader, several partitions sharing a Produce request (one batch per partition per request,
// as Kafka requires) and up to maxInFlight requests in flight per broker connection, several of which may
// carry successive batches of one partition; answers settle each batch (acknowledged, retried or failed).
//
// Ordering is that of Kafka's non-idempotent producer with max.in.flight.requests.per.connection > 1.
// Requests are written to the leader's connection in batch order and the broker appends and answers
// them in order, so without errors every partition's records land in send order. When a batch fails
// with a retriable error, the batches of that partition already in flight behind it may still succeed
// and so land before it: the failed batch is put back at the head of its partition, ahead of every batch
// not yet sent, and retried (several failed batches in their original order). Batches not yet sent
// never overtake it. Each successful attempt appends its records once; a retry after a lost response
// (timeout, dropped connection) may append them again, as in Kafka without idempotence.
//
// Idempotence (on by default where the broker offers it, as in Java) changes this: sequences let the broker
// drop retried duplicates and refuse batches that would land out of order, and a retried batch goes out
// only when nothing of its partition is in flight, so every partition keeps its order. idempotence.ts
// holds that bookkeeping, all of it per batch; a transactional producer also waits for each partition
// to join the transaction before sending to it (transaction-manager.ts).
import {ApiKey, ErrorCode, BATCH_HEADER_SIZE, type BatchOptions} from '../protocol/index.js'
import {partitionKey, type Cluster} from './cluster.js'
import {KafkaProtocolError, UnsupportedVersionError, WeirError, isTransportError} from './errors.js'
import {Idempotence} from './idempotence.js'
import {ACKNOWLEDGED, batchOutcome, buildProduceRequest, produceOutcomes, type BatchOutcome} from './produce-request.js'
import {obtainProducerId, type ProducerIdAndEpoch} from './producer-id.js'
import type {ResolvedProducerOptions} from './producer-options.js'
import type {PartitionQueue, ProducerBatch, RecordAccumulator} from './record-accumulator.js'
import {DueTimer, backoffMs} from './retry.js'
import type {TransactionManager} from './transaction-manager.js'

/** Closed batches of several partitions share one request up to this size. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024

/** A batch on its way, with the partition queue it came from (and goes back to for a retry). */
interface Sending {
  queue: PartitionQueue
  batch: ProducerBatch
}

/** What the sender reports to the producer. */
export interface SenderHost {
  /** Records left the producer's hands: acknowledged (error null) or failed. */
  settleRecords(count: number, bytes: number, error: Error | null): void
  /** A batch was acknowledged (its buffer may be filled again). */
  acknowledged(batch: ProducerBatch): void
  /** A partition's batch is being retried: its leader may have moved. */
  refreshMetadata(topic: string): void
}

export class ProducerSender {
  /** Partitions with closed batches waiting, least recently served first. */
  private readonly sendable = new Set<PartitionQueue>()
  private readonly inFlightByNode = new Map<number, number>()
  /** Produce requests in flight, all brokers together (an epoch bump waits for 0). */
  private inFlightRequests = 0
  private pumpScheduled = false
  private readonly retryTimer = new DueTimer(() => this.pump())
  /** Set by a transactional producer. */
  transaction: TransactionManager | null = null

  constructor(
    private readonly cluster: Cluster,
    private readonly options: ResolvedProducerOptions,
    private readonly accumulator: RecordAccumulator,
    /** Null without idempotence (turned off, or the broker does not offer it). */
    private idempotence: Idempotence | null,
    private readonly host: SenderHost,
  ) {}

  /**
   * A closed batch is sendable once encoded. Encoding (compression) is asynchronous and may finish out
   * of order, so the pump only ever sends a partition's head batch once its bytes are there.
   */
  batchClosed(queue: PartitionQueue, batch: ProducerBatch): void {
    this.sendable.add(queue)
    const idempotence = this.idempotence
    let generation = -1
    let options: BatchOptions = {compression: this.options.compression}
    if (idempotence) {
      if (idempotence.stale(queue)) idempotence.renumberIfResolved(queue)
      if (batch.baseSequence < 0) idempotence.assign(queue, batch)
      if (idempotence.sending && !idempotence.stale(queue)) {
        generation = queue.generation
        const {producerId, epoch} = queue.identity
        options = {...options, producerId, producerEpoch: epoch, baseSequence: batch.baseSequence, transactional: idempotence.transactional}
      }
    }
    batch.builder.finish(options).then(
      (bytes) => {
        batch.encoded = bytes
        batch.encodedGeneration = generation
        this.schedulePump()
      },
      (error: unknown) => {
        const at = queue.closed.indexOf(batch) // a batch is sent only once encoded: here unless discarded (abort)
        if (at < 0) return
        queue.closed.splice(at, 1)
        this.host.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, encodeError(batch, error))
      },
    )
  }

  /** Forgets every waiting batch (the producer discarded them) and stops the retry timer's wait for them. */
  forgetWaiting(): void {
    this.sendable.clear()
  }

  /** Fails the encoded batches waiting in one partition (those still encoding fail once encoded). */
  failEncoded(queue: PartitionQueue, error: Error): void {
    while (queue.closed[0]?.encoded) {
      const batch = queue.closed.shift()!
      this.host.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, error)
    }
    if (queue.closed.length === 0) this.sendable.delete(queue)
  }

  cancel(): void {
    this.retryTimer.cancel()
  }

  schedulePump(): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    queueMicrotask(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  /** Sends what can be sent: per leader, the head batches of partitions not backing off, within maxInFlight. */
  private pump(): void {
    if (this.idempotence && !this.idempotence.sending && !this.advanceIdempotence()) return
    const abortable = this.transaction !== null ? this.idempotence?.abortableError ?? null : null
    if (abortable) {
      // Java's abortUndrainedBatches: nothing more of a transaction that must abort is added or sent.
      this.failWaitingBatches(abortable)
      return
    }
    const now = Date.now()
    const byLeader = new Map<number, PartitionQueue[]>()
    for (const queue of this.sendable) {
      const head = queue.closed[0]
      if (head === undefined) {
        this.sendable.delete(queue)
        continue
      }
      if (queue.retryAt > now || head.encoded === null) continue
      if (this.transaction !== null && !queue.inTransaction) {
        this.transaction.addPartition(queue) // the pump runs again once it is in
        continue
      }
      const leader = this.cluster.leaderFor(queue.topic, queue.partition)
      if (leader < 0) {
        const error = new KafkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE, `${queue.topic}/${queue.partition}`)
        this.settleBatch({queue, batch: queue.closed.shift()!}, {kind: 'retry', error})
        continue
      }
      let queues = byLeader.get(leader)
      if (!queues) byLeader.set(leader, (queues = []))
      queues.push(queue)
    }
    for (const [leader, queues] of byLeader) this.dispatchToLeader(leader, queues)
    this.armRetryTimer(now)
  }

  /**
   * Fills requests while the leader has room: each takes the next encoded batch of every partition in
   * turn (at most one per partition) up to MAX_REQUEST_BYTES, so one busy partition keeps several
   * requests in flight and many partitions share them.
   */
  private dispatchToLeader(leader: number, queues: PartitionQueue[]): void {
    while ((this.inFlightByNode.get(leader) ?? 0) < this.options.maxInFlight) {
      const sending: Sending[] = []
      let bytes = 0
      for (const queue of queues) {
        const batch = queue.closed[0]
        if (!batch?.encoded || (sending.length > 0 && bytes + batch.encoded.length > MAX_REQUEST_BYTES)) continue
        if (this.idempotence) {
          if (batch.resend && queue.inFlight > 0) continue // in order behind what is in flight
          // Numbered under an identity since replaced: only what may be written is sent (under it) until resolved.
          if (this.idempotence.stale(queue) && !batch.sent) continue
          this.idempotence.stamp(queue, batch)
          batch.sent = true
        }
        queue.inFlight++
        sending.push({queue, batch: queue.closed.shift()!})
        bytes += batch.encoded.length
      }
      if (sending.length === 0) return
      void this.dispatch(leader, sending)
    }
  }

  private async dispatch(leader: number, sending: Sending[]): Promise<void> {
    for (const {queue} of sending) {
      this.sendable.delete(queue) // back at the end if it has more: partitions take turns
      if (queue.closed.length > 0) this.sendable.add(queue)
    }
    this.inFlightByNode.set(leader, (this.inFlightByNode.get(leader) ?? 0) + 1)
    this.inFlightRequests++
    const outcomes = await this.produce(leader, sending.map(({batch}) => batch))
    this.inFlightByNode.set(leader, this.inFlightByNode.get(leader)! - 1)
    this.inFlightRequests--
    sending.forEach((entry, i) => this.settleBatch(entry, outcomes[i]!))
    this.schedulePump()
  }

  /**
   * Sends one Produce request of encoded batches; never throws, every batch gets an outcome.
   *
   * The requests of one pump are dispatched in batch order and their first await is on the same pooled
   * connection promise, whose continuations run in that order: each partition's batches are written to
   * the connection in sequence. (Only a connection that failed in between, failing its requests into
   * retries, can change that.)
   */
  private async produce(leader: number, batches: ProducerBatch[]): Promise<BatchOutcome[]> {
    try {
      const broker = await this.cluster.connectionTo(leader)
      const version = broker.versions.version(ApiKey.Produce)
      if (this.options.compression === 'zstd' && version < 7) {
        throw new UnsupportedVersionError(`broker does not support zstd compression (needs Produce v7, it offers v${version})`)
      }
      const request = buildProduceRequest(batches, batches.map((batch) => batch.encoded!), this.options.acks,
        this.cluster.requestTimeoutMs, this.options.transactionalId)
      if (this.options.acks === 0) {
        await broker.connection.send(ApiKey.Produce, version, request)
        return batches.map(() => ACKNOWLEDGED)
      }
      const results = produceOutcomes(await broker.connection.request(ApiKey.Produce, version, request))
      return batches.map((batch) => batchOutcome(batch, results.get(partitionKey(batch.topic, batch.partition))))
    } catch (error) {
      const outcome: BatchOutcome = {kind: isTransportError(error) ? 'retry' : 'failed', error: error as Error}
      return batches.map(() => outcome)
    }
  }

  /**
   * A retriable failure puts the batch back at the head of its partition (before every batch not yet
   * sent) and holds the partition back for a while. Batches of the partition that are in flight behind it
   * are not recalled: they may succeed first, which is Kafka's documented ordering for a non-idempotent
   * producer with more than one request in flight.
   */
  private settleBatch({queue, batch}: Sending, outcome: BatchOutcome): void {
    queue.inFlight--
    const idempotence = this.idempotence
    if (idempotence) {
      outcome = idempotence.judge(queue, batch, outcome)
      const abortable = this.transaction !== null ? idempotence.abortableError : null
      if (abortable && outcome.kind === 'retry') outcome = {kind: 'failed', error: abortable}
    }
    if (outcome.kind === 'retry' && (outcome.free || batch.attempts < this.options.retries)) {
      queue.retryAt = Date.now() + backoffMs(batch.attempts, this.options.retryBackoffMs)
      if (!outcome.free) batch.attempts++
      batch.resend = true
      queue.putBack(batch)
      this.sendable.add(queue)
      this.host.refreshMetadata(queue.topic)
      return
    }
    let error = outcome.kind === 'acknowledged' ? null : outcome.error
    if (outcome.kind === 'acknowledged') {
      idempotence?.acknowledged(queue, batch)
      this.host.acknowledged(batch)
    } else if (idempotence) {
      if (batch.sent && isTransportError(error)) error = unknownOutcomeError(batch, error!)
      idempotence.failed(queue, error!)
    }
    this.host.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, error)
    if (idempotence?.stale(queue)) idempotence.renumberIfResolved(queue)
  }

  /**
   * Moves idempotence on while it holds the pump back: asks for the first id, bumps the epoch once nothing
   * is in flight, or fails the waiting batches after a fatal error. True when sending may go on.
   */
  private advanceIdempotence(): boolean {
    const idempotence = this.idempotence!
    if (idempotence.state === 'new' && !idempotence.transactional) this.renewProducerId()
    else if (idempotence.state === 'bump-pending' && this.inFlightRequests === 0) this.renewProducerId()
    else if (idempotence.state === 'failed') this.failWaitingBatches(idempotence.fatalError!)
    return false
  }

  /** InitProducerId for a first id or a new epoch; where the broker has none and idempotence was only preferred, goes on without. */
  private renewProducerId(): void {
    const idempotence = this.idempotence!
    const current = idempotence.identity
    idempotence.state = 'initializing'
    obtainProducerId(this.cluster, current, this.options.retries, this.options.retryBackoffMs).then(
      (identity) => {
        if (identity) this.adoptIdentity(identity)
        else if (this.options.idempotence === 'preferred') this.idempotence = null
        else idempotence.fail(new UnsupportedVersionError('the broker does not offer idempotent producers (InitProducerId)'))
        this.schedulePump()
      },
      (error: Error) => {
        idempotence.fail(error)
        this.schedulePump()
      },
    )
  }

  /** A new producer id or epoch: each partition is numbered again from 0 once nothing of it is unresolved. */
  adoptIdentity(identity: ProducerIdAndEpoch): void {
    const idempotence = this.idempotence!
    idempotence.adopt(identity)
    for (const queue of this.accumulator.allQueues()) idempotence.renumberIfResolved(queue)
  }

  /** After a fatal error: the encoded batches waiting fail with it (those still encoding, once encoded). */
  private failWaitingBatches(error: Error): void {
    for (const queue of this.sendable) this.failEncoded(queue, error)
  }

  /** Wakes the pump when the earliest backed-off partition may be retried. */
  private armRetryTimer(now: number): void {
    let dueAt = Infinity
    for (const queue of this.sendable) if (queue.retryAt > now) dueAt = Math.min(dueAt, queue.retryAt)
    this.retryTimer.arm(dueAt, now)
  }
}

/** A batch that may be written ran out of attempts without an answer: whether its records are in the log is not known. */
function unknownOutcomeError(batch: ProducerBatch, cause: Error): WeirError {
  return new WeirError('WEIR_ERR_DELIVERY_UNKNOWN', `${batch.topic}/${batch.partition}: no answer after ${batch.attempts + 1} attempts, `
    + `so whether these records were written is not known (${cause.message})`, {cause})
}

function encodeError(batch: ProducerBatch, cause: unknown): WeirError {
  return new WeirError('WEIR_ERR_ENCODE', `cannot encode the batch for ${batch.topic}/${batch.partition}: ${(cause as Error).message}`, {cause})
}
