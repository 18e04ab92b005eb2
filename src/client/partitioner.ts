// Chooses a partition for each produced record, as the Java client does, so that a key lands on the same
// partition whether Weir, the Java producer or kafkajs wrote it:
// - keyed records: (murmur2(key bytes) & 0x7fffffff) % partitions (a mask, not Math.abs);
// - keyless records: sticky (KIP-480): every keyless record of a topic goes to one partition until the
//   batch being filled for it is closed, then another partition is picked at random. Batches fill up
//   instead of being spread thin over every partition.

const SEED = 0x9747b28c
const M = 0x5bd1e995

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as a signed int32. */
export function murmur2(data: Uint8Array): number {
  const length = data.length
  let h = SEED ^ length
  const blocks = length & ~3
  for (let i = 0; i < blocks; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)
    k = Math.imul(k, M)
    k ^= k >>> 24
    k = Math.imul(k, M)
    h = Math.imul(h, M) ^ k
  }
  const tail = length & 3
  if (tail === 3) h ^= data[blocks + 2]! << 16
  if (tail >= 2) h ^= data[blocks + 1]! << 8
  if (tail >= 1) h = Math.imul(h ^ data[blocks]!, M)
  h ^= h >>> 13
  h = Math.imul(h, M)
  h ^= h >>> 15
  return h | 0
}

export function partitionForKey(key: Uint8Array, partitionCount: number): number {
  return (murmur2(key) & 0x7fffffff) % partitionCount
}

export class StickyPartitioner {
  private readonly current = new Map<string, number>()

  constructor(private readonly random: () => number = Math.random) {}

  /** The partition keyless records of `topic` go to now. */
  partition(topic: string, partitionCount: number): number {
    const sticky = this.current.get(topic)
    if (sticky !== undefined && sticky < partitionCount) return sticky
    return this.choose(topic, partitionCount, -1)
  }

  /**
   * The batch for `topic`/`partition` was closed. If keyless records were sticking to it, move them to
   * another partition (never the same one again when there is a choice).
   */
  batchClosed(topic: string, partition: number, partitionCount: number): void {
    if (this.current.get(topic) === partition) this.choose(topic, partitionCount, partition)
  }

  private choose(topic: string, partitionCount: number, previous: number): number {
    let next = Math.floor(this.random() * partitionCount)
    if (next === previous && partitionCount > 1) next = (next + 1 + Math.floor(this.random() * (partitionCount - 1))) % partitionCount
    this.current.set(topic, next)
    return next
  }
}
