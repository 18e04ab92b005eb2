/**
 * A broker-wide wake-up for pending long polls: fired when a topic is deleted (its partitions will
 * never get another append) and when the broker closes. Waiters re-check their partitions and
 * either answer or wait again.
 */
export class WakeSignal {
  private readonly listeners = new Set<() => void>()

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  wake(): void {
    for (const listener of [...this.listeners]) listener()
  }

  get waiting(): number {
    return this.listeners.size
  }
}
