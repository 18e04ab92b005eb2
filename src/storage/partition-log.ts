/**
 * PartitionLog: the ordered segments of one topic partition, `<dataDir>/<topic>-<partition>/`.
 *
 * Offsets are assigned here: an append stamps the next offset into the batch's baseOffset field
 * (and leader epoch 0), both outside the CRC, and writes the bytes unchanged otherwise. When the
 * active (last) segment has no room for a batch, a new segment named by that batch's base offset
 * is started, and the old one sealed: it lets go of its descriptors (log-segment.ts). logEndOffset
 * is the offset the next batch gets; with one replica it is also the high watermark.
 *
 * Reads locate the batch containing an offset (segment by binary search over base offsets, then
 * the segment's index and a short scan) and return whole batches as stored.
 *
 * Durability: append() is done once the bytes are in the page cache, which survives a kill -9 of
 * the process. flush() fdatasyncs what was appended before it was called and then advances the
 * recovery point. A roll also starts a flush, in the background, so that the recovery point
 * follows the rolls of a log nobody asks to flush (acks=1), as in Kafka. The log manager
 * checkpoints recovery points (checkpoint-writer.ts), at the latest an interval after they move;
 * a restart after a crash trusts the log below the checkpointed one without scanning it, so it
 * scans about one segment per partition. A failed fsync takes the partition offline: after one,
 * the kernel may have dropped the dirty pages, so the only honest answer to later writes is an
 * error until a restart has recovered the log from disk.
 */
import {
  InvalidBatchError,
  LogOfflineError,
  LogWriteError,
  OffsetOutOfRangeError,
  OffsetOverflowError,
  RecordBatchTooLargeError,
  StorageError,
} from './errors.js'
import {type Fs} from './fs.js'
import {type LogConfig} from './log-config.js'
import {loadLog, segmentIndexFor} from './log-loader.js'
import {LogSegment, type SegmentContext} from './log-segment.js'
import {type Logger} from './logger.js'
import {ReadDescriptorCache} from './read-descriptor-cache.js'
import {describeSingleFrame, stampLogAppendTime, stampOffsets} from './stored-batch.js'

export interface PartitionLogOptions {
  fs: Fs
  /** the partition directory */
  dir: string
  topic: string
  partition: number
  config: LogConfig
  logger: Logger
  /** read descriptors of sealed segments, shared with the other partitions; a cache of its own when absent */
  readDescriptors?: ReadDescriptorCache
}

/** A defect found in a partition's log: a batch that failed its length or CRC check, never served. */
export interface CorruptionReport {
  topic: string
  partition: number
  /** the first offset the defect keeps from being read */
  offset: number
  reason: string
}

export interface AppendResult {
  baseOffset: number
  lastOffset: number
  /** the time stamped into the batch for a LogAppendTime topic; -1 for CreateTime */
  logAppendTime: number
}

export class PartitionLog {
  readonly topic: string
  readonly partition: number
  readonly dir: string
  private readonly fs: Fs
  private config: LogConfig
  private readonly logger: Logger
  private readonly listeners = new Set<() => void>()
  private readonly unflushed = new Set<LogSegment>()
  private directoryUnsynced: boolean
  private nextOffset: number
  private flushedOffset: number
  private flushChain: Promise<void> = Promise.resolve()
  /** a flush started by a roll waits in flushChain: later rolls need not queue another */
  private rollFlushQueued = false
  /** why appends and flushes are refused: closed, or failed */
  private offline: StorageError | undefined
  private closed = false

  private constructor(
    options: PartitionLogOptions,
    private readonly segmentContext: SegmentContext,
    private readonly segments: LogSegment[],
    state: {logEndOffset: number; recoveryPoint: number; unflushed: LogSegment[]; directoryUnsynced: boolean},
  ) {
    this.topic = options.topic
    this.partition = options.partition
    this.dir = options.dir
    this.fs = options.fs
    this.config = options.config
    this.logger = options.logger
    this.nextOffset = state.logEndOffset
    this.flushedOffset = Math.min(state.recoveryPoint, state.logEndOffset)
    for (const segment of state.unflushed) this.unflushed.add(segment)
    this.directoryUnsynced = state.directoryUnsynced
  }

  /** A new, empty partition log in a directory that must not exist yet. */
  static async create(options: PartitionLogOptions): Promise<PartitionLog> {
    const context = segmentContextOf(options)
    options.fs.mkdir(options.dir)
    const segment = LogSegment.create(context, 0)
    await options.fs.syncDir(options.dir)
    return new PartitionLog(options, context, [segment], {logEndOffset: 0, recoveryPoint: 0, unflushed: [], directoryUnsynced: false})
  }

  /** Opens an existing partition directory, recovering it as log-loader.ts describes. */
  static open(options: PartitionLogOptions & {recoveryPoint: number; cleanShutdown: boolean}): PartitionLog {
    const context = segmentContextOf(options)
    const loaded = loadLog({segments: context, recoveryPoint: options.recoveryPoint, cleanShutdown: options.cleanShutdown})
    return new PartitionLog(options, context, loaded.segments, {...loaded, directoryUnsynced: loaded.directoryChanged, recoveryPoint: options.recoveryPoint})
  }

  get logStartOffset(): number {
    return (this.segments[0] as LogSegment).baseOffset
  }

  get logEndOffset(): number {
    return this.nextOffset
  }

  /** Every batch below this offset is on disk; restarts scan only from here. */
  get recoveryPoint(): number {
    return this.flushedOffset
  }

  /** Bytes in all segments. */
  get size(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0)
  }

  get segmentCount(): number {
    return this.segments.length
  }

  /**
   * Appends exactly one RecordBatch v2 (the caller validated its header and CRC). Stamps the batch
   * in place with its offsets, and for LogAppendTime topics with the append time. Offsets stop at
   * Number.MAX_SAFE_INTEGER (OffsetOverflowError): beyond it a number no longer names one offset.
   */
  append(batch: Buffer): AppendResult {
    this.throwIfOffline()
    const frame = describeSingleFrame(batch)
    if (typeof frame === 'string') throw new InvalidBatchError(`not one RecordBatch v2 (${frame})`)
    if (batch.length > this.config.segmentBytes) {
      throw new RecordBatchTooLargeError(`batch of ${batch.length} bytes is larger than segment.bytes ${this.config.segmentBytes}`)
    }
    const baseOffset = this.nextOffset
    const lastOffset = baseOffset + (frame.lastOffset - frame.baseOffset)
    if (lastOffset > Number.MAX_SAFE_INTEGER) {
      throw new OffsetOverflowError(
        `${this.topic}-${this.partition} is full: a batch of offsets ${baseOffset}..${lastOffset} would pass the largest offset, ${Number.MAX_SAFE_INTEGER}`,
      )
    }
    stampOffsets(batch, baseOffset)
    const logAppendTime = this.config.timestampType === 'LogAppendTime' ? Date.now() : -1
    if (logAppendTime >= 0) stampLogAppendTime(batch, logAppendTime)
    const segment = this.segmentWithRoomFor(batch.length, lastOffset, baseOffset)
    try {
      segment.append(batch, {baseOffset, lastOffset, size: batch.length})
    } catch (err) {
      if (err instanceof LogOfflineError) this.offline = err
      throw err
    }
    this.unflushed.add(segment)
    this.nextOffset = lastOffset + 1
    this.notifyAppend()
    return {baseOffset, lastOffset, logAppendTime}
  }

  /**
   * Makes everything appended before the call durable, then advances the recovery point. Flushes
   * run one after another; one that finds nothing new to sync costs nothing.
   */
  flush(): Promise<void> {
    const target = this.nextOffset
    return this.queueFlush(() => target)
  }

  /**
   * Bytes of whole batches starting with the batch that contains `offset`: up to `maxBytes`, but
   * at least that one batch. Empty at logEndOffset; OffsetOutOfRangeError outside
   * [logStartOffset, logEndOffset].
   */
  read(offset: number, maxBytes: number): Buffer {
    if (this.closed) throw this.offline as StorageError
    if (!Number.isSafeInteger(offset) || offset < this.logStartOffset || offset > this.nextOffset) {
      throw new OffsetOutOfRangeError(
        `offset ${offset} is outside ${this.topic}-${this.partition}'s range [${this.logStartOffset}, ${this.nextOffset}]`,
      )
    }
    for (let i = segmentIndexFor(this.segments, offset); i < this.segments.length; i++) {
      const segment = this.segments[i] as LogSegment
      const first = segment.locate(offset)
      if (first) return segment.readBatches(first, maxBytes)
    }
    return Buffer.alloc(0)
  }

  /**
   * Whole batches as stored, starting with the first batch (in offset order, at or above the log
   * start) whose maxTimestamp is at or after `timestamp`: up to `maxBytes`, but at least that batch.
   * Empty when there is none. Throws CorruptLogError for a damaged batch where the search leads.
   */
  readFromTimestamp(timestamp: number, maxBytes: number): Buffer {
    void timestamp
    void maxBytes
    throw new StorageError('readFromTimestamp is not implemented yet')
  }

  /** The stored batch holding the partition's largest timestamp (the earliest such batch); null for an empty log. */
  batchWithMaxTimestamp(): Buffer | null {
    throw new StorageError('batchWithMaxTimestamp is not implemented yet')
  }

  /**
   * Raises the log start offset to `offset` (-1: the log end offset), never lowering it, makes it
   * durable and deletes the segments wholly below it; resolves to the new log start offset.
   * OffsetOutOfRangeError when `offset` is above the log end offset or negative (other than -1).
   */
  async deleteRecordsBefore(offset: number): Promise<number> {
    void offset
    throw new StorageError('deleteRecordsBefore is not implemented yet')
  }

  /** Applies a topic's altered configs: later appends, rolls, flushes and retention passes follow them. */
  updateConfig(config: LogConfig): void {
    this.config = config
    this.segmentContext.indexIntervalBytes = config.indexIntervalBytes
  }

  /** The defects found in this log so far. */
  corruptions(): CorruptionReport[] {
    return []
  }

  /** Calls `listener` after every append (and once when the log closes); returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** Stops appends, waits for running flushes, closes the files and wakes the listeners. Does not flush. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.offline = new LogOfflineError(`${this.topic}-${this.partition} is closed`)
    await this.flushChain
    for (const segment of this.segments) segment.close()
    this.notifyAppend()
    this.listeners.clear()
  }

  private segmentWithRoomFor(frameSize: number, lastOffset: number, baseOffset: number): LogSegment {
    const active = this.segments[this.segments.length - 1] as LogSegment
    if (active.hasRoomFor(frameSize, lastOffset, this.config.segmentBytes)) return active
    let rolled: LogSegment
    try {
      rolled = LogSegment.create(this.segmentContext, baseOffset)
    } catch (err) {
      throw new LogWriteError(`cannot start segment ${baseOffset} of ${this.topic}-${this.partition}: ${(err as Error).message}`, {cause: err})
    }
    active.seal()
    this.segments.push(rolled)
    this.directoryUnsynced = true
    this.flushAfterRoll()
    return rolled
  }

  /**
   * Flushes in the background what was appended before the flush starts, the segments rolled past
   * included. While one waits for the flushes before it, a roll needs none of its own.
   */
  private flushAfterRoll(): void {
    if (this.rollFlushQueued) return
    this.rollFlushQueued = true
    this.queueFlush(() => {
      this.rollFlushQueued = false
      return this.nextOffset
    }).catch((err: unknown) => {
      if (!this.closed) this.logger(`${this.topic}-${this.partition}: sync after a segment roll failed: ${(err as Error).message}`)
    })
  }

  /** Runs a flush after those already queued, up to the offset `target` gives when it starts. */
  private queueFlush(target: () => number): Promise<void> {
    const run = this.flushChain.then(() => this.syncUnflushed(target()))
    this.flushChain = run.catch(() => undefined)
    return run
  }

  private async syncUnflushed(target: number): Promise<void> {
    this.throwIfOffline()
    const segments = [...this.unflushed]
    this.unflushed.clear()
    const directory = this.directoryUnsynced
    this.directoryUnsynced = false
    try {
      for (const segment of segments) await segment.flush()
      if (directory) await this.fs.syncDir(this.dir)
    } catch (err) {
      this.offline = new LogOfflineError(`fsync of ${this.topic}-${this.partition} failed: ${(err as Error).message}`, {cause: err})
      throw this.offline
    }
    this.flushedOffset = Math.max(this.flushedOffset, target)
  }

  private throwIfOffline(): void {
    if (this.offline) throw this.offline
  }

  private notifyAppend(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener()
      } catch (err) {
        this.logger(`${this.topic}-${this.partition}: an append listener threw: ${(err as Error).message}`)
      }
    }
  }
}

/** What the log's segments share: a read descriptor cache of their own when the options bring none. */
function segmentContextOf(options: PartitionLogOptions): SegmentContext {
  const {fs, dir, logger} = options
  return {fs, dir, logger, indexIntervalBytes: options.config.indexIntervalBytes, readers: options.readDescriptors ?? new ReadDescriptorCache(fs)}
}
