/**
 * The daemon-wide budget for request bytes held in memory: frames being received and frames
 * received but not yet answered, over every connection (Kafka's queued.max.request.bytes).
 *
 * A connection reserves a frame's size as soon as it has read the size prefix, before it allocates
 * anything for the body, and releases it when that request has been answered. When a reservation
 * does not fit, that connection stops reading until some other request releases its bytes; a
 * connection that holds a reservation keeps reading into it, so a frame being received always
 * completes and the budget always drains. A reservation always fits when nothing is held, so a
 * frame larger than the budget is still served, alone.
 */

/** Kafka's socket-server memory pool is unbounded by default; 256 MiB keeps one machine safe. */
export const MAX_QUEUED_REQUEST_BYTES = 256 * 1024 * 1024

export interface FrameMemory {
  /** Takes `bytes` from the budget, or returns false (taking nothing) when they do not fit. */
  tryReserve(bytes: number): boolean
  release(bytes: number): void
  /** Calls `listener` once, at the next release; returns a function that cancels it. */
  onRelease(listener: () => void): () => void
}

export class RequestMemory implements FrameMemory {
  readonly limit: number
  private used = 0
  private readonly waiters = new Set<() => void>()

  constructor(limit = MAX_QUEUED_REQUEST_BYTES) {
    this.limit = limit
  }

  tryReserve(bytes: number): boolean {
    if (this.used > 0 && this.used + bytes > this.limit) return false
    this.used += bytes
    return true
  }

  release(bytes: number): void {
    this.used -= bytes
    // Every waiter retries, in the order they started waiting; those that still do not fit wait again.
    const waiters = [...this.waiters]
    this.waiters.clear()
    for (const waiter of waiters) waiter()
  }

  onRelease(listener: () => void): () => void {
    this.waiters.add(listener)
    return () => this.waiters.delete(listener)
  }

  /** Bytes reserved now. */
  get held(): number {
    return this.used
  }
}

/** No limit: for readers outside the daemon (tests, tools). */
export const UNLIMITED_MEMORY: FrameMemory = {
  tryReserve: () => true,
  release: () => undefined,
  onRelease: () => () => undefined,
}
