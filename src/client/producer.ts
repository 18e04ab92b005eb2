// The producer: records are partitioned (partitioner.ts), collected into per-partition batches
// (record-accumulator.ts), encoded as RecordBatch v2 when a batch closes, and sent to each partition's
// leader. Batches of several partitions on one leader share a Produce request; up to maxInFlight requests
// are in flight per broker, but never more than one batch per partition, so that a retried batch can
// never be overtaken by the next one: per-partition order holds through retries.
//
// Backpressure: send() returns false once the bytes accepted but not yet acknowledged exceed bufferBytes;
// drain() resolves when they are back below. Delivery errors are not thrown by send(): the first one is
// kept and thrown by flush() and close() (and stays: a producer that lost records keeps saying so).
import {ApiKey, ErrorCode, BATCH_HEADER_SIZE, errorInfo} from '../protocol/index.js'
import type {Compression, ProducerRecord, RecordHeader} from '../protocol/index.js'
import {partitionKey, type Cluster} from './cluster.js'
import {ClosedError, KafkaProtocolError, UnsupportedVersionError, WeirError, isTransportError, unknownPartitionError} from './errors.js'
import {StickyPartitioner, partitionForKey} from './partitioner.js'
import {buildProduceRequest, produceOutcomes, type PartitionOutcome} from './produce-request.js'
import {RecordAccumulator, recordSize, type PartitionQueue, type ProducerBatch} from './record-accumulator.js'
import {backoffMs} from './retry.js'

export interface ProducerOptions {
  /** 0: no response; 1: the leader appended; -1: durable (fsync'd on Weir, all in-sync replicas on Kafka). */
  acks?: 0 | 1 | -1
  compression?: Compression
  /** How long a batch waits for more records before it is sent. Default 5. */
  lingerMs?: number
  /** Upper bound on a batch's uncompressed size. Default and maximum: MAX_BATCH_BYTES. */
  batchBytes?: number
  /** Produce requests in flight per broker. Default 5. */
  maxInFlight?: number
  /** Bytes accepted but not yet acknowledged above which send() returns false. Default 32 MiB. */
  bufferBytes?: number
  /** Attempts after the first for a batch that fails with a retriable error. Default 8. */
  retries?: number
  /** First retry delay; doubles per attempt up to 1 s. Default 100. */
  retryBackoffMs?: number
}

export interface OutgoingRecord {
  topic: string
  /** Chosen by key (murmur2) or sticky partitioning when absent. */
  partition?: number
  key: Buffer | null
  value: Buffer | null
  headers?: RecordHeader[]
  /** Milliseconds since the epoch; now when absent. */
  timestamp?: number
}

/**
 * Kafka's default max.message.bytes is 1048588 (1 MiB + 12); batches stay below 1,000,000 bytes
 * uncompressed so that record overhead never pushes one past it.
 */
export const MAX_BATCH_BYTES = 1_000_000
/** Closed batches of several partitions share one request up to this size. */
const MAX_REQUEST_BYTES = 8 * 1024 * 1024
const NO_HEADERS: RecordHeader[] = []

type Outcome = {kind: 'acknowledged'} | {kind: 'retry'; error: Error} | {kind: 'failed'; error: Error}
const ACKNOWLEDGED: Outcome = {kind: 'acknowledged'}

interface ParkedRecord {
  partition: number | undefined
  record: ProducerRecord
  bytes: number
}

export class Producer {
  private readonly acks: 0 | 1 | -1
  private readonly compression: Compression
  private readonly maxInFlight: number
  private readonly bufferBytes: number
  private readonly retries: number
  private readonly retryBackoffMs: number
  private readonly accumulator: RecordAccumulator
  private readonly sticky = new StickyPartitioner()
  /** Partition count of each topic whose metadata is known. */
  private readonly partitionCounts = new Map<string, number>()
  /** Records of topics whose metadata is being looked up. */
  private readonly parked = new Map<string, ParkedRecord[]>()
  /** Partitions with closed batches, in the order they became sendable. */
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
  private retryTimer: NodeJS.Timeout | null = null
  private retryDueAt = Infinity

  constructor(
    private readonly cluster: Cluster,
    options: ProducerOptions = {},
  ) {
    this.acks = options.acks ?? -1
    this.compression = options.compression ?? 'none'
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 5)
    this.bufferBytes = options.bufferBytes ?? 32 * 1024 * 1024
    this.retries = options.retries ?? 8
    this.retryBackoffMs = options.retryBackoffMs ?? 100
    this.accumulator = new RecordAccumulator({
      batchBytes: Math.min(options.batchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES),
      lingerMs: options.lingerMs ?? 5,
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
      if (this.retryTimer) clearTimeout(this.retryTimer)
      this.retryTimer = null
    }
  }

  private accepting(): boolean {
    return this.queuedBytes < this.bufferBytes && this.parked.size === 0
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

  private onBatchClosed(queue: PartitionQueue, batch: ProducerBatch): void {
    this.sticky.batchClosed(queue.topic, queue.partition, this.partitionCounts.get(queue.topic) ?? 1)
    batch.encoded = batch.builder.finish({compression: this.compression})
    batch.encoded.catch(() => undefined) // awaited when the batch is sent
    this.sendable.add(queue)
    this.schedulePump()
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return
    this.pumpScheduled = true
    queueMicrotask(() => {
      this.pumpScheduled = false
      this.pump()
    })
  }

  /** Sends what can be sent: per leader, batches of partitions not in flight, within maxInFlight. */
  private pump(): void {
    const now = Date.now()
    const byLeader = new Map<number, PartitionQueue[]>()
    for (const queue of this.sendable) {
      if (queue.inFlight || queue.retryAt > now) continue
      const leader = this.cluster.leaderFor(queue.topic, queue.partition)
      if (leader < 0) {
        const error = new KafkaProtocolError(ErrorCode.LEADER_NOT_AVAILABLE, `${queue.topic}/${queue.partition}`)
        this.settleBatch(queue, queue.closed[0]!, {kind: 'retry', error})
        continue
      }
      let queues = byLeader.get(leader)
      if (!queues) byLeader.set(leader, (queues = []))
      queues.push(queue)
    }
    for (const [leader, queues] of byLeader) this.dispatchToLeader(leader, queues)
    this.armRetryTimer(now)
  }

  private dispatchToLeader(leader: number, queues: PartitionQueue[]): void {
    let next = 0
    while (next < queues.length && (this.inFlightByNode.get(leader) ?? 0) < this.maxInFlight) {
      const group: PartitionQueue[] = []
      let bytes = 0
      while (next < queues.length && (group.length === 0 || bytes + queues[next]!.closed[0]!.sizeBytes <= MAX_REQUEST_BYTES)) {
        bytes += queues[next]!.closed[0]!.sizeBytes
        group.push(queues[next++]!)
      }
      void this.dispatch(leader, group)
    }
  }

  private async dispatch(leader: number, queues: PartitionQueue[]): Promise<void> {
    const batches = queues.map((queue) => queue.closed[0]!)
    for (const queue of queues) {
      queue.inFlight = true
      this.sendable.delete(queue) // re-added at the end afterwards: partitions take turns
    }
    this.inFlightByNode.set(leader, (this.inFlightByNode.get(leader) ?? 0) + 1)
    const outcomes = await this.produce(leader, batches)
    this.inFlightByNode.set(leader, this.inFlightByNode.get(leader)! - 1)
    queues.forEach((queue, i) => this.settleBatch(queue, batches[i]!, outcomes[i]!))
    this.schedulePump()
  }

  /** Sends one Produce request; never throws, every batch gets an outcome. */
  private async produce(leader: number, batches: ProducerBatch[]): Promise<Outcome[]> {
    const encoded = await Promise.allSettled(batches.map((batch) => batch.encoded!))
    const outcomes: Outcome[] = []
    const sending: number[] = []
    encoded.forEach((result, i) => {
      if (result.status === 'fulfilled') sending.push(i)
      else outcomes[i] = {kind: 'failed', error: encodeError(batches[i]!, result.reason)}
    })
    if (sending.length === 0) return outcomes
    const payloads = sending.map((i) => (encoded[i] as PromiseFulfilledResult<Buffer>).value)
    try {
      const broker = await this.cluster.connectionTo(leader)
      const version = broker.versions.version(ApiKey.Produce)
      if (this.compression === 'zstd' && version < 7) {
        throw new UnsupportedVersionError(`broker does not support zstd compression (needs Produce v7, it offers v${version})`)
      }
      const request = buildProduceRequest(sending.map((i) => batches[i]!), payloads, this.acks, this.cluster.requestTimeoutMs)
      if (this.acks === 0) {
        await broker.connection.send(ApiKey.Produce, version, request)
        for (const i of sending) outcomes[i] = ACKNOWLEDGED
      } else {
        const results = produceOutcomes(await broker.connection.request(ApiKey.Produce, version, request))
        for (const i of sending) outcomes[i] = partitionOutcome(batches[i]!, results.get(partitionKey(batches[i]!.topic, batches[i]!.partition)))
      }
    } catch (error) {
      const outcome: Outcome = {kind: isTransportError(error) ? 'retry' : 'failed', error: error as Error}
      for (const i of sending) outcomes[i] = outcome
    }
    return outcomes
  }

  private settleBatch(queue: PartitionQueue, batch: ProducerBatch, outcome: Outcome): void {
    queue.inFlight = false
    if (outcome.kind === 'retry' && batch.attempts < this.retries) {
      queue.retryAt = Date.now() + backoffMs(batch.attempts, this.retryBackoffMs)
      batch.attempts++
      this.refreshMetadata(queue.topic)
    } else {
      queue.closed.shift()
      if (outcome.kind === 'acknowledged') this.acked += batch.recordCount
      this.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, outcome.kind === 'acknowledged' ? null : outcome.error)
    }
    if (queue.closed.length > 0) this.sendable.add(queue)
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
    for (const queue of this.sendable) if (!queue.inFlight && queue.retryAt > now) dueAt = Math.min(dueAt, queue.retryAt)
    if (dueAt === Infinity || dueAt >= this.retryDueAt) return
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.retryDueAt = dueAt
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.retryDueAt = Infinity
      this.pump()
    }, dueAt - now)
  }
}

function partitionOutcome(batch: ProducerBatch, result: PartitionOutcome | undefined): Outcome {
  const where = `${batch.topic}/${batch.partition}`
  if (!result) {
    return {kind: 'failed', error: new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, where, 'the broker did not answer for this partition')}
  }
  if (result.errorCode === ErrorCode.NONE) return ACKNOWLEDGED
  const error = new KafkaProtocolError(result.errorCode, where, result.errorMessage)
  return errorInfo(result.errorCode).retriable ? {kind: 'retry', error} : {kind: 'failed', error}
}

/** Rejects what the batch encoder could not write, before the record is counted anywhere. */
function checkRecord(input: OutgoingRecord): void {
  if (!isPayload(input.key) || !isPayload(input.value)) {
    throw new WeirError('WEIR_ERR_INVALID_RECORD', 'a record key and value must each be a Buffer (or null)')
  }
  for (const header of input.headers ?? NO_HEADERS) {
    if (typeof header?.key !== 'string' || !isPayload(header.value)) {
      throw new WeirError('WEIR_ERR_INVALID_RECORD', 'a record header needs a string key and a Buffer (or null) value')
    }
  }
}

function isPayload(bytes: unknown): boolean {
  return bytes === null || bytes instanceof Uint8Array
}

function encodeError(batch: ProducerBatch, cause: unknown): WeirError {
  return new WeirError('WEIR_ERR_ENCODE', `cannot encode the batch for ${batch.topic}/${batch.partition}: ${(cause as Error).message}`, {cause})
}
