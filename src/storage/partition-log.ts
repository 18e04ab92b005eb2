/**
 * PartitionLog: the ordered segments of one topic partition, `<dataDir>/<topic>-<partition>/`.
 *
 * Offsets are assigned here: an append stamps the next offset into the batch's baseOffset field
 * (and leader epoch 0), both outside the CRC, and writes the bytes unchanged otherwise. When the
 * active (last) segment has no room for a batch, or is older than segment.ms (retention.ts), a new
 * segment named by that batch's base offset is started, and the old one sealed: it lets go of its
 * descriptors (log-segment.ts). logEndOffset is the offset the next batch gets; with one replica it
 * is also the high watermark. logStartOffset is the first readable offset: the first segment's base,
 * or above it, inside the first segment, after DeleteRecords; it is checkpointed by the log manager
 * (log-start-offset-checkpoint.ts) whenever it moves.
 *
 * Reads locate the batch containing an offset (segment by binary search over base offsets, then
 * the segment's offset index and a short scan) or a timestamp (timestamp-lookup.ts) and return
 * whole batches as stored.
 *
 * Durability (log-flusher.ts): append() is done once the bytes are in the page cache, which
 * survives a kill -9 of the process. flush() fdatasyncs what was appended before it was called and
 * then advances the recovery point. A roll also starts a flush, in the background, so that the
 * recovery point follows the rolls of a log nobody asks to flush (acks=1), as in Kafka; so do
 * flush.messages and flush.ms. The log manager checkpoints recovery points (checkpoint-writer.ts);
 * a restart after a crash trusts the log below the checkpointed one without scanning it. A failed
 * fsync takes the partition offline until a restart has recovered the log from disk.
 *
 * Deletion (retention, DeleteRecords) removes whole segments from the start of the log, never the
 * active one (segment-removal.ts). The log cleaner (log-cleaner.ts) replaces sealed segments of a
 * compacted log by cleaned ones in place in `segments`, whose offsets may have gaps; such changes of
 * the segments run one at a time (changeSegments). A compacted log also rolls once its active
 * segment is max.compaction.lag.ms old, as in Kafka, so that its records become cleanable.
 *
 * Idempotent and transactional producers (partition-log-producers.ts): before a batch with a
 * producer id is written its header is checked against the producer's state: a retry of one of its
 * last 5 batches is answered with the original offsets and not written again (`duplicate`), a stale
 * epoch or a gap in the sequence is refused. Transactional batches open a transaction; a marker
 * (control batch, from the transaction coordinator) closes it, and an ABORT is recorded in the
 * segment's .txnindex: in memory at once, in the file with the next flush, so that nothing can fail
 * once a batch's bytes are in the segment (a failed flush takes the log offline). The last stable offset is the first offset of the earliest open transaction,
 * else the log end. Producer state is snapshotted at each roll and at close.
 *
 * The deletion steps live in partition-log-deletion.ts, the checked read path in
 * partition-log-reads.ts, the boundary types in partition-log-types.ts and the append listeners in
 * append-listeners.ts; this file keeps the offsets, appends, rolls and the log's lifecycle.
 */
import {AppendListeners} from './append-listeners.js'
import {CorruptionLog} from './corruption-log.js'
import {InvalidBatchError, LogOfflineError, LogWriteError, OffsetOutOfRangeError, OffsetOverflowError, RecordBatchTooLargeError, type StorageError} from './errors.js'
import {type LogConfig} from './log-config.js'
import {LogFlusher} from './log-flusher.js'
import {loadLog} from './log-loader.js'
import {LogSegment, type SegmentContext} from './log-segment.js'
import {compacts, rollConfigOf} from './cleaner-plan.js'
import {type CleanableLog} from './log-cleaner.js'
import {type Logger} from './logger.js'
import {LogDeletion} from './partition-log-deletion.js'
import {batchContaining, checkedRead} from './partition-log-reads.js'
import {type AppendOptions, type AppendResult, type CorruptionReport, type PartitionLogOptions} from './partition-log-types.js'
import {type AbortedTransaction, duplicateResult, LogProducers} from './partition-log-producers.js'
import {type ActiveProducer} from './producer-state.js'
import {ReadDescriptorCache} from './read-descriptor-cache.js'
import {dueToRollByTime, expiredSegmentCount, rollJitterMs, segmentsBelow} from './retention.js'
import {describeSingleFrame, readMaxTimestamp, stampLogAppendTime, stampOffsets} from './stored-batch.js'
import {batchWithLargestTimestamp, firstBatchAtOrAfter, type FoundBatch} from './timestamp-lookup.js'

export {type AppendOptions, type AppendOrigin, type AppendResult, type CorruptionReport, type PartitionLogOptions} from './partition-log-types.js'

export class PartitionLog {
  readonly topic: string
  readonly partition: number
  readonly dir: string
  private readonly logger: Logger
  private readonly listeners: AppendListeners
  private readonly flusher: LogFlusher
  private readonly deletion: LogDeletion
  private readonly corruption: CorruptionLog
  private readonly producers: LogProducers
  private config: LogConfig
  private nextOffset: number
  /** the active segment's share of segment.jitter.ms */
  private rollJitter: number
  /** why appends and flushes are refused: closed, or failed */
  private offline: StorageError | undefined
  private closed = false

  private constructor(
    options: PartitionLogOptions,
    private readonly segmentContext: SegmentContext,
    private readonly segments: LogSegment[],
    state: {logEndOffset: number; logStartOffset: number; recoveryPoint: number; unflushed: LogSegment[]; directoryUnsynced: boolean},
    producers: LogProducers,
  ) {
    this.producers = producers
    this.topic = options.topic
    this.partition = options.partition
    this.dir = options.dir
    this.config = options.config
    this.logger = options.logger
    this.nextOffset = state.logEndOffset
    this.rollJitter = rollJitterMs(options.config)
    const name = `${options.topic}-${options.partition}`
    this.listeners = new AppendListeners(name, options.logger)
    const startOffset = Math.min(Math.max(state.logStartOffset, (segments[0] as LogSegment).baseOffset), state.logEndOffset)
    const {fs, dir, logger, logStartOffsetMoved} = options
    const fileDeleteDelayMs = (): number => this.config.fileDeleteDelayMs
    this.deletion = new LogDeletion({fs, dir, logger, name, segments, fileDeleteDelayMs, logStartOffsetMoved}, startOffset)
    this.corruption = segmentContext.corruption
    this.flusher = new LogFlusher({
      ...state,
      fs: options.fs,
      dir: options.dir,
      name,
      logger: options.logger,
      logEndOffset: () => this.nextOffset,
      offline: () => this.offline,
      failed: (err) => (this.offline = err),
    })
  }

  /** A new, empty partition log in a directory that must not exist yet. */
  static async create(options: PartitionLogOptions): Promise<PartitionLog> {
    const context = segmentContextOf(options)
    options.fs.mkdir(options.dir)
    const segment = LogSegment.create(context, 0)
    await options.fs.syncDir(options.dir)
    const state = {logEndOffset: 0, logStartOffset: 0, recoveryPoint: 0, unflushed: [], directoryUnsynced: false}
    return new PartitionLog(options, context, [segment], state, producersOf(options))
  }

  /** Opens an existing partition directory, recovering it as log-loader.ts describes. */
  static open(options: PartitionLogOptions & {recoveryPoint: number; cleanShutdown: boolean; logStartOffset?: number}): PartitionLog {
    const context = segmentContextOf(options)
    const logStartOffset = options.logStartOffset ?? 0
    const producers = producersOf(options)
    const rebuild = producers.rebuild(options.recoveryPoint)
    const loaded = loadLog({segments: context, recoveryPoint: options.recoveryPoint, cleanShutdown: options.cleanShutdown, logStartOffset, observer: rebuild})
    const state = {...loaded, logStartOffset, directoryUnsynced: loaded.directoryChanged, recoveryPoint: options.recoveryPoint}
    const log = new PartitionLog(options, context, loaded.segments, state, producers)
    try {
      producers.finishLoad(rebuild, loaded.segments, loaded.logEndOffset)
    } catch (err) {
      for (const segment of loaded.segments) segment.close()
      throw err
    }
    return log
  }

  get logStartOffset(): number {
    return this.deletion.logStartOffset
  }

  get logEndOffset(): number {
    return this.nextOffset
  }

  /** Every batch below this offset is on disk; restarts scan only from here. */
  get recoveryPoint(): number {
    return this.flusher.recoveryPoint
  }

  /**
   * The first offset of the earliest open transaction, else the log end: read_committed consumers
   * read below it only. Never below the log start (as Kafka's firstUnstableOffset): DeleteRecords or
   * retention may remove the start of a transaction still open, and an offset below the log start
   * is one no reader may ask for.
   */
  get lastStableOffset(): number {
    return Math.max(this.producers.lastStableOffset(this.nextOffset), this.logStartOffset)
  }

  /**
   * The aborted transactions (producer id, first offset) that overlap [fetchOffset,
   * upperBoundOffset): what a read_committed fetch of that range answers as AbortedTransactions.
   */
  abortedTransactions(fetchOffset: number, upperBoundOffset: number): AbortedTransaction[] {
    this.throwIfClosed()
    return this.producers.abortedTransactions(this.segments, fetchOffset, upperBoundOffset)
  }

  /** The producers with state in this partition (DescribeProducers). */
  activeProducers(): ActiveProducer[] {
    return this.producers.activeProducers()
  }

  /** Bytes in all segments. */
  get size(): number {
    return this.segments.reduce((sum, segment) => sum + segment.size, 0)
  }

  get segmentCount(): number {
    return this.segments.length
  }

  /** Whether cleanup.policy includes compact: the log cleaner keeps each key's latest record, and records need a key. */
  get compacted(): boolean {
    return compacts(this.config)
  }

  /**
   * Appends exactly one RecordBatch v2 (the caller validated its header and CRC). Stamps the batch
   * in place with its offsets, and for LogAppendTime topics with the append time. Offsets stop at
   * Number.MAX_SAFE_INTEGER (OffsetOverflowError): beyond it a number no longer names one offset.
   * A batch with a producer id is checked first (partition-log-producers.ts): a retry is answered
   * with its original offsets and `duplicate`, without writing; InvalidProducerEpochError,
   * OutOfOrderSequenceError, InvalidTxnStateError or TransactionCoordinatorFencedError refuse it.
   * Control batches (transaction markers) come only from the transaction coordinator. A batch of
   * origin 'coordinator' is checked for its epoch only (partition-log-types.ts).
   */
  append(batch: Buffer, options: AppendOptions = {}): AppendResult {
    this.throwIfOffline()
    const frame = describeSingleFrame(batch)
    if (typeof frame === 'string') throw new InvalidBatchError(`not one RecordBatch v2 (${frame})`)
    if (batch.length > this.config.segmentBytes) {
      throw new RecordBatchTooLargeError(`batch of ${batch.length} bytes is larger than segment.bytes ${this.config.segmentBytes}`)
    }
    const producer = this.producers.check(batch, options.origin ?? 'client')
    if ('duplicate' in producer) return duplicateResult(producer.duplicate, this.config.timestampType)
    const baseOffset = this.nextOffset
    const lastOffset = baseOffset + (frame.lastOffset - frame.baseOffset)
    if (lastOffset > Number.MAX_SAFE_INTEGER) {
      throw new OffsetOverflowError(
        `${this.topic}-${this.partition} is full: a batch of offsets ${baseOffset}..${lastOffset} would pass the largest offset, ${Number.MAX_SAFE_INTEGER}`,
      )
    }
    stampOffsets(batch, baseOffset)
    const now = Date.now()
    const logAppendTime = this.config.timestampType === 'LogAppendTime' ? now : -1
    if (logAppendTime >= 0) stampLogAppendTime(batch, logAppendTime)
    const stamped = {baseOffset, lastOffset, size: batch.length, maxTimestamp: readMaxTimestamp(batch)}
    const segment = this.segmentFor(stamped, now)
    try {
      segment.append(batch, stamped)
    } catch (err) {
      if (err instanceof LogOfflineError) this.offline = err
      throw err
    }
    // The bytes are in the segment: its offsets are taken, whatever happens after.
    this.flusher.markUnflushed(segment)
    this.nextOffset = lastOffset + 1
    try {
      if (producer.batch !== undefined) this.producers.appended({...producer.batch, maxTimestamp: stamped.maxTimestamp}, baseOffset, lastOffset, segment)
    } catch (err) {
      throw this.takeOffline(`the producer state of ${this.topic}-${this.partition} missed the batch at ${baseOffset}`, err)
    } finally {
      this.listeners.notify()
    }
    this.flusher.applyPolicy(this.config)
    return {baseOffset, lastOffset, logAppendTime, duplicate: false}
  }

  /**
   * Makes everything appended before the call durable, then advances the recovery point. Flushes
   * run one after another; concurrent ones share a sync; one that finds nothing new costs nothing.
   */
  flush(): Promise<void> {
    return this.flusher.flush()
  }

  /**
   * Bytes of whole batches starting with the batch that contains `offset`: up to `maxBytes`, but
   * at least that one batch. Empty at logEndOffset; OffsetOutOfRangeError outside
   * [logStartOffset, logEndOffset].
   */
  read(offset: number, maxBytes: number): Buffer {
    this.throwIfClosed()
    const start = this.logStartOffset
    if (!Number.isSafeInteger(offset) || offset < start || offset > this.nextOffset) {
      throw new OffsetOutOfRangeError(`offset ${offset} is outside ${this.topic}-${this.partition}'s range [${start}, ${this.nextOffset}]`)
    }
    return this.checked(offset, () => batchContaining(this.segments, offset), maxBytes)
  }

  /**
   * Whole batches as stored, starting with the first batch (in offset order, ending at or above the
   * log start) whose maxTimestamp is at or after `timestamp`: up to `maxBytes`, but at least that
   * batch. Empty when there is none. The first batch may begin below the log start offset, and its
   * maxTimestamp may be a record's below it: the reader skips those records, and reads on when no
   * record of the batch qualifies. Throws CorruptLogError for a damaged batch where the search leads.
   */
  readFromTimestamp(timestamp: number, maxBytes: number): Buffer {
    this.throwIfClosed()
    const start = this.logStartOffset
    return this.checked(start, () => firstBatchAtOrAfter(this.segments, timestamp, start), maxBytes)
  }

  /**
   * The stored batch holding the partition's largest timestamp (the earliest such batch, among those
   * ending at or above the log start); null for an empty log.
   */
  batchWithMaxTimestamp(): Buffer | null {
    this.throwIfClosed()
    const start = this.logStartOffset
    const bytes = this.checked(start, () => batchWithLargestTimestamp(this.segments, start), 0)
    return bytes.length > 0 ? bytes : null
  }

  /**
   * Raises the log start offset to `offset` (-1: the log end offset), never lowering it, makes it
   * durable and deletes the segments wholly below it; resolves to the new log start offset.
   * OffsetOutOfRangeError when `offset` is above the log end offset or negative (other than -1).
   */
  async deleteRecordsBefore(offset: number): Promise<number> {
    this.throwIfOffline()
    const target = offset === -1 ? this.nextOffset : offset
    if (!Number.isSafeInteger(target) || target < 0 || target > this.nextOffset) {
      throw new OffsetOutOfRangeError(`cannot delete records of ${this.topic}-${this.partition} before ${offset}: its offsets end at ${this.nextOffset}`)
    }
    await this.deletion.raiseLogStartOffset(target)
    await this.deletion.removeOldest(() => segmentsBelow(this.segments, this.logStartOffset))
    this.afterDeletion()
    return this.logStartOffset
  }

  /**
   * One retention pass (retention.ts): rolls the active segment when segment.ms says so or when it
   * expired too, then deletes the expired segments and advances the log start offset past them.
   */
  async enforceRetention(now: number = Date.now()): Promise<void> {
    if (this.offline) return
    if (dueToRollByTime(this.activeSegment(), rollConfigOf(this.config), this.rollJitter, now, now)) this.roll(this.nextOffset)
    await this.deletion.removeOldest(() => {
      const count = expiredSegmentCount(this.segments, this.config, now, this.logStartOffset)
      if (count === this.segments.length) this.roll(this.nextOffset)
      return count
    })
    this.afterDeletion()
    if (!this.offline) this.producers.removeExpired(now)
  }

  /** Applies a topic's altered configs: later appends, rolls, flushes and retention passes follow them. */
  updateConfig(config: LogConfig): void {
    this.config = config
    this.segmentContext.indexIntervalBytes = config.indexIntervalBytes
    this.rollJitter = rollJitterMs(config)
    this.flusher.reconfigure(config)
  }

  /** What the log cleaner works on: the live segments and the means to change them (log-cleaner.ts). */
  cleanable(): CleanableLog {
    return {
      name: `${this.topic}-${this.partition}`,
      segments: this.segments,
      context: this.segmentContext,
      config: this.config,
      logStartOffset: this.logStartOffset,
      logEndOffset: this.nextOffset,
      lastStableOffset: this.lastStableOffset,
      recoveryPoint: this.recoveryPoint,
      isOpen: () => this.offline === undefined,
      changeSegments: (change) => this.deletion.changeSegments(change),
      removeRenamed: (paths) => this.deletion.removeRenamed(paths),
    }
  }

  /** The defects reads found in this log (corruption-log.ts). */
  corruptions(): CorruptionReport[] {
    return this.corruption.list()
  }

  /** Calls `listener` after every append (and once when the log closes); returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    return this.listeners.add(listener)
  }

  /** Stops appends, waits for running flushes and removals, closes the files and wakes the listeners. Does not flush. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    const healthy = this.offline === undefined
    this.offline = new LogOfflineError(`${this.topic}-${this.partition} is closed`)
    await this.flusher.stop()
    await this.deletion.finish()
    if (healthy) await this.producers.snapshotAtClose(this.nextOffset)
    for (const segment of this.segments) segment.close()
    this.listeners.notify()
    this.listeners.clear()
  }

  /** The batches `find` leads to, checked (partition-log-reads.ts): a damaged batch is reported and never served. */
  private checked(near: number, find: () => FoundBatch | undefined, maxBytes: number): Buffer {
    return checkedRead(this.corruption, near, find, maxBytes)
  }

  private activeSegment(): LogSegment {
    return this.segments[this.segments.length - 1] as LogSegment
  }

  /** The segment a batch goes to: the active one, or a new one when it is full or too old. */
  private segmentFor(batch: {size: number; baseOffset: number; lastOffset: number; maxTimestamp: number}, now: number): LogSegment {
    const active = this.activeSegment()
    const fits = active.hasRoomFor(batch.size, batch.lastOffset, this.config.segmentBytes)
    if (fits && !dueToRollByTime(active, rollConfigOf(this.config), this.rollJitter, batch.maxTimestamp, now)) return active
    return this.roll(batch.baseOffset)
  }

  /** Seals the active segment and starts a new one at `baseOffset`; a flush of both starts in the background. */
  private roll(baseOffset: number): LogSegment {
    const active = this.activeSegment()
    let rolled: LogSegment
    try {
      rolled = LogSegment.create(this.segmentContext, baseOffset)
    } catch (err) {
      throw new LogWriteError(`cannot start segment ${baseOffset} of ${this.topic}-${this.partition}: ${(err as Error).message}`, {cause: err})
    }
    active.seal()
    this.segments.push(rolled)
    this.producers.snapshotAtRoll(baseOffset)
    this.rollJitter = rollJitterMs(this.config)
    this.flusher.markUnflushed(active)
    this.flusher.markDirectoryChanged()
    this.flusher.flushInBackground('after a segment roll')
    return rolled
  }

  /** The snapshots of deleted segments go too; not once the log closed (its directory may be gone). */
  private afterDeletion(): void {
    if (!this.closed) this.producers.segmentsDeletedBelow((this.segments[0] as LogSegment).baseOffset)
  }

  /**
   * A batch is in the log but what is kept about it is not: nothing more is appended or flushed, so
   * the recovery point stays below it and a restart scans it again, rebuilding that state.
   */
  private takeOffline(why: string, cause: unknown): LogOfflineError {
    const error = new LogOfflineError(`${why}: ${(cause as Error).message}; offline until a restart`, {cause})
    this.offline = error
    this.logger(error.message)
    return error
  }

  private throwIfOffline(): void {
    if (this.offline) throw this.offline
  }

  private throwIfClosed(): void {
    if (this.closed) throw this.offline as StorageError
  }
}

function producersOf(options: PartitionLogOptions): LogProducers {
  return new LogProducers(options.fs, options.dir, `${options.topic}-${options.partition}`, options.logger, options.producerIdExpirationMs)
}

/** What the log's segments share: a read descriptor cache of their own when the options bring none. */
function segmentContextOf(options: PartitionLogOptions): SegmentContext {
  const {fs, dir, logger} = options
  const corruption = new CorruptionLog(options.topic, options.partition, logger)
  return {fs, dir, logger, indexIntervalBytes: options.config.indexIntervalBytes, readers: options.readDescriptors ?? new ReadDescriptorCache(fs), corruption}
}
