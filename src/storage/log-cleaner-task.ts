/**
 * LogCleanerTask: the log manager's background compaction, Kafka's log cleaner thread with
 * log.cleaner.backoff.ms between passes: every interval, one pass over the logs whose cleanup.policy
 * includes compact, cleaning each that is due (log-cleaner.ts), one log at a time, on an unref'd
 * timer that never keeps a process alive. A log whose cleaning fails is logged and skipped; the next
 * pass tries it again. After a pass that cleaned something, the cleaner-offset checkpoint is written.
 *
 * Each log's cleaning state (first dirty offset, earliest delete horizon) is kept by log object, so a
 * topic deleted and created again under its name starts dirty from its start.
 */
import {timerDelayMs} from './config-values.js'
import {type CleanerState, type CleaningReport, type LogCleaner} from './log-cleaner.js'
import {type Logger} from './logger.js'
import {type PartitionLog} from './partition-log.js'
import {type CheckpointEntry} from './recovery-point-checkpoint.js'

/** Kafka's log.cleaner.backoff.ms */
export const DEFAULT_CLEANER_INTERVAL_MS = 15_000

export class LogCleanerTask {
  private readonly states = new WeakMap<PartitionLog, CleanerState>()
  private timer: NodeJS.Timeout | undefined
  private pass: Promise<CleaningReport[]> | undefined
  private stopped = false

  constructor(
    private readonly cleaner: LogCleaner,
    private readonly logs: () => PartitionLog[],
    private readonly cleaned: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Sets a log's first dirty offset from the checkpoint, at open. */
  adopt(log: PartitionLog, firstDirtyOffset: number | undefined): void {
    this.states.set(log, firstDirtyOffset === undefined ? {} : {firstDirtyOffset})
  }

  /** The first dirty offsets of the compacted logs, for the checkpoint. */
  firstDirtyOffsets(): CheckpointEntry[] {
    return this.logs().flatMap((log) => {
      const offset = this.states.get(log)?.firstDirtyOffset
      return log.compacted && offset !== undefined ? [{topic: log.topic, partition: log.partition, offset}] : []
    })
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (!this.pass) void this.run(Date.now())
    }, timerDelayMs(intervalMs))
    this.timer.unref()
  }

  /** One pass over every compacted log, after the pass under way; `now` is the time lags and horizons count from. */
  async run(now: number): Promise<CleaningReport[]> {
    while (this.pass) await this.pass.catch(() => undefined)
    if (this.stopped) return []
    this.pass = this.cleanAll(now)
    try {
      return await this.pass
    } finally {
      this.pass = undefined
    }
  }

  /** No more passes; waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true
    this.cleaner.halt()
    clearInterval(this.timer)
    await this.pass?.catch(() => undefined)
  }

  private async cleanAll(now: number): Promise<CleaningReport[]> {
    const reports: CleaningReport[] = []
    for (const log of this.logs()) {
      if (this.stopped || !log.compacted) continue
      let state = this.states.get(log)
      if (!state) this.states.set(log, (state = {}))
      try {
        const report = await this.cleaner.cleanLog(log.cleanable(), state, now)
        if (report) reports.push(report)
      } catch (err) {
        this.logger(`${log.topic}-${log.partition}: cleaning failed: ${(err as Error).message}`)
      }
    }
    if (reports.length > 0) await this.cleaned().catch((err: Error) => this.logger(`cleaner-offset-checkpoint not written: ${err.message}`))
    return reports
  }
}
