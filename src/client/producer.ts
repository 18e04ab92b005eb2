// The producer: records are partitioned (partitioner.ts), collected into per-partition batches
// (record-accumulator.ts), encoded as RecordBatch v2 when a batch closes, and sent to each partition's
// leader. Batches of several partitions on one leader share a Produce request (one batch per partition
// per request, as Kafka requires); up to maxInFlight requests are in flight per broker connection, and
// several of them may carry successive batches of the same partition.
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
// holds that bookkeeping; all of it is per batch.
//
// Backpressure: send() returns false once the bytes accepted but not yet acknowledged exceed bufferBytes;
// drain() resolves when they are back below. Delivery errors are not thrown by send(): the first one is
// kept and thrown by flush() and close() (and stays: a producer that lost records keeps saying so).
import {ApiKey, ErrorCode, BATCH_HEADER_SIZE} from '../protocol/index.js'
import type {BatchOptions, ProducerRecord, RecordHeader} from '../protocol/index.js'
import {partitionKey, type Cluster} from './cluster.js'
import {ClosedError, KafkaProtocolError, UnsupportedVersionError, WeirError, isTransportError, unknownPartitionError} from './errors.js'
import {StickyPartitioner, partitionForKey} from './partitioner.js'
import {ACKNOWLEDGED, batchOutcome, buildProduceRequest, produceOutcomes, type BatchOutcome} from './produce-request.js'
import {RecordAccumulator, recordSize, type PartitionQueue, type ProducerBatch} from './record-accumulator.js'
import {BatchBuffers} from './batch-buffers.js'
import {DueTimer, backoffMs} from './retry.js'
import {NO_HEADERS, checkRecord, type OutgoingRecord} from './outgoing-record.js'
import {resolveProducerOptions, type ProducerOptions, type ResolvedProducerOptions} from './producer-options.js'
import {Idempotence} from './idempotence.js'
import {obtainProducerId, type ProducerIdAndEpoch} from './producer-id.js'

export type {OutgoingRecord} from './outgoing-record.js'
export {MAX_BATCH_BYTES, type ProducerOptions} from './producer-options.js'

/** Closed batches of several partitions share one request up to this size. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024

/** A batch on its way, with the partition queue it came from (and goes back to for a retry). */
interface Sending {
  queue: PartitionQueue
  batch: ProducerBatch
}

interface ParkedRecord {
  partition: number | undefined
  record: ProducerRecord
  bytes: number
}

export class Producer {
  private readonly options: ResolvedProducerOptions
  private readonly accumulator: RecordAccumulator
  /** Buffers of acknowledged batches, filled again by new ones. */
  private readonly buffers: BatchBuffers
  private readonly sticky = new StickyPartitioner()
  /** Partition count of each topic whose metadata is known. */
  private readonly partitionCounts = new Map<string, number>()
  /** Records of topics whose metadata is being looked up. */
  private readonly parked = new Map<string, ParkedRecord[]>()
  /** Partitions with closed batches waiting, least recently served first. */
  private readonly sendable = new Set<PartitionQueue>()
  private readonly inFlightByNode = new Map<number, number>()
  private readonly refreshing = new Set<string>()
  private idleWaiters: (() => void)[] = []
  private drainWaiters: (() => void)[] = []
  private acked = 0
  /** Records accepted by send() and not yet acknowledged or failed. */
  private outstanding = 0
  private queuedBytes = 0
  private firstError: Error | null = null
  /** flush() calls waiting: records placed meanwhile (their metadata just arrived) go out at once. */
  private flushing = 0
  private closed = false
  private pumpScheduled = false
  private readonly retryTimer = new DueTimer(() => this.pump())
  /** Null without idempotence (turned off, or the broker does not offer it). */
  private idempotence: Idempotence | null
  /** Produce requests in flight, all brokers together (an epoch bump waits for 0). */
  private inFlightRequests = 0

  constructor(
    private readonly cluster: Cluster,
    options: ProducerOptions = {},
  ) {
    this.options = resolveProducerOptions(options)
    this.buffers = new BatchBuffers(this.options.maxInFlight + 1)
    this.idempotence = this.options.idempotence === 'off' ? null : new Idempotence(this.options.transactionalId !== null)
    this.accumulator = new RecordAccumulator({
      buffers: this.buffers,
      batchBytes: this.options.batchBytes,
      lingerMs: this.options.lingerMs,
      onBatchClosed: (queue, batch) => this.onBatchClosed(queue, batch),
    })
  }

  /** Records acknowledged by the broker (with acks=0: written to the connection). */
  get acknowledged(): number {
    return this.acked
  }

  /**
   * Queues a record. Returns false when the caller should await drain() before sending more: the
   * buffer is full, or records wait for their topic's metadata (so that they are not piled up as
   * objects meanwhile). Throws at once for a record that cannot be encoded (a key, value or header
   * that is not bytes).
   */
  send(input: OutgoingRecord): boolean {
    if (this.closed) throw new ClosedError('the producer')
    checkRecord(input)
    this.outstanding++
    const timestamp = input.timestamp ?? Date.now()
    const headers = input.headers ?? NO_HEADERS
    const partitionCount = this.partitionCounts.get(input.topic)
    if (partitionCount === undefined) {
      this.park(input.topic, input.partition, {key: input.key, value: input.value, headers, timestamp})
    } else {
      this.place(input.topic, input.partition, input.key, input.value, headers, timestamp, partitionCount)
    }
    return this.accepting()
  }

  /** Resolves once send() would accept records again (see send). */
  async drain(): Promise<void> {
    if (this.accepting()) return
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve))
  }

  /** Sends every batch now and waits until all records sent so far are acknowledged or failed. */
  async flush(): Promise<void> {
    this.accumulator.closeAll()
    if (this.outstanding > 0) {
      this.flushing++
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
      this.flushing--
    }
    if (this.firstError) throw this.firstError
  }

  /** Flushes, then refuses further records. */
  async close(): Promise<void> {
    if (this.closed) {
      if (this.firstError) throw this.firstError
      return
    }
    this.closed = true
    try {
      await this.flush()
    } finally {
      this.accumulator.dispose()
      this.retryTimer.cancel()
    }
  }

  private accepting(): boolean {
    return this.queuedBytes < this.options.bufferBytes && this.parked.size === 0
  }

  private wakeDrainWaiters(): void {
    if (this.drainWaiters.length > 0 && this.accepting()) for (const resolve of this.drainWaiters.splice(0)) resolve()
  }

  private place(topic: string, explicit: number | undefined, key: Buffer | null, value: Buffer | null,
    headers: RecordHeader[], timestamp: number, partitionCount: number): void {
    const partition =
      explicit ?? (key !== null ? partitionForKey(key, partitionCount) : this.sticky.partition(topic, partitionCount))
    if (!Number.isInteger(partition) || partition < 0 || partition >= partitionCount) {
      this.settleRecords(1, 0, unknownPartitionError(topic, partition, partitionCount))
      return
    }
    this.queuedBytes += this.accumulator.append(this.accumulator.queue(topic, partition), key, value, headers, timestamp)
  }

  /** Holds records of a topic until its metadata (partition count) is known. */
  private park(topic: string, partition: number | undefined, record: ProducerRecord): void {
    const bytes = recordSize(record, 0, record.timestamp)
    this.queuedBytes += bytes
    let waiting = this.parked.get(topic)
    if (!waiting) {
      this.parked.set(topic, (waiting = []))
      this.cluster.readyTopics([topic], {allowAutoTopicCreation: true}).then(
        ([metadata]) => this.unpark(topic, metadata!.partitions.length, null),
        (error: Error) => this.unpark(topic, 0, error),
      )
    }
    waiting.push({partition, record, bytes})
  }

  private unpark(topic: string, partitionCount: number, error: Error | null): void {
    const waiting = this.parked.get(topic) ?? []
    this.parked.delete(topic)
    if (error) {
      this.settleRecords(waiting.length, waiting.reduce((sum, r) => sum + r.bytes, 0), error)
      return
    }
    this.partitionCounts.set(topic, partitionCount)
    for (const {partition, record, bytes} of waiting) {
      this.queuedBytes -= bytes
      this.place(topic, partition, record.key, record.value, record.headers, record.timestamp, partitionCount)
    }
    if (this.flushing > 0) this.accumulator.closeAll()
    this.wakeDrainWaiters()
  }

  /**
   * A closed batch is sendable once encoded. Encoding (compression) is asynchronous and may finish out
   * of order, so the pump only ever sends a partition's head batch once its bytes are there.
   */
  private onBatchClosed(queue: PartitionQueue, batch: ProducerBatch): void {
    this.sticky.batchClosed(queue.topic, queue.partition, this.partitionCounts.get(queue.topic) ?? 1)
    this.sendable.add(queue)
    const idempotence = this.idempotence
    let generation = -1
    let options: BatchOptions = {compression: this.options.compression}
    if (idempotence) {
      idempotence.assign(queue, batch)
      if (idempotence.sending) {
        generation = idempotence.generation
        const {producerId, epoch} = idempotence.identity
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
        const at = queue.closed.indexOf(batch) // still there: a batch is sent only once encoded
        if (at >= 0) queue.closed.splice(at, 1)
        this.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, encodeError(batch, error))
      },
    )
  }

  private schedulePump(): void {
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
    const now = Date.now()
    const byLeader = new Map<number, PartitionQueue[]>()
    for (const queue of this.sendable) {
      const head = queue.closed[0]
      if (head === undefined) {
        this.sendable.delete(queue)
        continue
      }
      if (queue.retryAt > now || head.encoded === null) continue
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
          this.idempotence.stamp(batch)
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
    if (idempotence) outcome = idempotence.judge(queue, batch, outcome)
    if (outcome.kind === 'retry' && (outcome.free || batch.attempts < this.options.retries)) {
      queue.retryAt = Date.now() + backoffMs(batch.attempts, this.options.retryBackoffMs)
      if (!outcome.free) batch.attempts++
      batch.resend = true
      queue.putBack(batch)
      this.sendable.add(queue)
      this.refreshMetadata(queue.topic)
      return
    }
    if (outcome.kind === 'acknowledged') {
      idempotence?.acknowledged(queue, batch)
      this.acked += batch.recordCount
      // Written and answered (acks=0: written): the connection no longer reads the batch's bytes.
      this.buffers.give(batch.builder.storage)
    } else {
      idempotence?.failed(batch, outcome.error)
    }
    this.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, outcome.kind === 'acknowledged' ? null : outcome.error)
  }

  /** Records left the producer's hands: acknowledged (error null) or failed. */
  private settleRecords(count: number, bytes: number, error: Error | null): void {
    this.outstanding -= count
    this.queuedBytes -= bytes
    if (error && !this.firstError) this.firstError = error
    this.wakeDrainWaiters()
    if (this.outstanding === 0 && this.idleWaiters.length > 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve()
    }
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

  /** A new producer id or epoch: every waiting batch is numbered again from 0 (nothing is in flight). */
  private adoptIdentity(identity: ProducerIdAndEpoch): void {
    const idempotence = this.idempotence!
    idempotence.adopt(identity)
    for (const queue of this.accumulator.allQueues()) idempotence.renumber(queue)
  }

  /** After a fatal error: the encoded batches waiting fail with it (those still encoding, once encoded). */
  private failWaitingBatches(error: Error): void {
    for (const queue of this.sendable) {
      while (queue.closed[0]?.encoded) {
        const batch = queue.closed.shift()!
        this.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, error)
      }
      if (queue.closed.length === 0) this.sendable.delete(queue)
    }
  }

  /** Looks the topic up again (leaders move, partitions are added); one lookup at a time per topic. */
  private refreshMetadata(topic: string): void {
    if (this.refreshing.has(topic)) return
    this.refreshing.add(topic)
    this.cluster
      .metadata([topic], {allowAutoTopicCreation: true})
      .then(() => {
        const count = this.cluster.topic(topic)?.partitions.length ?? 0
        if (count > (this.partitionCounts.get(topic) ?? 0)) this.partitionCounts.set(topic, count)
      })
      .catch(() => undefined) // the batch's own retries report persistent failures
      .finally(() => {
        this.refreshing.delete(topic)
        this.schedulePump()
      })
  }

  /** Wakes the pump when the earliest backed-off partition may be retried. */
  private armRetryTimer(now: number): void {
    let dueAt = Infinity
    for (const queue of this.sendable) if (queue.retryAt > now) dueAt = Math.min(dueAt, queue.retryAt)
    this.retryTimer.arm(dueAt, now)
  }
}

function encodeError(batch: ProducerBatch, cause: unknown): WeirError {
  return new WeirError('WEIR_ERR_ENCODE', `cannot encode the batch for ${batch.topic}/${batch.partition}: ${(cause as Error).message}`, {cause})
}
