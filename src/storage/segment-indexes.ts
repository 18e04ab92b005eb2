/**
 * SegmentIndexes: a segment's offset index and time index, kept together because they are
 * written by one rule (index-rule.ts), checked against the log together and rebuilt together.
 *
 * Trust: the indexes of a new segment are the ones its appends write. Those of an existing segment
 * are checked on first use, reading about index.interval.bytes of the log: both files whole and
 * strictly increasing, the offset index pointing inside the log, the batches after its last entry
 * valid and calling for no entry it lacks, and the time index's last entry naming its batch.
 * A sealed segment's time index must also end with its largest timestamp (the closing entry added
 * when it was sealed); the tail after the last offset index entry shows whether some batch there
 * holds a larger one. Any disagreement and both are rebuilt from the log, never trusted. Damaged
 * regions (damaged-region.ts) met by these walks are kept, reported and stepped over.
 *
 * The rule's state travels with the indexes: `rule.largest` is the segment's largest timestamp so
 * far and the first batch holding it, exact once the indexes are checked or rebuilt.
 */
import {type CorruptionLog} from './corruption-log.js'
import {type DamagedRegion, type DamageHandling} from './damaged-region.js'
import {FrameScanner} from './frame-scanner.js'
import {type Fs} from './fs.js'
import {EMPTY_INDEX_RULE_STATE, type IndexRuleState, type IndexRuleStep, laterLargest} from './index-rule.js'
import {indexFilePath, timeIndexFilePath} from './log-file-names.js'
import {type Logger} from './logger.js'
import {OffsetIndex} from './offset-index.js'
import {type ReadDescriptorCache} from './read-descriptor-cache.js'
import {type RecoveryDefect, sealedTimeEntries, type Walk, type WalkOptions, walkSegment} from './segment-walk.js'
import {TimeIndex, type TimeIndexEntry} from './time-index.js'

/** What the segments of one partition share. */
export interface SegmentContext {
  fs: Fs
  /** the partition directory */
  dir: string
  /** the topic's index.interval.bytes; altering the topic changes it for every segment */
  indexIntervalBytes: number
  logger: Logger
  /** read descriptors of sealed segments, shared by every partition of a log manager */
  readers: ReadDescriptorCache
  /** the partition's list of defects, where segments report the damage they find */
  corruption: CorruptionLog
}

/** What loading or recovering a segment found. */
export interface SegmentRecovery {
  /** the offset after the segment's last batch (its base offset when it is empty) */
  nextOffset: number
  /** bytes cut from the end of the .log file */
  truncatedBytes: number
  /** the first defect not kept, at the position the log was cut */
  defect?: {kind: RecoveryDefect; position: number}
  /** damaged regions kept (damaged-region.ts) */
  regions: DamagedRegion[]
  /** the segment ends with a kept damaged region: its offsets run to where the next batch would start */
  endsDamaged: boolean
}

const CHECK_CHUNK_BYTES = 16 * 1024

export class SegmentIndexes {
  readonly offsetIndexPath: string
  readonly timeIndexPath: string
  rule: IndexRuleState = EMPTY_INDEX_RULE_STATE
  private offsetIndex: OffsetIndex | undefined
  private timeIndex: TimeIndex | undefined
  private checked: boolean

  constructor(
    private readonly context: SegmentContext,
    private readonly baseOffset: number,
    private readonly logPath: string,
    private readonly logSize: () => number,
    /** a new segment: create both files, empty and held open */
    create: boolean,
    /** how walks outside recovery treat damage: every defect becomes a kept region */
    private readonly damage: (fd: number) => DamageHandling,
  ) {
    this.offsetIndexPath = indexFilePath(context.dir, baseOffset)
    this.timeIndexPath = timeIndexFilePath(context.dir, baseOffset)
    this.checked = create
    if (!create) return
    this.offsetIndex = OffsetIndex.create(context.fs, this.offsetIndexPath, baseOffset)
    try {
      this.timeIndex = TimeIndex.create(context.fs, this.timeIndexPath, baseOffset)
    } catch (err) {
      this.offsetIndex.release()
      throw err
    }
  }

  /** The offset index; only after check(). */
  offsets(): OffsetIndex {
    return this.offsetIndex as OffsetIndex
  }

  /** The time index; only after check(). */
  times(): TimeIndex {
    return this.timeIndex as TimeIndex
  }

  /** Loads and checks both indexes on first use, as a sealed segment's, rebuilding them when they disagree with the log. */
  check(fd: number): IndexRuleState {
    if (!this.checked && !this.matchingTail(fd, {verifyCrc: false, sealed: true, damage: this.damage(fd)})) {
      this.context.logger(`${this.offsetIndexPath}, ${this.timeIndexPath}: do not match ${this.logPath}; rebuilding them`)
      this.rebuild(fd)
    }
    this.checked = true
    return this.rule
  }

  /**
   * The CRC-checked walk of the tail when both indexes match the log of the last segment after a
   * clean shutdown, with `damage` deciding what a defect there is; else undefined.
   */
  checkForResume(fd: number, damage: DamageHandling): Walk | undefined {
    const tail = this.matchingTail(fd, {verifyCrc: true, sealed: false, damage})
    if (tail) this.checked = true
    return tail
  }

  /** Opens both files for appends: the segment is now the log's active one. */
  hold(fd: number): void {
    this.check(fd)
    this.offsets().hold()
    this.times().hold()
  }

  release(): void {
    this.offsetIndex?.release()
    this.timeIndex?.release()
  }

  /**
   * The time index's closing entry, the segment's largest timestamp, added when it is sealed. A
   * failure leaves the file without it, which the next check of the segment notices and repairs.
   */
  addClosingEntry(): void {
    if (!this.rule.largest) return
    try {
      this.timeIndex?.maybeAppend(this.rule.largest)
    } catch (err) {
      this.context.logger(`${this.timeIndexPath}: closing entry not written (${(err as Error).message}); it is rebuilt on next use after a restart`)
    }
  }

  /** A function that removes what appends write after this call: an append whose log write failed. */
  undoPoint(): () => void {
    const offsets = this.offsets().entryCount
    const times = this.times().entryCount
    return () => {
      this.offsets().truncateTo(offsets)
      this.times().truncateTo(times)
    }
  }

  /** Writes the entries one append of the rule calls for. */
  append(step: IndexRuleStep): void {
    if (step.offsetEntry) this.offsets().append(step.offsetEntry.offset, step.offsetEntry.position)
    if (step.timeEntry) this.times().maybeAppend(step.timeEntry)
  }

  /** Walks the whole .log from its start (CRC checked for recovery), stepping over damage as `damage` says. */
  walkAll(fd: number, verifyCrc: boolean, damage: DamageHandling, onFrame?: WalkOptions['onFrame']): Walk {
    const {fs, indexIntervalBytes} = this.context
    return walkSegment({fs, fd, start: {offset: this.baseOffset, position: 0}, end: this.logSize(), verifyCrc, indexIntervalBytes, damage, ...(onFrame && {onFrame})})
  }

  /** Replaces both indexes by those of a whole-segment walk. */
  replace(walk: Walk): void {
    this.offsetIndex ??= OffsetIndex.load(this.context.fs, this.offsetIndexPath, this.baseOffset)
    this.timeIndex ??= TimeIndex.load(this.context.fs, this.timeIndexPath, this.baseOffset)
    this.offsetIndex.replace(walk.entries)
    this.timeIndex.replace(sealedTimeEntries(walk))
    this.rule = walk.rule
    this.checked = true
  }

  /** Rebuilds both indexes from the log, stepping over damaged regions (found, kept and reported on the way). */
  rebuild(fd: number): void {
    this.replace(this.walkAll(fd, false, this.damage(fd)))
  }

  /** Syncs both files; stops once `deleted` says the segment's files were renamed away (a sealed index opens its file by name). */
  async flush(deleted: () => boolean): Promise<void> {
    if (deleted()) return
    await this.offsetIndex?.flush()
    if (deleted()) return
    await this.timeIndex?.flush()
  }

  /**
   * The walk from the last offset index entry to the end when both indexes agree with the log
   * (the header comment's checks); sets the rule's state from it. Undefined otherwise.
   */
  private matchingTail(fd: number, options: {verifyCrc: boolean; sealed: boolean; damage: DamageHandling}): Walk | undefined {
    const {fs, indexIntervalBytes} = this.context
    const offsets = (this.offsetIndex ??= OffsetIndex.load(fs, this.offsetIndexPath, this.baseOffset))
    const times = (this.timeIndex ??= TimeIndex.load(fs, this.timeIndexPath, this.baseOffset))
    if (!offsets.isConsistentWith(this.logSize())) return undefined
    const start = offsets.lastEntry() ?? {offset: this.baseOffset, position: 0}
    const tail = walkSegment({fs, fd, start, end: this.logSize(), verifyCrc: options.verifyCrc, indexIntervalBytes, damage: options.damage})
    const pointsAtItsBatch = start.position === 0 || tail.first?.baseOffset === start.offset
    if (tail.defect || tail.entries.length > 0 || !pointsAtItsBatch) return undefined
    const largest = this.largestIfTimeIndexMatches(fd, times, tail, options.sealed)
    if (largest === false) return undefined
    this.rule = {bytesSinceLastEntry: tail.rule.bytesSinceLastEntry, largest}
    return tail
  }

  /** The segment's largest timestamp when the time index agrees with the log and its tail; false when it does not. */
  private largestIfTimeIndexMatches(fd: number, times: TimeIndex, tail: Walk, sealed: boolean): TimeIndexEntry | undefined | false {
    if (!times.isConsistentWith(tail.nextOffset)) return false
    const last = times.lastEntry()
    const tailLargest = tail.rule.largest
    if (sealed && tailLargest && (!last || tailLargest.timestamp > last.timestamp)) return false
    if (last && !this.namesItsBatch(fd, last)) return false
    return laterLargest(last, tailLargest)
  }

  /** Whether the batch at `entry.offset` starts there and has maxTimestamp `entry.timestamp`. */
  private namesItsBatch(fd: number, entry: TimeIndexEntry): boolean {
    const start = this.offsets().lookup(entry.offset)
    const scanner = new FrameScanner(this.context.fs, fd, start.position, this.logSize(), {verifyCrc: false, chunkBytes: CHECK_CHUNK_BYTES})
    for (let first = true; ; first = false) {
      const step = scanner.next()
      if (!('frame' in step)) return false
      if (first && start.position > 0 && step.frame.baseOffset !== start.offset) return false
      if (step.frame.lastOffset >= entry.offset) return step.frame.baseOffset === entry.offset && step.frame.maxTimestamp === entry.timestamp
    }
  }
}
