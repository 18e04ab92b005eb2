/**
 * CheckpointWriter: keeps an offset checkpoint file of a log manager up to date: the
 * recovery-point checkpoint (recovery-point-checkpoint.ts), or the log-start-offset checkpoint
 * (log-start-offset-checkpoint.ts), which is only ever written on request, when an offset moved.
 *
 * The log manager writes it when it flushes everything, deletes a topic or closes. Between those,
 * a timer writes it every interval (Kafka's log.flush.offset.checkpoint.interval.ms, 60 s), but only
 * when some recovery point moved since the last write: otherwise, after a kill -9, every log would
 * be scanned from the recovery points of the last clean start, however much was flushed since.
 *
 * Writes replace one file, so they run one at a time, each with the recovery points of its moment.
 * The timer is unref'd: it never keeps a process alive on its own.
 */
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'
import {join} from 'node:path'
import {writeFileAtomic} from './atomic-file.js'
import {type CheckpointEntry, formatCheckpoint, RECOVERY_POINT_CHECKPOINT_FILE} from './recovery-point-checkpoint.js'

/** Kafka's log.flush.offset.checkpoint.interval.ms */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000

export class CheckpointWriter {
  private chain: Promise<void> = Promise.resolve()
  /** the text last written, or known to be on disk: the next timed write waits until it changes */
  private written: string | undefined
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly fs: Fs,
    private readonly dataDir: string,
    /** every partition's offset, now */
    private readonly offsets: () => CheckpointEntry[],
    private readonly logger: Logger,
    private readonly file: string = RECOVERY_POINT_CHECKPOINT_FILE,
  ) {}

  /** Starts the timed writes; the recovery points as they are now count as written. */
  start(intervalMs: number): void {
    this.written = formatCheckpoint(this.offsets())
    this.timer = setInterval(() => void this.writeIfMoved(), intervalMs)
    this.timer.unref()
  }

  /** Writes the checkpoint now, after any write under way. */
  write(): Promise<void> {
    const run = this.chain.then(async () => {
      const text = formatCheckpoint(this.offsets())
      await writeFileAtomic(this.fs, join(this.dataDir, this.file), Buffer.from(text))
      this.written = text
    })
    this.chain = run.catch(() => undefined)
    return run
  }

  /** Stops the timed writes and waits for a write under way. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.chain
  }

  private async writeIfMoved(): Promise<void> {
    if (formatCheckpoint(this.offsets()) === this.written) return
    try {
      await this.write()
    } catch (err) {
      this.logger(`${this.dataDir}/${this.file}: could not be written (${(err as Error).message}); trying again in the next interval`)
    }
  }
}
