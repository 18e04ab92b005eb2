/**
 * LogSegment: one `<base>.log` file of stored batches and its `<base>.index` (offset-index.ts).
 *
 * .log format: RecordBatch v2 frames (stored-batch.ts) back to back and nothing else: no file
 * header, no padding, no trailer. The base offset in the file name is at or below the first
 * batch's baseOffset, and batch offsets strictly increase through the file. The file ends with
 * the last whole batch, except after a crash, when recovery cuts the torn tail.
 *
 * Descriptors: only the active (last) segment of a log holds its files open, the .log and the
 * .index, for appends: an append is one positioned write at the end (a page-cache copy: an acks=1
 * answer may follow it) plus, every index.interval.bytes, one 8-byte index entry. When the log
 * rolls, the segment is sealed and lets both go. A sealed segment reads its .log through the log
 * manager's shared cache of read descriptors (read-descriptor-cache.ts), and opens a file just for
 * the call that recovers, rewrites or syncs it, so the descriptors a log holds do not grow with its
 * segments. The index of a sealed segment is loaded, and checked against the log, on first use.
 */
import {CorruptLogError, LogOfflineError, LogWriteError} from './errors.js'
import {DEFAULT_SCAN_CHUNK_BYTES, FrameScanner, type ScanDefect, type ScannedFrame} from './frame-scanner.js'
import {datasyncPath, type Fs, readAt, writeFully} from './fs.js'
import {HeldDescriptor} from './held-descriptor.js'
import {indexFilePath, logFilePath} from './log-file-names.js'
import {type Logger} from './logger.js'
import {type IndexEntry, MAX_RELATIVE_OFFSET, OffsetIndex} from './offset-index.js'
import {type ReadDescriptorCache} from './read-descriptor-cache.js'
import {type BatchFrame, wholeFramesLength} from './stored-batch.js'

export type RecoveryDefect = ScanDefect | 'offset-not-increasing'

/** What loading or recovering a segment found. */
export interface SegmentRecovery {
  /** the offset after the segment's last batch (its base offset when it is empty) */
  nextOffset: number
  /** bytes cut from the end of the .log file */
  truncatedBytes: number
  /** the first defect found, at the position the log was cut */
  defect?: {kind: RecoveryDefect; position: number}
}

/** The frames from a start position to the end of the log, and the index entries they call for. */
interface Walk {
  entries: IndexEntry[]
  first: ScannedFrame | undefined
  nextOffset: number
  /** position of the first byte that is not part of a valid frame (the file size when all are) */
  end: number
  bytesSinceLastIndexEntry: number
  defect?: {kind: RecoveryDefect; position: number}
}

/** What the segments of one partition share. */
export interface SegmentContext {
  fs: Fs
  /** the partition directory */
  dir: string
  indexIntervalBytes: number
  logger: Logger
  /** read descriptors of sealed segments, shared by every partition of a log manager */
  readers: ReadDescriptorCache
}

const LOCATE_CHUNK_BYTES = 16 * 1024

export class LogSegment {
  readonly logPath: string
  readonly indexPath: string
  private readonly fs: Fs
  private readonly logger: Logger
  private indexFile: OffsetIndex | undefined
  private bytesSinceLastIndexEntry = 0
  private logDirty = false

  private constructor(
    private readonly context: SegmentContext,
    readonly baseOffset: number,
    private logSize: number,
    /** the .log descriptor appends go through, while the segment is active */
    private writer: HeldDescriptor | undefined,
    index?: OffsetIndex,
  ) {
    this.fs = context.fs
    this.logger = context.logger
    this.logPath = logFilePath(context.dir, baseOffset)
    this.indexPath = indexFilePath(context.dir, baseOffset)
    this.indexFile = index
  }

  /**
   * A new, empty, active segment; its .log must not exist yet. When the index cannot be created the
   * new .log is removed again, so a later attempt at the same offset does not find it in its way.
   */
  static create(context: SegmentContext, baseOffset: number): LogSegment {
    const {fs, dir} = context
    const fd = fs.open(logFilePath(dir, baseOffset), 'wx+')
    try {
      const index = OffsetIndex.create(fs, indexFilePath(dir, baseOffset), baseOffset)
      return new LogSegment(context, baseOffset, 0, new HeldDescriptor(fs, fd), index)
    } catch (err) {
      fs.close(fd)
      fs.unlink(logFilePath(dir, baseOffset))
      throw err
    }
  }

  /**
   * An existing segment, sealed, holding no descriptor and trusted for nothing yet: call recover()
   * or resumeAfterCleanShutdown() before reading it, and activate() before appending.
   */
  static open(context: SegmentContext, baseOffset: number): LogSegment {
    return new LogSegment(context, baseOffset, context.fs.fileSize(logFilePath(context.dir, baseOffset)), undefined)
  }

  get size(): number {
    return this.logSize
  }

  /** Opens the .log and .index for appends: this is now the log's last segment. */
  activate(): void {
    this.writer ??= new HeldDescriptor(this.fs, this.fs.open(this.logPath, 'r+'))
    this.index().hold()
  }

  /** No more appends (the log rolled past it): lets go of both descriptors; later reads go through the shared cache. */
  seal(): void {
    this.writer?.release()
    this.writer = undefined
    this.indexFile?.release()
  }

  /** Whether a batch of `frameSize` bytes ending at `lastOffset` goes here rather than into a new segment. */
  hasRoomFor(frameSize: number, lastOffset: number, segmentBytes: number): boolean {
    if (lastOffset - this.baseOffset > MAX_RELATIVE_OFFSET) return false
    return this.logSize === 0 || this.logSize + frameSize <= segmentBytes
  }

  /**
   * Writes `batch` (whose offsets are already stamped: `frame`) at the end. On an I/O error the
   * partial write is cut off again and LogWriteError thrown; LogOfflineError if that fails too.
   */
  append(batch: Buffer, frame: BatchFrame): void {
    if (!this.writer) throw new LogOfflineError(`${this.logPath} is sealed: appends go to the last segment`)
    const fd = this.writer.fd
    const position = this.logSize
    const indexed = this.bytesSinceLastIndexEntry > this.context.indexIntervalBytes
    try {
      writeFully(this.fs, fd, batch, position)
      if (indexed) this.index().append(frame.baseOffset, position)
    } catch (err) {
      this.rollBack(fd, position, err)
    }
    this.logSize = position + batch.length
    this.bytesSinceLastIndexEntry = (indexed ? 0 : this.bytesSinceLastIndexEntry) + batch.length
    this.logDirty = true
  }

  /** The first batch whose last offset is at or after `offset`, or undefined when the segment ends before it. */
  locate(offset: number): ScannedFrame | undefined {
    return this.reading((fd) => {
      const entry = this.index().lookup(offset)
      const found = this.scanFrom(fd, entry, offset)
      if (found !== 'index-mismatch') return found
      this.logger(`${this.indexPath}: the entry for offset ${entry.offset} does not point at its batch; rebuilding the index`)
      this.rebuildIndex(fd)
      const again = this.scanFrom(fd, this.index().lookup(offset), offset)
      if (again === 'index-mismatch') throw new CorruptLogError(`${this.indexPath}: rebuilt index does not match ${this.logPath}`)
      return again
    })
  }

  /** Whole batches from `first` (found by locate) on: up to `maxBytes`, but always all of `first`. */
  readBatches(first: ScannedFrame, maxBytes: number): Buffer {
    const length = Math.max(first.size, Math.min(maxBytes, this.logSize - first.position))
    const bytes = this.reading((fd) => readAt(this.fs, fd, first.position, length))
    if (bytes.length < length) throw new CorruptLogError(`${this.logPath} ends at ${first.position + bytes.length}, before its size ${this.logSize}`)
    const whole = wholeFramesLength(bytes, first.size)
    if (typeof whole === 'string') throw new CorruptLogError(`${this.logPath}: ${whole} in the batches after byte ${first.position}`)
    return bytes.subarray(0, whole)
  }

  /**
   * Checks every batch (length, magic, increasing offsets, CRC), cuts the log at the first one that
   * fails, rebuilds the index from what remains. For segments that may hold unflushed bytes after a crash.
   */
  recover(): SegmentRecovery {
    const {walk, truncatedBytes} = this.writing((fd) => {
      const walk = this.walk(fd, {offset: this.baseOffset, position: 0}, true)
      const truncatedBytes = this.logSize - walk.end
      if (truncatedBytes > 0) {
        this.fs.truncate(fd, walk.end)
        this.logSize = walk.end
      }
      return {walk, truncatedBytes}
    })
    this.loadedIndex().replace(walk.entries)
    this.bytesSinceLastIndexEntry = walk.bytesSinceLastIndexEntry
    this.logDirty = true
    return {nextOffset: walk.nextOffset, truncatedBytes, ...(walk.defect && {defect: walk.defect})}
  }

  /**
   * Loads the last segment after a clean shutdown without reading all of it: the index must be
   * consistent, and the batches after its last entry valid and exactly as the index rule expects.
   * Anything else and the segment is recovered in full.
   */
  resumeAfterCleanShutdown(): SegmentRecovery {
    const walk = this.reading((fd) => this.walkIfIndexMatchesTail(fd, this.loadedIndex(), true))
    if (walk) {
      this.bytesSinceLastIndexEntry = walk.bytesSinceLastIndexEntry
      return {nextOffset: walk.nextOffset, truncatedBytes: 0}
    }
    this.logger(`${this.logPath}: index and log tail disagree after a clean shutdown; checking the whole segment`)
    return this.recover()
  }

  async flush(): Promise<void> {
    if (this.logDirty) {
      this.logDirty = false
      await (this.writer ? this.writer.datasync() : datasyncPath(this.fs, this.logPath))
    }
    await this.indexFile?.flush()
  }

  /** Lets go of every descriptor of the segment, its shared read descriptor too. */
  close(): void {
    this.seal()
    this.context.readers.forget(this.logPath)
  }

  /** Closes and removes both files. */
  delete(): void {
    this.close()
    this.fs.unlink(this.logPath)
    if (this.fs.exists(this.indexPath)) this.fs.unlink(this.indexPath)
  }

  private rollBack(fd: number, position: number, cause: unknown): never {
    try {
      this.fs.truncate(fd, position)
    } catch (truncateError) {
      throw new LogOfflineError(`append to ${this.logPath} failed and could not be undone: ${describe(truncateError)}`, {cause})
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

  /** The index, loaded on first use and rebuilt when it cannot describe the log. */
  private index(): OffsetIndex {
    if (this.indexFile) return this.indexFile
    const index = this.loadedIndex()
    this.reading((fd) => {
      if (this.walkIfIndexMatchesTail(fd, index, false)) return
      this.logger(`${this.indexPath}: does not match ${this.logPath}; rebuilding it`)
      this.rebuildIndex(fd)
    })
    return index
  }

  /** The index as the file holds it, not yet checked against the log. */
  private loadedIndex(): OffsetIndex {
    this.indexFile ??= OffsetIndex.load(this.fs, this.indexPath, this.baseOffset)
    return this.indexFile
  }

  /**
   * The walk from the last index entry to the end when the index is consistent, that entry points
   * at its batch and no entry is missing after it (a truncated or emptied index); else undefined.
   * Reads about index.interval.bytes.
   */
  private walkIfIndexMatchesTail(fd: number, index: OffsetIndex, verifyCrc: boolean): Walk | undefined {
    if (!index.isConsistentWith(this.logSize)) return undefined
    const start = index.lastEntry() ?? {offset: this.baseOffset, position: 0}
    const walk = this.walk(fd, start, verifyCrc)
    const pointsAtItsBatch = start.position === 0 || walk.first?.baseOffset === start.offset
    return !walk.defect && walk.entries.length === 0 && pointsAtItsBatch ? walk : undefined
  }

  private rebuildIndex(fd: number): void {
    const walk = this.walk(fd, {offset: this.baseOffset, position: 0}, false)
    if (walk.defect) throw new CorruptLogError(`${this.logPath}: ${walk.defect.kind} at byte ${walk.defect.position}`)
    this.loadedIndex().replace(walk.entries)
    this.bytesSinceLastIndexEntry = walk.bytesSinceLastIndexEntry
  }

  /** Scans from an index entry to the first batch with lastOffset >= offset; 'index-mismatch' if the entry is wrong. */
  private scanFrom(fd: number, entry: IndexEntry, offset: number): ScannedFrame | undefined | 'index-mismatch' {
    const scanner = new FrameScanner(this.fs, fd, entry.position, this.logSize, {verifyCrc: false, chunkBytes: LOCATE_CHUNK_BYTES})
    const fromIndexEntry = entry.position > 0
    for (let first = true; ; first = false) {
      const step = scanner.next()
      if ('done' in step) return undefined
      if ('defect' in step) {
        if (first && fromIndexEntry) return 'index-mismatch'
        throw new CorruptLogError(`${this.logPath}: ${step.defect} at byte ${step.position}`)
      }
      if (first && fromIndexEntry && step.frame.baseOffset !== entry.offset) return 'index-mismatch'
      if (step.frame.lastOffset >= offset) return step.frame
    }
  }

  /** Walks the frames from `start` to the end of the log applying the index rule; stops at the first defect. */
  private walk(fd: number, start: IndexEntry, verifyCrc: boolean): Walk {
    const scanner = new FrameScanner(this.fs, fd, start.position, this.logSize, {verifyCrc, chunkBytes: DEFAULT_SCAN_CHUNK_BYTES})
    const walk: Walk = {entries: [], first: undefined, nextOffset: start.offset, end: start.position, bytesSinceLastIndexEntry: 0}
    for (;;) {
      const step = scanner.next()
      if ('done' in step) return walk
      if ('defect' in step) return {...walk, defect: {kind: step.defect, position: step.position}}
      const frame = step.frame
      if (frame.baseOffset < walk.nextOffset) return {...walk, defect: {kind: 'offset-not-increasing', position: frame.position}}
      if (walk.bytesSinceLastIndexEntry > this.context.indexIntervalBytes) {
        walk.entries.push({offset: frame.baseOffset, position: frame.position})
        walk.bytesSinceLastIndexEntry = 0
      }
      walk.bytesSinceLastIndexEntry += frame.size
      walk.nextOffset = frame.lastOffset + 1
      walk.end = frame.position + frame.size
      walk.first ??= frame
    }
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
