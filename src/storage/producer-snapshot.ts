/**
 * Producer snapshots: `<offset>.snapshot` in the partition directory holds the producer state
 * (producer-state.ts) of the log below <offset> (20 digits, like segment names), in Kafka's format
 * (ProducerSnapshot version 1), big-endian:
 *
 *   offset size field
 *        0    2 version             i16, 1
 *        2    4 crc                 u32, CRC-32C of every byte after this field
 *        6    4 entry count         i32
 *       10   46 entries, each:
 *                 producerId            i64
 *                 epoch                 i16
 *                 lastSequence          i32, -1 when no batch of this epoch is known
 *                 lastOffset            i64, the last batch's last offset, -1 when none
 *                 offsetDelta           i32, last batch's lastOffset - its first offset
 *                 timestamp             i64, the producer's last timestamp
 *                 coordinatorEpoch      i32
 *                 currentTxnFirstOffset i64, -1 when no transaction is open
 *
 * Weir's extension, after the entries, covered by the same CRC (Kafka's reader stops after the
 * entries and would ignore it), present only when some producer has more than its last batch:
 *
 *   for each entry, in the same order:
 *     count                 i32, 0-4: the batches kept before the last one
 *     count times, oldest first (24 bytes each):
 *       lastSequence        i32
 *       lastOffset          i64
 *       offsetDelta         i32
 *       timestamp           i64
 *
 * Kafka keeps only each producer's last batch, so after a clean restart (whose snapshot is at the
 * log end: the open scans nothing) only a retry of that one is recognised; a client with 5 requests
 * in flight across the restart would get OUT_OF_ORDER_SEQUENCE_NUMBER for the other 4. The extension
 * keeps all of the last 5 (NUM_BATCHES_TO_RETAIN), at no cost at open, where taking the close
 * snapshot lower would make every open scan back to the oldest of those batches of any producer.
 *
 * Written at every segment roll (the new segment's base offset) and at close (the log end), as a
 * `.tmp` file renamed into place, so a reader sees a whole file or none; the fsync comes with the
 * log's next flush (at close, before the clean shutdown is marked). A file whose CRC or length is
 * wrong after a crash is removed and an older one used: snapshots only save scanning.
 */
import {crc32c} from '@node-rs/crc32'
import {join} from 'node:path'
import {type Fs, writeFully} from './fs.js'
import {parseSnapshotFileName, snapshotFilePath} from './log-file-names.js'
import {type Logger} from './logger.js'
import {batchFromLast, type BatchMetadata, NUM_BATCHES_TO_RETAIN, type ProducerStateEntry} from './producer-append.js'

const VERSION = 1
const CRC_AT = 2
const ENTRIES_AT = 6
const HEADER_SIZE = 10
export const SNAPSHOT_ENTRY_SIZE = 46
const EARLIER_BATCH_SIZE = 24

export function encodeSnapshot(entries: readonly ProducerStateEntry[]): Buffer {
  const extended = entries.some((entry) => entry.batches.length > 1)
  const earlier = extended ? entries.reduce((sum, entry) => sum + 4 + Math.max(entry.batches.length - 1, 0) * EARLIER_BATCH_SIZE, 0) : 0
  const bytes = Buffer.alloc(HEADER_SIZE + entries.length * SNAPSHOT_ENTRY_SIZE + earlier)
  bytes.writeInt16BE(VERSION, 0)
  bytes.writeInt32BE(entries.length, ENTRIES_AT)
  let at = HEADER_SIZE
  for (const entry of entries) {
    const last = entry.batches[entry.batches.length - 1]
    at = bytes.writeBigInt64BE(entry.producerId, at)
    at = bytes.writeInt16BE(entry.producerEpoch, at)
    at = writeBatch(bytes, at, last)
    at = bytes.writeBigInt64BE(BigInt(entry.lastTimestamp), at)
    at = bytes.writeInt32BE(entry.coordinatorEpoch, at)
    at = bytes.writeBigInt64BE(BigInt(entry.currentTxnFirstOffset), at)
  }
  if (extended) for (const entry of entries) at = writeEarlierBatches(bytes, at, entry.batches.slice(0, -1))
  bytes.writeUInt32BE(crc32c(bytes.subarray(ENTRIES_AT)), CRC_AT)
  return bytes
}

/** lastSequence, lastOffset, offsetDelta of an entry's last batch (-1, -1, 0 for none); the timestamp is the entry's. */
function writeBatch(bytes: Buffer, at: number, batch: BatchMetadata | undefined): number {
  at = bytes.writeInt32BE(batch?.lastSeq ?? -1, at)
  at = bytes.writeBigInt64BE(BigInt(batch?.lastOffset ?? -1), at)
  return bytes.writeInt32BE(batch === undefined ? 0 : batch.lastOffset - batch.firstOffset, at)
}

function writeEarlierBatches(bytes: Buffer, at: number, batches: readonly BatchMetadata[]): number {
  at = bytes.writeInt32BE(batches.length, at)
  for (const batch of batches) {
    at = bytes.writeInt32BE(batch.lastSeq, at)
    at = bytes.writeBigInt64BE(BigInt(batch.lastOffset), at)
    at = bytes.writeInt32BE(batch.lastOffset - batch.firstOffset, at)
    at = bytes.writeBigInt64BE(BigInt(batch.timestamp), at)
  }
  return at
}

/** The entries of a snapshot file's bytes, or what is wrong with them. */
export function decodeSnapshot(bytes: Buffer): ProducerStateEntry[] | string {
  if (bytes.length < HEADER_SIZE) return `${bytes.length} bytes, shorter than the header`
  const version = bytes.readInt16BE(0)
  if (version !== VERSION) return `unknown version ${version}`
  if (crc32c(bytes.subarray(ENTRIES_AT)) !== bytes.readUInt32BE(CRC_AT)) return 'CRC-32C mismatch'
  const count = bytes.readInt32BE(ENTRIES_AT)
  const extensionAt = HEADER_SIZE + count * SNAPSHOT_ENTRY_SIZE
  if (count < 0 || bytes.length < extensionAt) return `${count} entries do not fit in ${bytes.length} bytes`
  const entries: ProducerStateEntry[] = []
  for (let at = HEADER_SIZE; at < extensionAt; at += SNAPSHOT_ENTRY_SIZE) entries.push(decodeEntry(bytes, at))
  if (bytes.length === extensionAt) return entries
  const end = readEarlierBatches(bytes, extensionAt, entries)
  return end === bytes.length ? entries : `the earlier batches of ${count} entries do not fill ${bytes.length} bytes`
}

/** Puts each entry's earlier batches (the extension at `at`) before its last one; the offset after them, -1 when they do not fit. */
function readEarlierBatches(bytes: Buffer, at: number, entries: ProducerStateEntry[]): number {
  for (const entry of entries) {
    if (at + 4 > bytes.length) return -1
    const count = bytes.readInt32BE(at)
    at += 4
    if (count < 0 || count >= NUM_BATCHES_TO_RETAIN || at + count * EARLIER_BATCH_SIZE > bytes.length) return -1
    const earlier: BatchMetadata[] = []
    for (let i = 0; i < count; i++, at += EARLIER_BATCH_SIZE) {
      earlier.push(batchFromLast(bytes.readInt32BE(at), Number(bytes.readBigInt64BE(at + 4)), bytes.readInt32BE(at + 12), Number(bytes.readBigInt64BE(at + 16))))
    }
    entry.batches = [...earlier, ...entry.batches]
  }
  return at
}

function decodeEntry(bytes: Buffer, at: number): ProducerStateEntry {
  const lastSeq = bytes.readInt32BE(at + 10)
  const lastOffset = Number(bytes.readBigInt64BE(at + 14))
  const offsetDelta = bytes.readInt32BE(at + 22)
  const timestamp = Number(bytes.readBigInt64BE(at + 26))
  return {
    producerId: bytes.readBigInt64BE(at),
    producerEpoch: bytes.readInt16BE(at + 8),
    coordinatorEpoch: bytes.readInt32BE(at + 34),
    lastTimestamp: timestamp,
    batches: lastOffset >= 0 ? [batchFromLast(lastSeq, lastOffset, offsetDelta, timestamp)] : [],
    currentTxnFirstOffset: Number(bytes.readBigInt64BE(at + 38)),
  }
}

/** The snapshot files of a partition directory, by offset. */
export class ProducerSnapshots {
  constructor(
    private readonly fs: Fs,
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Offsets of the snapshot files, ascending. */
  offsets(): number[] {
    const offsets: number[] = []
    for (const entry of this.fs.list(this.dir)) {
      const offset = entry.isDirectory ? undefined : parseSnapshotFileName(entry.name)
      if (offset !== undefined) offsets.push(offset)
    }
    return offsets.sort((a, b) => a - b)
  }

  /** Writes the state below `offset`; synchronous, durable once sync(offset) resolves. */
  write(offset: number, entries: readonly ProducerStateEntry[]): void {
    const path = snapshotFilePath(this.dir, offset)
    const temp = `${path}.tmp`
    const fd = this.fs.open(temp, 'w')
    try {
      writeFully(this.fs, fd, encodeSnapshot(entries), 0)
    } finally {
      this.fs.close(fd)
    }
    this.fs.rename(temp, path)
  }

  /** fdatasync of the snapshot at `offset` (if it is still there). */
  async sync(offset: number): Promise<void> {
    const path = snapshotFilePath(this.dir, offset)
    if (!this.fs.exists(path)) return
    const fd = this.fs.open(path, 'r')
    try {
      await this.fs.datasync(fd)
    } finally {
      this.fs.close(fd)
    }
  }

  /**
   * The newest readable snapshot at or below `maxOffset`: its offset and entries. Unreadable ones
   * met on the way are removed (and said so); undefined when there is none.
   */
  latestAtOrBelow(maxOffset: number): {offset: number; entries: ProducerStateEntry[]} | undefined {
    for (const offset of this.offsets().reverse()) {
      if (offset > maxOffset) continue
      const path = snapshotFilePath(this.dir, offset)
      const entries = decodeSnapshot(this.fs.readFile(path))
      if (typeof entries !== 'string') return {offset, entries}
      this.logger(`${path}: unreadable producer snapshot (${entries}); removed, an older one or a longer scan of the log is used`)
      this.fs.unlink(path)
    }
    return undefined
  }

  /** Removes the snapshots above `offset` (they describe log that is no longer there). */
  removeAbove(offset: number): void {
    for (const at of this.offsets()) if (at > offset) this.fs.unlink(snapshotFilePath(this.dir, at))
  }

  /** Removes the snapshots below `offset` (their segments were deleted). */
  removeBelow(offset: number): void {
    for (const at of this.offsets()) if (at < offset) this.fs.unlink(snapshotFilePath(this.dir, at))
  }

  /** Removes leftover `.tmp` files of interrupted writes. */
  removeTemporary(): void {
    for (const entry of this.fs.list(this.dir)) {
      if (!entry.isDirectory && /^\d{20}\.snapshot\.tmp$/.test(entry.name)) this.fs.unlink(join(this.dir, entry.name))
    }
  }
}
