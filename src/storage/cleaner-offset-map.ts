/**
 * OffsetMap: the log cleaner's map from record key to the latest offset of that key in the part of
 * the log being cleaned, in a fixed amount of memory (Kafka's SkimpyOffsetMap).
 *
 * Memory: `bufferBytes` chosen at construction, allocated once and reused by every pass: slots of
 * 24 bytes, a 16-byte key digest and an 8-byte offset. Keys are not kept, only the first 16 bytes
 * of their SHA-256: two keys share a slot only if their digests collide, which for 128 bits takes
 * about 2^64 keys by chance and has no known construction (Kafka uses MD5, whose collisions can be
 * made on purpose: a producer could then delete another key's records). Open addressing with
 * linear probing; the map counts as full at 90 % of its slots (Kafka's
 * log.cleaner.io.buffer.load.factor), so probes stay short. With the default 32 MiB that is
 * 1,258,291 keys per pass; a log with more distinct keys in its dirty part is cleaned over
 * several passes, each as far as the map reached.
 */
import {hash} from 'node:crypto'

const DIGEST_BYTES = 16
const SLOT_BYTES = DIGEST_BYTES + 8
const LOAD_FACTOR = 0.9
const EMPTY = -1

export class OffsetMap {
  /** how many distinct keys the map takes before it counts as full */
  readonly capacity: number
  private readonly slots: number
  /** four int32 words of digest per slot */
  private readonly digests: Int32Array
  private readonly offsets: Float64Array
  private entries = 0
  private latest = -1

  constructor(bufferBytes: number) {
    this.slots = Math.max(2, Math.floor(bufferBytes / SLOT_BYTES))
    this.capacity = Math.max(1, Math.floor(this.slots * LOAD_FACTOR))
    this.digests = new Int32Array(this.slots * 4)
    this.offsets = new Float64Array(this.slots).fill(EMPTY)
  }

  get size(): number {
    return this.entries
  }

  /** The largest offset put since the last clear(); -1 when none. */
  get latestOffset(): number {
    return this.latest
  }

  clear(): void {
    this.offsets.fill(EMPTY)
    this.entries = 0
    this.latest = -1
  }

  /** Records `offset` as the latest of `key`; the caller checks `size < capacity` first. */
  put(key: Buffer, offset: number): void {
    const digest = digestOf(key)
    const slot = this.find(digest)
    if (this.offsets[slot] === EMPTY) {
      if (this.entries >= this.capacity) throw new Error('offset map is full')
      this.entries++
      this.digests.set(digest, slot * 4)
    }
    this.offsets[slot] = offset
    this.latest = Math.max(this.latest, offset)
  }

  /** The latest offset of `key`, -1 when it is not in the map. */
  get(key: Buffer): number {
    return this.offsets[this.find(digestOf(key))] as number
  }

  /** The slot holding `digest`, or the empty slot where it would go. */
  private find(digest: Int32Array): number {
    let slot = ((digest[0] as number) >>> 0) % this.slots
    for (;;) {
      if (this.offsets[slot] === EMPTY) return slot
      const at = slot * 4
      const d = this.digests
      if (d[at] === digest[0] && d[at + 1] === digest[1] && d[at + 2] === digest[2] && d[at + 3] === digest[3]) return slot
      slot = slot + 1 === this.slots ? 0 : slot + 1
    }
  }
}

function digestOf(key: Buffer): Int32Array {
  const bytes = hash('sha256', key, 'buffer')
  if (bytes.byteOffset % 4 === 0) return new Int32Array(bytes.buffer, bytes.byteOffset, DIGEST_BYTES / 4)
  return new Int32Array(new Uint8Array(bytes.subarray(0, DIGEST_BYTES)).buffer)
}
