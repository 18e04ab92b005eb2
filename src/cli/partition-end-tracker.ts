/**
 * Decides when `consume --exit-at-end` is done: every assigned partition has been read up
 * to the high watermark last seen for it (kcat's -e). A partition that reached its end stays
 * done even if records arrive later, so a busy topic still lets the command finish.
 */
export class PartitionEndTracker {
  private readonly pending = new Set<number>()

  constructor(partitions: Iterable<number>) {
    for (const partition of partitions) this.pending.add(partition)
  }

  /** `position` = next offset to read; `highWatermark` = end of the log as the broker last said. */
  observe(partition: number, position: number, highWatermark: number): void {
    if (position >= highWatermark) this.pending.delete(partition)
  }

  /** The partition needs no more reading (it stopped at its --until point). */
  finish(partition: number): void {
    this.pending.delete(partition)
  }

  get allReached(): boolean {
    return this.pending.size === 0
  }
}
