// Waiting between retries: exponential backoff, a sleep that a close() can cut short so that no
// timer outlives the client, and a timer that wakes a loop when its earliest retry is due.
import {ClosedError} from './errors.js'

/** Delay before retry number `attempt` (0-based): base, 2 x base, 4 x base … capped at maxMs. */
export function backoffMs(attempt: number, baseMs = 50, maxMs = 1000): number {
  return Math.min(maxMs, baseMs * 2 ** attempt)
}

/** Resolves after `ms`, or rejects with a ClosedError as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal, what = 'the client'): Promise<void> {
  if (signal.aborted) return Promise.reject(new ClosedError(what))
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(new ClosedError(what))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, {once: true})
  })
}

/**
 * One timer for the earliest of many due times: arming it for a time earlier than the one pending
 * replaces that one, a later or equal time is already covered (the woken loop re-arms for the rest).
 */
export class DueTimer {
  private timer: NodeJS.Timeout | null = null
  private dueAt = Infinity

  constructor(private readonly fire: () => void) {}

  arm(dueAt: number, now: number): void {
    if (dueAt === Infinity || dueAt >= this.dueAt) return
    this.cancel()
    this.dueAt = dueAt
    this.timer = setTimeout(() => {
      this.timer = null
      this.dueAt = Infinity
      this.fire()
    }, dueAt - now)
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.dueAt = Infinity
  }
}
