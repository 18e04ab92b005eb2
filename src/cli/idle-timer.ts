/**
 * `--timeout-ms`: fires `expired` once no activity was reported for `ms`. Inactive (never
 * fires) when `ms` is undefined. The timer is unref'd so it never holds the process open.
 */
export class IdleTimer {
  readonly expired: Promise<void>
  private timer: NodeJS.Timeout | undefined

  constructor(ms: number | undefined) {
    this.expired = new Promise((resolve) => {
      if (ms === undefined) return
      this.timer = setTimeout(resolve, ms)
      this.timer.unref()
    })
  }

  /** Something happened: start the idle period again. */
  touch(): void {
    this.timer?.refresh()
  }

  cancel(): void {
    clearTimeout(this.timer)
  }
}
