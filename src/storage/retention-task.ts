/**
 * RetentionTask: the log manager's background retention (retention.ts), Kafka's
 * log.retention.check.interval.ms: a pass over every log each interval, one pass at a time, on an
 * unref'd timer that never keeps a process alive. A log whose pass fails is logged and skipped;
 * the next pass tries it again.
 */
import {timerDelayMs} from './config-values.js'
import {type Logger} from './logger.js'
import {type PartitionLog} from './partition-log.js'

/** Kafka's log.retention.check.interval.ms */
export const DEFAULT_RETENTION_CHECK_INTERVAL_MS = 300_000

export class RetentionTask {
  private timer: NodeJS.Timeout | undefined
  private pass: Promise<void> | undefined
  private stopped = false

  constructor(
    private readonly logs: () => PartitionLog[],
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (!this.pass) void this.run(Date.now())
    }, timerDelayMs(intervalMs))
    this.timer.unref()
  }

  /** One pass over every log, after the pass under way; `now` is the time retention counts from. */
  async run(now: number): Promise<void> {
    while (this.pass) await this.pass
    if (this.stopped) return
    this.pass = this.retainAll(now)
    try {
      await this.pass
    } finally {
      this.pass = undefined
    }
  }

  /** No more passes; waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.pass
  }

  private async retainAll(now: number): Promise<void> {
    for (const log of this.logs()) {
      try {
        await log.enforceRetention(now)
      } catch (err) {
        this.logger(`${log.topic}-${log.partition}: retention failed: ${(err as Error).message}`)
      }
    }
  }
}
