/**
 * The transactions open in one partition, by first offset: what the last stable offset is made of.
 * The earliest one's first offset is the last stable offset (LSO): read_committed consumers read
 * only below it, since its records are neither committed nor aborted yet. In memory only: rebuilt
 * from producer state (producer-state.ts) at open.
 *
 * Appends add transactions in offset order, so a Map's insertion order is their order; entries
 * loaded from a snapshot are added sorted.
 */
export class OngoingTransactions {
  /** first offset -> producer id */
  private readonly byFirstOffset = new Map<number, bigint>()

  get size(): number {
    return this.byFirstOffset.size
  }

  /** Adds a transaction; `firstOffset` must be above every one added before (appends come in offset order). */
  add(firstOffset: number, producerId: bigint): void {
    this.byFirstOffset.set(firstOffset, producerId)
  }

  remove(firstOffset: number): void {
    this.byFirstOffset.delete(firstOffset)
  }

  /** The first offset of the earliest open transaction; undefined when none is open. */
  firstOffset(): number | undefined {
    for (const offset of this.byFirstOffset.keys()) return offset
    return undefined
  }

  /** The first offset of the earliest open transaction of a producer other than `producerId`. */
  firstOffsetExcept(producerId: bigint): number | undefined {
    for (const [offset, owner] of this.byFirstOffset) if (owner !== producerId) return offset
    return undefined
  }

  /** Replaces the contents with `entries`, sorted by first offset. */
  reset(entries: Iterable<{firstOffset: number; producerId: bigint}>): void {
    this.byFirstOffset.clear()
    for (const entry of [...entries].sort((a, b) => a.firstOffset - b.firstOffset)) this.add(entry.firstOffset, entry.producerId)
  }
}
