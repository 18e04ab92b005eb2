import type {StopPoint} from './partition-positions.js'

/**
 * Decides where `consume --until` stops each partition: before the first record at or past its
 * stop offset, or at or after its stop time (kcat's `-o e@<ms>`). A partition that stopped stays
 * stopped; its later records are not shown. Partitions without a stop point never stop.
 */
export class UntilTracker {
  private readonly pending = new Set<number>()
  private readonly finished: number[] = []

  /** Partitions that start at or past their stop offset are done at once. */
  constructor(private readonly points: ReadonlyMap<number, StopPoint>, startPositions: ReadonlyMap<number, number>) {
    for (const [partition, point] of points) {
      if ((startPositions.get(partition) ?? 0) >= point.offset) this.finished.push(partition)
      else this.pending.add(partition)
    }
  }

  /** Whether `record` of `partition` lies at or past the stop point; the partition is then done. */
  reached(partition: number, record: {offset: number; timestamp: number}): boolean {
    const point = this.points.get(partition)
    if (point === undefined) return false
    if (!this.pending.has(partition)) return true
    if (record.offset < point.offset && (point.timestamp === null || record.timestamp < point.timestamp)) return false
    this.finish(partition)
    return true
  }

  /** The consumer's next offset in a partition; it may pass the stop offset without a record (markers, gaps). */
  observe(partition: number, position: number): void {
    const point = this.points.get(partition)
    if (point !== undefined && this.pending.has(partition) && position >= point.offset) this.finish(partition)
  }

  /** Partitions that became done since the last call, each once. */
  takeFinished(): number[] {
    return this.finished.splice(0)
  }

  /** Every partition with a stop point is done (false when there are none: nothing to wait for). */
  get allDone(): boolean {
    return this.points.size > 0 && this.pending.size === 0
  }

  private finish(partition: number): void {
    this.pending.delete(partition)
    this.finished.push(partition)
  }
}
