/**
 * SegmentRemoval: deletes whole segments from the start of a log (retention, DeleteRecords), in a
 * way a crash cannot turn into a hole in the offsets.
 *
 * As in Kafka, a segment's files are first renamed to `<name>.deleted` (log-file-names.ts), then
 * removed file.delete.delay.ms later; the next open removes `.deleted` files a stop left behind
 * (log-loader.ts). Segments are renamed oldest first, one at a time, with a sync of the directory
 * after each, and removals of one log run one after another: whatever a crash keeps of the
 * renames is a prefix of the log, so the segments that remain are always contiguous.
 */
import {dirname} from 'node:path'
import {timerDelayMs} from './config-values.js'
import {type Fs} from './fs.js'
import {type LogSegment} from './log-segment.js'
import {type Logger} from './logger.js'

export class SegmentRemoval {
  private chain: Promise<void> = Promise.resolve()
  private readonly pending = new Map<NodeJS.Timeout, string[]>()

  constructor(
    private readonly fs: Fs,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /**
   * Renames the files of `segments` (oldest first; the caller has already dropped them from its log)
   * to `.deleted`, and removes them `delayMs` later. Resolves once the renames are durable.
   */
  remove(segments: readonly LogSegment[], delayMs: number): Promise<void> {
    const run = this.chain.then(async () => {
      for (const segment of segments) {
        const renamed = segment.renameForDeletion()
        await this.fs.syncDir(this.dir)
        this.scheduleUnlink(renamed, delayMs)
      }
    })
    this.chain = run.catch(() => undefined)
    return run
  }

  /** Removes files already renamed `.deleted` (a cleaned segment swapped in, cleaner-swap.ts) `delayMs` later. */
  removeRenamed(paths: string[], delayMs: number): void {
    this.scheduleUnlink(paths, delayMs)
  }

  /** Waits for renames under way and removes every file still waiting for its delay. */
  async finish(): Promise<void> {
    await this.chain
    for (const [timer, paths] of this.pending) {
      clearTimeout(timer)
      this.unlink(paths)
    }
    this.pending.clear()
  }

  private scheduleUnlink(paths: string[], delayMs: number): void {
    const timer = setTimeout(
      () => {
        this.pending.delete(timer)
        this.unlink(paths)
      },
      timerDelayMs(delayMs),
    )
    timer.unref()
    this.pending.set(timer, paths)
  }

  private unlink(paths: string[]): void {
    for (const path of paths) {
      try {
        this.fs.unlink(path)
      } catch (err) {
        this.logger(`${path}: could not be removed (${(err as Error).message}); the next open of ${dirname(path)} removes it`)
      }
    }
  }
}
