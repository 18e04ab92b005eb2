// The producer: records are partitioned (partitioner.ts), collected into per-partition batches
// (record-accumulator.ts) that are encoded as RecordBatch v2 when they close, and sent to each partition's
// leader by producer-sender.ts (request sharing, requests in flight, retries, ordering and idempotence are
// described there). A producer with a transactional id writes inside transactions (transaction-manager.ts).
//
// Backpressure: send() returns false once the bytes accepted but not yet acknowledged exceed bufferBytes;
// drain() resolves when they are back below. Delivery errors are not thrown by send(): the first one is
// kept and thrown by flush() and close() (and stays: a producer that lost records keeps saying so).
import {BATCH_HEADER_SIZE} from '../protocol/index.js'
import type {ProducerRecord, RecordHeader} from '../protocol/index.js'
import type {Cluster} from './cluster.js'
import {ClosedError, WeirError, unknownPartitionError} from './errors.js'
import {StickyPartitioner, partitionForKey} from './partitioner.js'
import {RecordAccumulator, recordSize, type PartitionQueue, type ProducerBatch} from './record-accumulator.js'
import {BatchBuffers} from './batch-buffers.js'
import {NO_HEADERS, checkRecord, type OutgoingRecord} from './outgoing-record.js'
import {resolveProducerOptions, type ProducerOptions, type ResolvedProducerOptions} from './producer-options.js'
import {Idempotence} from './idempotence.js'
import {ProducerSender} from './producer-sender.js'
import {TransactionManager, type TransactionHost} from './transaction-manager.js'
import type {TransactionGroup, TransactionOffset} from './transaction-offsets.js'

export type {OutgoingRecord} from './outgoing-record.js'
export type {TransactionGroup, TransactionOffset} from './transaction-offsets.js'
export {MAX_BATCH_BYTES, type ProducerOptions} from './producer-options.js'

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
  private readonly sender: ProducerSender
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
  /** Null without idempotence. */
  private readonly idempotence: Idempotence | null
  /** Null unless the producer has a transactional id. */
  private readonly transaction: TransactionManager | null

  constructor(
    private readonly cluster: Cluster,
    options: ProducerOptions = {},
  ) {
    this.options = resolveProducerOptions(options)
    this.buffers = new BatchBuffers(this.options.maxInFlight + 1)
    this.accumulator = new RecordAccumulator({
      buffers: this.buffers,
      batchBytes: this.options.batchBytes,
      lingerMs: this.options.lingerMs,
      onBatchClosed: (queue, batch) => {
        this.sticky.batchClosed(queue.topic, queue.partition, this.partitionCounts.get(queue.topic) ?? 1)
        this.sender.batchClosed(queue, batch)
      },
    })
    this.idempotence = this.options.idempotence === 'off' ? null : new Idempotence(this.options.transactionalId !== null)
    this.sender = new ProducerSender(cluster, this.options, this.accumulator, this.idempotence, {
      settleRecords: (count, bytes, error) => this.settleRecords(count, bytes, error),
      acknowledged: (batch) => this.batchAcknowledged(batch),
      refreshMetadata: (topic) => this.refreshMetadata(topic),
    })
    this.transaction = this.options.transactionalId === null ? null
      : new TransactionManager(cluster, this.options.transactionalId, this.options.transactionTimeoutMs, this.idempotence!, this.transactionHost())
    this.sender.transaction = this.transaction
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
    if (this.transaction !== null && !this.transaction.open) throw noTransactionError()
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

  /**
   * Transactional producers: gets the producer id and epoch of the transactional id from its coordinator,
   * fencing older producers of the same id (a transaction they left open is aborted). Once, before the
   * first beginTransaction().
   */
  async initTransactions(): Promise<void> {
    await this.transactional('initTransactions').init()
  }

  /** Opens a transaction: send() accepts records until commitTransaction() or abortTransaction(). */
  beginTransaction(): void {
    this.transactional('beginTransaction').begin()
  }

  /** Commits consumer offsets as part of the open transaction (consume-transform-produce). */
  async sendOffsetsToTransaction(offsets: TransactionOffset[], group: TransactionGroup | string): Promise<void> {
    await this.transactional('sendOffsetsToTransaction').sendOffsets(offsets, typeof group === 'string' ? {groupId: group} : group)
  }

  /**
   * Sends every record of the transaction and commits it. Throws if a record was not delivered: the
   * transaction must then be aborted (or, fenced by a newer producer of the same id, the producer closed).
   */
  async commitTransaction(): Promise<void> {
    await this.transactional('commitTransaction').commit()
  }

  /** Drops the records not yet sent, waits for those in flight, and aborts the transaction. */
  async abortTransaction(): Promise<void> {
    await this.transactional('abortTransaction').abort()
  }

  /** Flushes (aborting a transaction left open, as Java's close), then refuses further records. */
  async close(): Promise<void> {
    if (this.closed) {
      if (this.firstError) throw this.firstError
      return
    }
    this.closed = true
    try {
      if (this.transaction?.open) await this.transaction.abort()
      await this.flush()
    } finally {
      this.accumulator.dispose()
      this.sender.cancel()
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

  private batchAcknowledged(batch: ProducerBatch): void {
    this.acked += batch.recordCount
    // Written and answered (acks=0: written): the connection no longer reads the batch's bytes.
    this.buffers.give(batch.builder.storage)
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

  /** What the transaction manager may do to this producer. */
  private transactionHost(): TransactionHost {
    return {
      flush: () => this.flush(),
      discardUnsent: (error) => this.discardUnsent(error),
      clearErrors: () => {
        this.firstError = null
        if (this.idempotence) this.idempotence.abortableError = null
      },
      adoptIdentity: (identity) => this.sender.adoptIdentity(identity),
      failPartition: (queue, error) => this.sender.failEncoded(queue, error),
      schedulePump: () => this.sender.schedulePump(),
      queues: () => this.accumulator.allQueues(),
    }
  }

  /**
   * Fails every record not yet sent: open and waiting batches, and records waiting for metadata. Their
   * sequences are handed out again; true when a dropped batch had been sent (a new epoch is needed).
   */
  private discardUnsent(error: Error): boolean {
    let astray = false
    for (const queue of this.accumulator.allQueues()) {
      const batches = queue.closed.splice(0)
      const open = this.accumulator.dropOpen(queue)
      if (open) batches.push(open)
      if (batches.length === 0) continue
      if (this.idempotence?.dropped(queue, batches)) astray = true
      for (const batch of batches) this.settleRecords(batch.recordCount, batch.sizeBytes - BATCH_HEADER_SIZE, error)
    }
    this.sender.forgetWaiting()
    const parked = [...this.parked.values()].flat()
    this.parked.clear()
    this.settleRecords(parked.length, parked.reduce((sum, r) => sum + r.bytes, 0), error)
    return astray
  }

  private transactional(operation: string): TransactionManager {
    if (this.transaction === null) throw new WeirError('WEIR_ERR_TRANSACTION_STATE', `cannot ${operation}: the producer has no transactional id`)
    return this.transaction
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
        this.sender.schedulePump()
      })
  }

}

function noTransactionError(): WeirError {
  return new WeirError('WEIR_ERR_TRANSACTION_STATE', 'a transactional producer sends records only inside a transaction (beginTransaction)')
}

