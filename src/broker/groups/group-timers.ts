/**
 * The clock and timers of the group coordinator: session expiry, the join and sync phases'
 * rebalance timeouts, the initial rebalance delay. Injected so tests move time themselves instead
 * of waiting; the daemon uses the system's, unref'd so a pending expiry never keeps Node alive.
 */

/** A scheduled call; cancel() is safe after it ran or was cancelled. */
export interface GroupTimer {
  cancel(): void
}

export interface GroupScheduler {
  /** Milliseconds since the epoch. */
  now(): number
  /** Runs `fn` once, `delayMs` from now. */
  schedule(delayMs: number, fn: () => void): GroupTimer
}

/** setTimeout refuses delays above 2^31 - 1 ms (it fires at once instead). */
const MAX_TIMER_DELAY_MS = 2_147_483_647

export function systemScheduler(now: () => number = Date.now): GroupScheduler {
  return {
    now,
    schedule(delayMs, fn) {
      const handle = setTimeout(fn, Math.min(Math.max(delayMs, 0), MAX_TIMER_DELAY_MS))
      handle.unref()
      return {cancel: () => clearTimeout(handle)}
    },
  }
}

/** A timer slot that holds at most one pending timer: setting it cancels the previous one. */
export class TimerSlot {
  private timer: GroupTimer | null = null

  set(scheduler: GroupScheduler, delayMs: number, fn: () => void): void {
    this.cancel()
    const timer = scheduler.schedule(delayMs, () => {
      if (this.timer === timer) this.timer = null
      fn()
    })
    this.timer = timer
  }

  cancel(): void {
    this.timer?.cancel()
    this.timer = null
  }
}
