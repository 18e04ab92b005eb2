/**
 * LogSegment: one `<base>.log` file of stored batches, its `<base>.index` (offset-index.ts), its
 * `<base>.timeindex` (time-index.ts) and, once a transaction is aborted in it, its `<base>.txnindex`
 * (transaction-index.ts).
 *
 * .log format: RecordBatch v2 frames (stored-batch.ts) back to back and nothing else: no file
 * header, no padding, no trailer. The base offset in the file name is at or below the first
 * batch's baseOffset, and batch offsets strictly increase through the file. The file ends with
 * the last whole batch, except after a crash, when recovery cuts the torn tail.
 *
 * Descriptors: only the active (last) segment of a log holds its files open, the .log and both
 * indexes, for appends: an append is one positioned write at the end (a page-cache copy: an acks=1
 * answer may follow it) plus, every index.interval.bytes, an 8-byte and a 12-byte index entry
 * (index-rule.ts). When the log rolls, the segment is sealed: its time index gets a closing entry
 * holding its largest timestamp, and it lets its descriptors go. A sealed segment reads its .log
 * through the log manager's shared cache of read descriptors (read-descriptor-cache.ts), and opens
 * a file just for the call that recovers, rewrites or syncs it, so the descriptors a log holds do
 * not grow with its segments. The indexes of a sealed segment are loaded, and checked against the
 * log, on first use (segment-indexes.ts).
 *
 * A sealed segment is never modified in place except by recovery: the log cleaner, when written,
 * replaces a whole sealed segment by a cleaned one.
 *
 * Damage (damaged-region.ts): recovery cuts a defect only above the recovery point (a torn write);
 * below it, and wherever a later scan or read meets one, the damaged bytes are kept as a region,
 * reported to the partition's corruption log, stepped over by scans and never served.
 *
 * Searches by offset and by timestamp (the index-guided scans) live in segment-search.ts.
 */
import {type DamagedRegion} from './damaged-region.js'
import {CorruptLogError, LogOfflineError, LogWriteError} from './errors.js'
import {type ScannedFrame} from './frame-scanner.js'
import {datasyncPath, type Fs, readAt, writeFully} from './fs.js'
import {HeldDescriptor} from './held-descriptor.js'
import {applyIndexRule} from './index-rule.js'
import {DELETED_SUFFIX, indexFilePath, logFilePath, timeIndexFilePath, txnIndexFilePath} from './log-file-names.js'
import {MAX_RELATIVE_OFFSET} from './offset-index.js'
import {SegmentDamage} from './segment-damage.js'
import {SegmentSearch} from './segment-search.js'
import {type Walk, type WalkOptions} from './segment-walk.js'
import {SegmentIndexes, type SegmentContext, type SegmentRecovery} from './segment-indexes.js'
import {BATCH_HEADER_SIZE, type BatchFrame, isFrameDefect, readFrameHeader, wholeFramesLength} from './stored-batch.js'
import {type TimeIndexEntry} from './time-index.js'
import {TransactionIndex} from './transaction-index.js'

export {type SegmentContext, type SegmentRecovery} from './segment-indexes.js'

export class LogSegment {
  readonly logPath: string
  /** when this process made or opened the segment: the age segment.ms counts when batches carry no timestamp */
  readonly createdAt = Date.now()
  /** the transactions aborted by markers in this segment */
  readonly transactions: TransactionIndex
  private readonly fs: Fs
  private readonly indexes: SegmentIndexes
  private readonly damage: SegmentDamage
  private readonly search: SegmentSearch
  private logDirty = false
  /** the first batch's maxTimestamp, once known */
  private firstTimestamp: number | undefined
  /** when this process last appended to the segment; before its first append, the file's mtime counts */
  private lastAppendAt: number | undefined
  private deleted = false

  private constructor(
    private readonly context: SegmentContext,
    readonly baseOffset: number,
    private logSize: number,
    /** the .log descriptor appends go through, while the segment is active */
    private writer: HeldDescriptor | undefined,
    created: boolean,
  ) {
    this.fs = context.fs
    this.logPath = logFilePath(context.dir, baseOffset)
    this.transactions = new TransactionIndex(context.fs, txnIndexFilePath(context.dir, baseOffset), context.logger)
    this.damage = new SegmentDamage(context, this.logPath, baseOffset, () => this.logSize)
    this.indexes = new SegmentIndexes(context, baseOffset, this.logPath, () => this.logSize, created, (fd) => this.damage.handling(fd, Infinity, false))
    const {logPath, indexes, damage} = this
    this.search = new SegmentSearch({context, logPath, baseOffset, indexes, damage, size: () => this.logSize, reading: (read) => this.reading(read)})
  }

  /**
   * A new, empty, active segment; its .log must not exist yet. When an index cannot be created the
   * new files are removed again, so a later attempt at the same offset does not find them in its way.
   */
  static create(context: SegmentContext, baseOffset: number): LogSegment {
    const {fs, dir} = context
    const fd = fs.open(logFilePath(dir, baseOffset), 'wx+')
    try {
      return new LogSegment(context, baseOffset, 0, new HeldDescriptor(fs, fd), true)
    } catch (err) {
      fs.close(fd)
      for (const path of [logFilePath(dir, baseOffset), indexFilePath(dir, baseOffset), timeIndexFilePath(dir, baseOffset)]) {
        if (fs.exists(path)) fs.unlink(path)
      }
      throw err
    }
  }

  /**
   * An existing segment, sealed, holding no descriptor and trusted for nothing yet: call recover()
   * or resumeAfterCleanShutdown() before reading it, and activate() before appending.
   */
  static open(context: SegmentContext, baseOffset: number): LogSegment {
    return new LogSegment(context, baseOffset, context.fs.fileSize(logFilePath(context.dir, baseOffset)), undefined, false)
  }

  get size(): number {
    return this.logSize
  }

  get indexPath(): string {
    return this.indexes.offsetIndexPath
  }

  /** Opens the .log and the indexes for appends: this is now the log's last segment. */
  activate(): void {
    this.writer ??= new HeldDescriptor(this.fs, this.fs.open(this.logPath, 'r+'))
    this.reading((fd) => this.indexes.hold(fd))
  }

  /**
   * No more appends (the log rolled past it): the time index gets its closing entry, the largest
   * timestamp, and both descriptors are let go; later reads go through the shared cache.
   */
  seal(): void {
    if (this.writer && this.logSize > 0) this.indexes.addClosingEntry()
    this.release()
  }

  /** Whether a batch of `frameSize` bytes ending at `lastOffset` goes here rather than into a new segment. */
  hasRoomFor(frameSize: number, lastOffset: number, segmentBytes: number): boolean {
    if (lastOffset - this.baseOffset > MAX_RELATIVE_OFFSET) return false
    return this.logSize === 0 || this.logSize + frameSize <= segmentBytes
  }

  /**
   * Writes `batch` (whose offsets are already stamped: `frame`) at the end, with the index entries
   * the rule calls for. On an I/O error the partial writes are cut off again and LogWriteError
   * thrown; LogOfflineError if that fails too.
   */
  append(batch: Buffer, frame: BatchFrame): void {
    if (!this.writer) throw new LogOfflineError(`${this.logPath} is sealed: appends go to the last segment`)
    const fd = this.writer.fd
    const position = this.logSize
    const step = applyIndexRule(this.indexes.rule, {...frame, position}, this.context.indexIntervalBytes)
    const undoIndexes = this.indexes.undoPoint()
    try {
      writeFully(this.fs, fd, batch, position)
      this.indexes.append(step)
    } catch (err) {
      this.rollBack(fd, position, undoIndexes, err)
    }
    this.indexes.rule = step.state
    if (position === 0) this.firstTimestamp = frame.maxTimestamp
    this.lastAppendAt = Date.now()
    this.logSize = position + batch.length
    this.logDirty = true
  }

  /** The first batch whose last offset is at or after `offset`, or undefined when the segment ends before it. */
  locate(offset: number): ScannedFrame | undefined {
    return this.search.locate(offset)
  }

  /**
   * The first batch, at or after `minOffset`, whose maxTimestamp is at or after `timestamp`; undefined
   * when there is none. The time index gives where to start, the offset index where that is.
   */
  locateByTimestamp(timestamp: number, minOffset: number): ScannedFrame | undefined {
    return this.search.locateByTimestamp(timestamp, minOffset)
  }

  /** When the segment was last written: the time retention.ms counts from when its batches carry no timestamp. */
  lastModified(): number {
    return this.lastAppendAt ?? this.fs.modifiedAt(this.logPath)
  }

  /** The segment's largest batch maxTimestamp and the first batch holding it; undefined when empty. */
  largestTimestamp(): TimeIndexEntry | undefined {
    return this.reading((fd) => this.indexes.check(fd)).largest
  }

  /** The largest maxTimestamp among the batches that end at or after `offset`, and the first holding it: a scan of the rest of the segment. */
  largestTimestampFrom(offset: number): TimeIndexEntry | undefined {
    return this.search.largestTimestampFrom(offset)
  }

  /** The first batch's maxTimestamp (what segment.ms counts from), undefined when empty or unreadable. */
  firstBatchTimestamp(): number | undefined {
    if (this.firstTimestamp === undefined && this.logSize >= BATCH_HEADER_SIZE) {
      const header = this.reading((fd) => readAt(this.fs, fd, 0, BATCH_HEADER_SIZE))
      const frame = header.length === BATCH_HEADER_SIZE ? readFrameHeader(header, 0) : 'bad-length'
      if (!isFrameDefect(frame)) this.firstTimestamp = frame.maxTimestamp
    }
    return this.firstTimestamp
  }

  /**
   * Whole batches from `first` (found by locate) on: up to `maxBytes`, but always all of `first`,
   * and never into a known damaged region. When a header among the later ones is damaged, all the
   * bytes read are returned: the caller's check (corruption-log.ts) serves the batches before the
   * damage and reports it.
   */
  readBatches(first: ScannedFrame, maxBytes: number): Buffer {
    const damaged = this.damage.nextAfter(first.position)
    const length = Math.max(first.size, Math.min(maxBytes, (damaged?.position ?? this.logSize) - first.position))
    const bytes = this.reading((fd) => readAt(this.fs, fd, first.position, length))
    if (bytes.length < length) throw new CorruptLogError(`${this.logPath} ends at ${first.position + bytes.length}, before its size ${this.logSize}`)
    const whole = wholeFramesLength(bytes, first.size)
    return typeof whole === 'string' ? bytes : bytes.subarray(0, whole)
  }

  /**
   * Checks every batch (length, magic, increasing offsets, CRC) and rebuilds the indexes, for
   * segments that may hold unflushed bytes after a crash. A defect where the log holds offsets at
   * or above `keepBelow` (the recovery point) is a torn write: the log is cut there. Below it the
   * bytes were flushed: the damage is kept as a region and the walk goes on after it, unless it is
   * a batch torn by the end of the `last` segment's file, with nothing to keep after it.
   */
  recover(keepBelow: number, last: boolean, onFrame?: WalkOptions['onFrame']): SegmentRecovery {
    const {walk, truncatedBytes} = this.writing((fd) => {
      const walk = this.indexes.walkAll(fd, true, this.damage.handling(fd, keepBelow, last), onFrame)
      const truncatedBytes = this.logSize - walk.end
      if (truncatedBytes > 0) {
        this.fs.truncate(fd, walk.end)
        this.logSize = walk.end
        this.damage.dropFrom(walk.end)
      }
      return {walk, truncatedBytes}
    })
    this.indexes.replace(walk)
    this.firstTimestamp = walk.first?.maxTimestamp
    this.logDirty = true
    return {...recoveryOf(walk), truncatedBytes, ...(walk.defect && {defect: walk.defect})}
  }

  /**
   * Loads the last segment after a clean shutdown without reading all of it: the indexes must be
   * consistent, and the batches after the last offset index entry valid (or damaged below
   * `keepBelow`, kept as regions) and exactly as the index rule expects. Anything else and the
   * segment is recovered in full.
   */
  resumeAfterCleanShutdown(keepBelow: number): SegmentRecovery {
    const tail = this.reading((fd) => this.indexes.checkForResume(fd, this.damage.handling(fd, keepBelow, true)))
    if (tail) return {...recoveryOf(tail), truncatedBytes: 0}
    this.context.logger(`${this.logPath}: indexes and log tail disagree after a clean shutdown; checking the whole segment`)
    return this.recover(keepBelow, true)
  }

  /**
   * Calls `visit` with each batch from the one holding `offset` on, with the file bytes of its
   * header and up to `extra` bytes after it (a view, valid during the call). Damaged regions are
   * stepped over, as reads do.
   */
  scanHeaders(offset: number, extra: number, visit: (frame: ScannedFrame, bytes: Buffer) => void): void {
    this.search.scanHeaders(offset, extra, visit)
  }

  /** The damaged regions found so far (damaged-region.ts). */
  damagedRegions(): readonly DamagedRegion[] {
    return this.damage.list()
  }

  /**
   * Syncs the .log and both indexes. A segment deleted meanwhile (its files renamed between two of
   * the syncs) is not synced further: what it held is gone anyway.
   */
  async flush(): Promise<void> {
    if (this.deleted) return
    if (this.logDirty) {
      this.logDirty = false
      await (this.writer ? this.writer.datasync() : datasyncPath(this.fs, this.logPath))
    }
    await this.indexes.flush(() => this.deleted)
    if (!this.deleted) await this.transactions.flush()
  }

  /** Lets go of every descriptor of the segment, its shared read descriptor too. */
  close(): void {
    this.release()
    this.context.readers.forget(this.logPath)
    this.transactions.forget()
  }

  /** Closes and removes its files. */
  delete(): void {
    this.close()
    this.deleted = true
    for (const path of this.filePaths()) if (this.fs.exists(path)) this.fs.unlink(path)
  }

  /**
   * Closes and renames its files to `<name>.deleted`, Kafka's mark of a segment on its way out,
   * which the next open removes if the process stops first; returns the new paths.
   */
  renameForDeletion(): string[] {
    this.close()
    this.deleted = true
    const renamed: string[] = []
    for (const path of this.filePaths()) {
      if (!this.fs.exists(path)) continue
      this.fs.rename(path, path + DELETED_SUFFIX)
      renamed.push(path + DELETED_SUFFIX)
    }
    return renamed
  }

  private filePaths(): string[] {
    return [this.logPath, this.indexes.offsetIndexPath, this.indexes.timeIndexPath, this.transactions.path]
  }

  private release(): void {
    this.writer?.release()
    this.writer = undefined
    this.indexes.release()
  }

  /** Undoes a failed append: the .log back to `position`, the index entries it wrote removed. */
  private rollBack(fd: number, position: number, undoIndexes: () => void, cause: unknown): never {
    try {
      this.fs.truncate(fd, position)
      undoIndexes()
    } catch (undoError) {
      throw new LogOfflineError(`append to ${this.logPath} failed and could not be undone: ${describe(undoError)}`, {cause})
    }
    throw new LogWriteError(`append to ${this.logPath} failed: ${describe(cause)}`, {cause})
  }

  /** Runs `read` with a descriptor of the .log: the held one of the active segment, else one from the shared cache. */
  private reading<T>(read: (fd: number) => T): T {
    if (this.writer) return read(this.writer.fd)
    return this.context.readers.use(this.logPath, read)
  }

  /** Runs `write` with a writable descriptor of the .log: the held one, else one opened for the call (recovery of a sealed segment). */
  private writing<T>(write: (fd: number) => T): T {
    if (this.writer) return write(this.writer.fd)
    const fd = this.fs.open(this.logPath, 'r+')
    try {
      return write(fd)
    } finally {
      this.fs.close(fd)
    }
  }
}

/** What a walk over a segment says about loading it. */
function recoveryOf(walk: Walk): Omit<SegmentRecovery, 'truncatedBytes'> {
  const last = walk.regions[walk.regions.length - 1]
  return {nextOffset: walk.nextOffset, regions: walk.regions, endsDamaged: last !== undefined && last.end === walk.end}
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
