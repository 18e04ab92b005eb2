// The fake cluster's in-memory partitions and topics: stored batches with the offsets a broker would give
// them, reads of whole batches, and the offset ListOffsets names for a timestamp. Separate from
// fake-cluster.ts (connections and dispatch) and the fake's API handlers, which read and write these.
import {inflateBatch, inflateBatchSync, type ConsumedRecord} from '../../src/protocol/index.js'

export class FakePartition {
  readonly batches: Buffer[] = []
  logStartOffset = 0
  highWatermark = 0
  /** A damaged batch starts here: reads stop before it, and fetches from it on answer CORRUPT_MESSAGE, as a broker does. */
  corruptFrom = Infinity

  /** Stores a batch, assigning its offsets as a broker does (rewriting baseOffset; the CRC stays valid). */
  append(batch: Buffer): number {
    const copy = Buffer.from(batch)
    const baseOffset = this.highWatermark
    copy.writeBigInt64BE(BigInt(baseOffset), 0)
    this.batches.push(copy)
    this.highWatermark += copy.readInt32BE(23) + 1
    return baseOffset
  }

  /** Whole batches from the one containing `offset`, at least one, then up to maxBytes. */
  read(offset: number, maxBytes: number): Buffer {
    const chosen: Buffer[] = []
    let bytes = 0
    for (const batch of this.batches) {
      const last = Number(batch.readBigInt64BE(0)) + batch.readInt32BE(23)
      if (last < offset) continue
      if (Number(batch.readBigInt64BE(0)) >= this.corruptFrom) break
      if (chosen.length > 0 && bytes + batch.length > maxBytes) break
      chosen.push(batch)
      bytes += batch.length
    }
    return Buffer.concat(chosen)
  }

  async records(): Promise<ConsumedRecord[]> {
    const inflated = await Promise.all(this.batches.map((batch) => inflateBatch(batch)))
    return inflated.flatMap((batch) => batch.records)
  }
}

export interface FakeTopic {
  name: string
  topicId: string
  partitions: FakePartition[]
  /** Topic config overrides. */
  configs: Record<string, string>
}

/** The offset ListOffsets answers for `timestamp`: -2 the log start, -1 the end, else the first record at or after it. */
export function offsetFor(partition: FakePartition, timestamp: number): number {
  if (timestamp === -2) return partition.logStartOffset
  if (timestamp === -1) return partition.highWatermark
  for (const batch of partition.batches) {
    const found = inflateBatchSync(batch).records.find((r) => r.timestamp >= timestamp)
    if (found) return found.offset
  }
  return -1
}
