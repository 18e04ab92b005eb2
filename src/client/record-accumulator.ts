// Collects produced records into one open batch per partition. A batch closes when the next record would
// make it larger than the batch limit, when it has lingered lingerMs, or on flush; a closed batch waits
// in its partition's queue until the producer sends it.
//
// A batch's size is tracked exactly (the uncompressed RecordBatch v2 bytes it will encode to), because the
// limit sits just under the broker's max.message.bytes: an estimate that ran short would turn into
// MESSAGE_TOO_LARGE for batches of small records.
import {BATCH_HEADER_SIZE, type ProducerRecord} from '../protocol/index.js'

export interface ProducerBatch {
  readonly topic: string
  readonly partition: number
  /** Dropped (emptied) once encoded; `recordCount` keeps the count. */
  records: ProducerRecord[]
  recordCount: number
  /** Exact uncompressed size of the encoded batch. */
  sizeBytes: number
  readonly baseTimestamp: number
  readonly createdAt: number
  encoded: Promise<Buffer> | null
  /** Failed send attempts so far. */
  attempts: number
}

/** The batches of one partition: the one being filled, then closed ones in send order. */
export class PartitionQueue {
  open: ProducerBatch | null = null
  readonly closed: ProducerBatch[] = []
  /** A Produce request carries this partition's oldest closed batch (at most one at a time, for order). */
  inFlight = false
  /** After a retriable failure, not before this time (ms since epoch). */
  retryAt = 0

  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}
}

export interface AccumulatorOptions {
  batchBytes: number
  lingerMs: number
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
  append(queue: PartitionQueue, record: ProducerRecord): number {
    let batch = queue.open
    let size = batch ? recordSize(record, batch.recordCount, batch.baseTimestamp) : 0
    if (batch && batch.sizeBytes + size > this.options.batchBytes) {
      this.close(queue)
      batch = null
    }
    if (!batch) {
      batch = this.openBatch(queue, record.timestamp)
      size = recordSize(record, 0, record.timestamp)
    }
    batch.records.push(record)
    batch.recordCount++
    batch.sizeBytes += size
    return size
  }

  /** Closes every open batch (flush). */
  closeAll(): void {
    for (const queue of this.lingering) this.close(queue)
  }

  /** Stops the linger timer (the producer is closing). */
  dispose(): void {
    this.cancelLingerTimer?.()
    this.cancelLingerTimer = null
  }

  private openBatch(queue: PartitionQueue, baseTimestamp: number): ProducerBatch {
    const batch: ProducerBatch = {
      topic: queue.topic,
      partition: queue.partition,
      records: [],
      recordCount: 0,
      sizeBytes: BATCH_HEADER_SIZE,
      baseTimestamp,
      createdAt: Date.now(),
      encoded: null,
      attempts: 0,
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
  const keyLength = record.key === null ? -1 : record.key.length
  const valueLength = record.value === null ? -1 : record.value.length
  let body =
    1 + // attributes
    zigzagSize(record.timestamp - baseTimestamp) +
    zigzagSize(offsetDelta) +
    zigzagSize(keyLength) +
    Math.max(keyLength, 0) +
    zigzagSize(valueLength) +
    Math.max(valueLength, 0) +
    zigzagSize(record.headers.length)
  for (const header of record.headers) {
    const keyBytes = Buffer.byteLength(header.key)
    const headerValueLength = header.value === null ? -1 : header.value.length
    body += zigzagSize(keyBytes) + keyBytes + zigzagSize(headerValueLength) + Math.max(headerValueLength, 0)
  }
  return zigzagSize(body) + body
}

/** Bytes of a zigzag varint/varlong holding `value` (exact for every safe integer). */
export function zigzagSize(value: number): number {
  let unsigned = value >= 0 ? value * 2 : -value * 2 - 1
  let size = 1
  while (unsigned >= 128) {
    unsigned = Math.floor(unsigned / 128)
    size++
  }
  return size
}
