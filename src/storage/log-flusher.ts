/**
 * LogFlusher: the durability of one partition log: which segments hold bytes not yet synced, the
 * recovery point (every batch below it is on disk), and when to sync.
 *
 * flush() fdatasyncs what was appended before it was called, then advances the recovery point.
 * Flushes run one after another on one chain, each syncing what the appends left unsynced when it
 * starts: flushes queued behind a running one share the next sync (group commit for acks=all), and
 * one that finds nothing new costs nothing. Background flushes (after a roll, and the topic's
 * flush.messages and flush.ms) start at most one at a time: while one waits in the chain, later
 * triggers need none of their own.
 *
 * flush.messages: once that many offsets are above the recovery point (Kafka counts the same way).
 * flush.ms: once the last flush is that old, checked by a timer armed by the first unflushed append.
 * Both default to "never" (LONG_MAX): durability is then acks=all's flush and the roll flush.
 *
 * A failed sync takes the partition offline: after one, the kernel may have dropped the dirty
 * pages, so the only honest answer to later writes is an error until a restart recovers the log.
 */
import {timerDelayMs} from './config-values.js'
import {LogOfflineError, type StorageError} from './errors.js'
import {type Fs} from './fs.js'
import {type LogConfig} from './log-config.js'
import {type LogSegment} from './log-segment.js'
import {type Logger} from './logger.js'

export interface LogFlusherOptions {
  fs: Fs
  dir: string
  /** `<topic>-<partition>`, for messages */
  name: string
  logger: Logger
  recoveryPoint: number
  unflushed: LogSegment[]
  directoryUnsynced: boolean
  logEndOffset: () => number
  /** why the log refuses writes, if it does */
  offline: () => StorageError | undefined
  /** called with the failure of a sync: the log goes offline */
  failed: (err: LogOfflineError) => void
}

export class LogFlusher {
  private readonly unflushed: Set<LogSegment>
  private directoryUnsynced: boolean
  private flushedOffset: number
  private lastFlushAt = Date.now()
  private chain: Promise<void> = Promise.resolve()
  private backgroundQueued = false
  private timer: NodeJS.Timeout | undefined
  private stopped = false

  constructor(private readonly options: LogFlusherOptions) {
    this.unflushed = new Set(options.unflushed)
    this.directoryUnsynced = options.directoryUnsynced
    this.flushedOffset = Math.min(options.recoveryPoint, options.logEndOffset())
  }

  get recoveryPoint(): number {
    return this.flushedOffset
  }

  /** The segment holds bytes written since its last sync. */
  markUnflushed(segment: LogSegment): void {
    this.unflushed.add(segment)
  }

  /** Segment files were created, renamed or removed: the directory needs a sync. */
  markDirectoryChanged(): void {
    this.directoryUnsynced = true
  }

  /** Makes everything appended before the call durable, then advances the recovery point. */
  flush(): Promise<void> {
    const target = this.options.logEndOffset()
    return this.queue(() => target)
  }

  /** Starts a flush of what is appended up to when it starts, unless one is already waiting; failures are logged. */
  flushInBackground(why: string): void {
    if (this.backgroundQueued || this.stopped) return
    this.backgroundQueued = true
    this.queue(() => {
      this.backgroundQueued = false
      return this.options.logEndOffset()
    }).catch((err: unknown) => {
      if (!this.stopped) this.options.logger(`${this.options.name}: sync ${why} failed: ${(err as Error).message}`)
    })
  }

  /** After an append: flushes as flush.messages and flush.ms ask. */
  applyPolicy(config: LogConfig): void {
    if (this.options.logEndOffset() - this.flushedOffset >= config.flushMessages) this.flushInBackground('after flush.messages')
    else this.armTimer(config)
  }

  /** The topic's flush.ms changed: the timer starts over under the new value. */
  reconfigure(config: LogConfig): void {
    clearTimeout(this.timer)
    this.timer = undefined
    if (this.options.logEndOffset() > this.flushedOffset) this.applyPolicy(config)
  }

  /** No more background flushes; waits for the flushes under way. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    this.timer = undefined
    await this.chain
  }

  private armTimer(config: LogConfig): void {
    if (this.timer || this.stopped || config.flushMs >= Number.MAX_SAFE_INTEGER) return
    const due = this.lastFlushAt + config.flushMs - Date.now()
    if (due <= 0) {
      this.flushInBackground('after flush.ms')
      return
    }
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.armTimer(config)
    }, timerDelayMs(due)) // a longer flush.ms is waited out in steps: the timer re-arms
    this.timer.unref()
  }

  /** Runs a flush after those already queued, up to the offset `target` gives when it starts. */
  private queue(target: () => number): Promise<void> {
    const run = this.chain.then(() => this.syncUnflushed(target()))
    this.chain = run.catch(() => undefined)
    return run
  }

  private async syncUnflushed(target: number): Promise<void> {
    const offline = this.options.offline()
    if (offline) throw offline
    const segments = [...this.unflushed]
    this.unflushed.clear()
    const directory = this.directoryUnsynced
    this.directoryUnsynced = false
    this.lastFlushAt = Date.now()
    try {
      for (const segment of segments) await segment.flush()
      if (directory) await this.options.fs.syncDir(this.options.dir)
    } catch (err) {
      const failure = new LogOfflineError(`fsync of ${this.options.name} failed: ${(err as Error).message}`, {cause: err})
      this.options.failed(failure)
      throw failure
    }
    this.flushedOffset = Math.max(this.flushedOffset, target)
  }
}
