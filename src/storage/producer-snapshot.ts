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
 * Only the last batch of each producer is kept (as in Kafka): after a restart a retry of that one
 * is still recognised, and so is any batch the scan after the snapshot finds.
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
import {batchFromLast, type ProducerStateEntry} from './producer-append.js'

const VERSION = 1
const CRC_AT = 2
const ENTRIES_AT = 6
const HEADER_SIZE = 10
export const SNAPSHOT_ENTRY_SIZE = 46

export function encodeSnapshot(entries: readonly ProducerStateEntry[]): Buffer {
  const bytes = Buffer.alloc(HEADER_SIZE + entries.length * SNAPSHOT_ENTRY_SIZE)
  bytes.writeInt16BE(VERSION, 0)
  bytes.writeInt32BE(entries.length, ENTRIES_AT)
  let at = HEADER_SIZE
  for (const entry of entries) {
    const last = entry.batches[entry.batches.length - 1]
    at = bytes.writeBigInt64BE(entry.producerId, at)
    at = bytes.writeInt16BE(entry.producerEpoch, at)
    at = bytes.writeInt32BE(last?.lastSeq ?? -1, at)
    at = bytes.writeBigInt64BE(BigInt(last?.lastOffset ?? -1), at)
    at = bytes.writeInt32BE(last === undefined ? 0 : last.lastOffset - last.firstOffset, at)
    at = bytes.writeBigInt64BE(BigInt(entry.lastTimestamp), at)
    at = bytes.writeInt32BE(entry.coordinatorEpoch, at)
    at = bytes.writeBigInt64BE(BigInt(entry.currentTxnFirstOffset), at)
  }
  bytes.writeUInt32BE(crc32c(bytes.subarray(ENTRIES_AT)), CRC_AT)
  return bytes
}

/** The entries of a snapshot file's bytes, or what is wrong with them. */
export function decodeSnapshot(bytes: Buffer): ProducerStateEntry[] | string {
  if (bytes.length < HEADER_SIZE) return `${bytes.length} bytes, shorter than the header`
  const version = bytes.readInt16BE(0)
  if (version !== VERSION) return `unknown version ${version}`
  if (crc32c(bytes.subarray(ENTRIES_AT)) !== bytes.readUInt32BE(CRC_AT)) return 'CRC-32C mismatch'
  const count = bytes.readInt32BE(ENTRIES_AT)
  if (count < 0 || bytes.length !== HEADER_SIZE + count * SNAPSHOT_ENTRY_SIZE) return `${count} entries do not fill ${bytes.length} bytes`
  const entries: ProducerStateEntry[] = []
  for (let at = HEADER_SIZE; at < bytes.length; at += SNAPSHOT_ENTRY_SIZE) entries.push(decodeEntry(bytes, at))
  return entries
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
