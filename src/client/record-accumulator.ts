// Collects produced records into one open batch per partition. A batch closes when the next record would
// make it larger than the batch limit, when it has lingered lingerMs, or on flush; a closed batch waits
// in its partition's queue until the producer sends it.
//
// Records are encoded into their batch as they are appended (RecordBatchBuilder), so the producer holds
// bytes, not record objects. A batch's size is therefore exact (the uncompressed RecordBatch v2 bytes),
// which matters because the limit sits just under the broker's max.message.bytes: an estimate that ran
// short would turn into MESSAGE_TOO_LARGE for batches of small records.
import {RecordBatchBuilder, encodedRecordSize, type ProducerRecord, type RecordHeader} from '../protocol/index.js'
import type {BatchBuffers} from './batch-buffers.js'
import {NO_PRODUCER, type ProducerIdAndEpoch} from './producer-id.js'

/** Smallest first buffer of a batch; a partition's next batch starts at the size its last one reached. */
const MIN_BATCH_CAPACITY = 16 * 1024

export interface ProducerBatch {
  readonly topic: string
  readonly partition: number
  /** The records so far, encoded; finished into `encoded` when the batch closes. */
  readonly builder: RecordBatchBuilder
  recordCount: number
  /** Exact uncompressed size of the encoded batch. */
  sizeBytes: number
  readonly createdAt: number
  /** Position among its partition's batches (0, 1, 2 …): a retried batch goes back in this order. */
  readonly sequence: number
  /** The finished RecordBatch bytes, null until encoding (compression) is done. */
  encoded: Buffer | null
  /** Failed send attempts so far. */
  attempts: number
  /** Idempotence (idempotence.ts): the sequence of its first record, -1 without. */
  baseSequence: number
  /** The producer identity its sequence belongs to, and the one written into `encoded`. */
  generation: number
  encodedGeneration: number
  /** Put back after a failure: sent again only when nothing of its partition is in flight (idempotence). */
  resend: boolean
  /** Idempotence: sent under its sequence and maybe written; such a batch is never numbered again. */
  sent: boolean
}

/** The batches of one partition: the one being filled, then closed ones waiting to be sent, in order. */
export class PartitionQueue {
  open: ProducerBatch | null = null
  /** Closed and not in flight, by sequence; a batch leaves it when sent and comes back to be retried. */
  readonly closed: ProducerBatch[] = []
  /** After a retriable failure, nothing of this partition is sent before this time (ms since epoch). */
  retryAt = 0
  /** Sequence of this partition's next batch. */
  nextSequence = 0
  /** Size of this partition's last closed batch: the next one likely grows as large. */
  lastBatchBytes = 0
  /** Batches sent and not yet answered. */
  inFlight = 0
  /** Idempotence: the sequence of the next batch's first record, and of the last record acknowledged. */
  nextBaseSequence = 0
  lastAckedSequence = -1
  /** Idempotence: the identity (and its generation) this partition's sequences belong to. */
  identity: ProducerIdAndEpoch = NO_PRODUCER
  generation = -1
  /** Idempotence: a batch of the current numbering failed for good, so none after it can be written. */
  sequenceGap = false
  /** Transactions: the partition belongs to the open transaction (AddPartitionsToTxn answered). */
  inTransaction = false

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  /** Puts a batch taken from `closed` back, before every later batch (to be retried). */
  putBack(batch: ProducerBatch): void {
    let at = 0
    while (at < this.closed.length && this.closed[at]!.sequence < batch.sequence) at++
    this.closed.splice(at, 0, batch)
  }
}

export interface AccumulatorOptions {
  batchBytes: number
  lingerMs: number
  /** Where new batches get their buffers (else each allocates its own). */
  buffers?: BatchBuffers
  /** A batch just closed (full, lingered or flushed) and sits at the tail of `queue.closed`. */
  onBatchClosed: (queue: PartitionQueue, batch: ProducerBatch) => void
}

export class RecordAccumulator {
  private readonly queues = new Map<string, PartitionQueue[]>()
  private readonly lingering = new Set<PartitionQueue>()
  private cancelLingerTimer: (() => void) | null = null

  constructor(private readonly options: AccumulatorOptions) {}

  queue(topic: string, partition: number): PartitionQueue {
    let queues = this.queues.get(topic)
    if (!queues) this.queues.set(topic, (queues = []))
    return (queues[partition] ??= new PartitionQueue(topic, partition))
  }

  /** Adds a record to the partition's open batch; returns the bytes it adds to the batch. */
  append(queue: PartitionQueue, key: Buffer | null, value: Buffer | null, headers: RecordHeader[], timestamp: number): number {
    let batch = queue.open ?? this.openBatch(queue, timestamp)
    let size = batch.builder.tryAppend(key, value, headers, timestamp, this.options.batchBytes)
    if (size === 0) {
      this.close(queue)
      batch = this.openBatch(queue, timestamp)
      size = batch.builder.tryAppend(key, value, headers, timestamp)
    }
    batch.recordCount++
    batch.sizeBytes += size
    return size
  }

  /** Every partition that has had records. */
  *allQueues(): IterableIterator<PartitionQueue> {
    for (const queues of this.queues.values()) for (const queue of queues) if (queue) yield queue
  }

  /** Closes every open batch (flush). */
  closeAll(): void {
    for (const queue of this.lingering) this.close(queue)
  }

  /** Takes a partition's open batch away unsent (a transaction aborted); null when it has none. */
  dropOpen(queue: PartitionQueue): ProducerBatch | null {
    const batch = queue.open
    queue.open = null
    this.lingering.delete(queue)
    return batch
  }

  /** Stops the linger timer (the producer is closing). */
  dispose(): void {
    this.cancelLingerTimer?.()
    this.cancelLingerTimer = null
  }

  private openBatch(queue: PartitionQueue, baseTimestamp: number): ProducerBatch {
    const capacity = Math.min(this.options.batchBytes, Math.max(MIN_BATCH_CAPACITY, queue.lastBatchBytes))
    const builder = new RecordBatchBuilder(baseTimestamp, this.options.buffers?.take(capacity) ?? capacity)
    const batch: ProducerBatch = {
      topic: queue.topic,
      partition: queue.partition,
      builder,
      recordCount: 0,
      sizeBytes: builder.sizeBytes,
      createdAt: Date.now(),
      sequence: queue.nextSequence++,
      encoded: null,
      attempts: 0,
      baseSequence: -1,
      generation: -1,
      encodedGeneration: -1,
      resend: false,
      sent: false,
    }
    queue.open = batch
    this.lingering.add(queue)
    if (!this.cancelLingerTimer) this.armLingerTimer(this.options.lingerMs)
    return batch
  }

  private close(queue: PartitionQueue): void {
    const batch = queue.open
    if (!batch) return
    queue.open = null
    queue.lastBatchBytes = batch.sizeBytes
    this.lingering.delete(queue)
    queue.closed.push(batch)
    this.options.onBatchClosed(queue, batch)
  }

  /** One timer for all partitions, due when the oldest open batch has lingered long enough. */
  private armLingerTimer(delayMs: number): void {
    if (delayMs <= 0) {
      const immediate = setImmediate(() => this.onLingerTimer())
      this.cancelLingerTimer = () => clearImmediate(immediate)
    } else {
      const timer = setTimeout(() => this.onLingerTimer(), delayMs)
      this.cancelLingerTimer = () => clearTimeout(timer)
    }
  }

  private onLingerTimer(): void {
    this.cancelLingerTimer = null
    const now = Date.now()
    let oldestRemaining = Infinity
    for (const queue of this.lingering) {
      const openedAt = queue.open!.createdAt
      if (now - openedAt >= this.options.lingerMs) this.close(queue)
      else oldestRemaining = Math.min(oldestRemaining, openedAt)
    }
    if (oldestRemaining !== Infinity) this.armLingerTimer(oldestRemaining + this.options.lingerMs - now)
  }
}

/** Encoded size of one record at position `offsetDelta` of a batch whose base timestamp is given. */
export function recordSize(record: ProducerRecord, offsetDelta: number, baseTimestamp: number): number {
  return encodedRecordSize(record, record.timestamp - baseTimestamp, offsetDelta)
}
