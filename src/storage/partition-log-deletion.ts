/**
 * The deletion steps of a partition log: the log start offset they move, and the changes of the
 * segments (retention, DeleteRecords, a cleaner swap) that run one at a time.
 *
 * Separate from partition-log.ts, which appends, rolls and reads: deletion only ever removes whole
 * segments from the start of the log, never the active one, through segment-removal.ts (files
 * renamed `.deleted` first, then removed), and moves the log start offset, which the owner's
 * `logStartOffsetMoved` makes durable (log-start-offset-checkpoint.ts). No bytes are written here.
 */
import {type Fs} from './fs.js'
import {type LogSegment} from './log-segment.js'
import {type Logger} from './logger.js'
import {SegmentRemoval} from './segment-removal.js'

/** What deletion works on: the log's live segments and the means to make a moved start durable. */
export interface DeletableLog {
  fs: Fs
  dir: string
  /** `<topic>-<partition>`, for the log lines */
  name: string
  logger: Logger
  segments: LogSegment[]
  /** file.delete.delay.ms as the log's config says now */
  fileDeleteDelayMs: () => number
  logStartOffsetMoved?: () => Promise<void>
}

export class LogDeletion {
  private readonly removal: SegmentRemoval
  private startOffset: number
  /** the last change of the segments (retention, DeleteRecords, a cleaner swap): the next one waits for it */
  private segmentChange: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly log: DeletableLog,
    logStartOffset: number,
  ) {
    this.startOffset = logStartOffset
    this.removal = new SegmentRemoval(log.fs, log.dir, log.logger)
  }

  get logStartOffset(): number {
    return this.startOffset
  }

  /**
   * Raises the log start offset to `target` when above it and makes it durable; when that fails, puts
   * it back (unless it moved on meanwhile) and throws.
   */
  async raiseLogStartOffset(target: number): Promise<void> {
    if (target <= this.startOffset) return
    const previous = this.startOffset
    this.startOffset = target
    try {
      await this.log.logStartOffsetMoved?.()
    } catch (err) {
      // Not durable: a restart would bring the records back, so readers must keep seeing them.
      if (this.startOffset === target) this.startOffset = previous
      throw err
    }
  }

  /** Runs `change` of the segments after the one under way, so that no two interleave. */
  changeSegments<T>(change: () => Promise<T>): Promise<T> {
    const run = this.segmentChange.then(change)
    this.segmentChange = run.catch(() => undefined)
    return run
  }

  /** Deletes the `count()` oldest segments (never the active one), counted once no other change is under way, and moves the log start offset past them. */
  removeOldest(count: () => number): Promise<void> {
    const {segments, logger, name} = this.log
    return this.changeSegments(async () => {
      const victims = segments.splice(0, Math.min(count(), segments.length - 1))
      if (victims.length === 0) return
      const firstKept = (segments[0] as LogSegment).baseOffset
      const moved = firstKept > this.startOffset
      if (moved) this.startOffset = firstKept
      logger(`${name}: deleting ${victims.length} segment(s) from offset ${(victims[0] as LogSegment).baseOffset}; log start offset ${this.startOffset}`)
      await this.removal.remove(victims, this.log.fileDeleteDelayMs())
      if (moved) await this.log.logStartOffsetMoved?.()
    })
  }

  /** Removes files a cleaner swap renamed `.deleted`, file.delete.delay.ms later. */
  removeRenamed(paths: string[]): void {
    this.removal.removeRenamed(paths, this.log.fileDeleteDelayMs())
  }

  /** Waits for the change of the segments under way and the removals it started. */
  async finish(): Promise<void> {
    await this.segmentChange
    await this.removal.finish()
  }
}
