/**
 * AppendListeners: who waits for a partition log to grow (the broker's long-polling fetches and
 * acks=all produces), called after every append and once when the log closes.
 *
 * Separate from partition-log.ts because it is plain bookkeeping with no part in the log's bytes or
 * offsets: a listener that throws is logged and the others are still called. Nothing is stored.
 */
import {type Logger} from './logger.js'

export class AppendListeners {
  private readonly listeners = new Set<() => void>()

  constructor(
    /** `<topic>-<partition>`, for the log line */
    private readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** Calls `listener` after every append (and once when the log closes); returns the unsubscribe function. */
  add(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener()
      } catch (err) {
        this.logger(`${this.name}: an append listener threw: ${(err as Error).message}`)
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }
}
