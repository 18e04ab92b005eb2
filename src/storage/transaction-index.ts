/**
 * TransactionIndex: a segment's `<base>.txnindex`, the transactions aborted by an ABORT marker in
 * that segment, in Kafka's format: fixed 34-byte entries, back to back, in marker order, no header:
 *
 *   offset size field
 *        0    2 version           i16, 0
 *        2    8 producerId        i64
 *       10    8 firstOffset       i64, the transaction's first offset in this partition
 *       18    8 lastOffset        i64, the offset of its ABORT marker
 *       26    8 lastStableOffset  i64, the last stable offset once it ended
 *
 * read_committed fetches ask which aborted transactions overlap the offsets they serve (collect):
 * the consumer drops those producers' batches from the first offset to the marker. The file is
 * created with its first entry and read whole on first use (entries are few: one per abort). No
 * checksum: like the other indexes it is rebuilt from the log when the log after a snapshot is
 * scanned again (producer-state-loader.ts), and a torn last entry is cut off when it is loaded.
 *
 * An ABORT appended to the live log is added in memory only (add): reads see it at once, and the
 * segment's flush() writes and syncs it, before the recovery point passes the marker. So the
 * append of a marker does no I/O after the marker's bytes are in the segment and cannot fail half
 * done; a failed write of the index is a failed flush, which takes the log offline (log-flusher.ts),
 * and a restart scans the log from below the marker again, rebuilding the entry.
 */
import {type Fs, writeFully} from './fs.js'
import {datasyncPath} from './fs.js'
import {type Logger} from './logger.js'

export const ABORTED_TXN_SIZE = 34
const VERSION = 0

export interface AbortedTxn {
  producerId: bigint
  firstOffset: number
  lastOffset: number
  lastStableOffset: number
}

export class TransactionIndex {
  private entries: AbortedTxn[] | undefined
  /** how many of `entries` are in the file; those after it wait for flush() */
  private written = 0
  private dirty = false

  constructor(
    private readonly fs: Fs,
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** Writes an entry now (the file is created by the first one), as the rebuild at open does; durable after the next flush(). */
  append(entry: AbortedTxn): void {
    this.add(entry)
    this.writePending()
  }

  /** Adds an entry in memory; the next flush() writes and syncs it. */
  add(entry: AbortedTxn): void {
    this.loaded().push(entry)
    this.dirty = true
  }

  /** Every entry, in marker order. */
  all(): readonly AbortedTxn[] {
    return this.loaded()
  }

  /**
   * The aborted transactions that overlap [fetchOffset, upperBoundOffset): marker at or after
   * fetchOffset, first offset below upperBoundOffset (Kafka's collectAbortedTxns). `complete` says
   * that later segments need not be searched: an entry here was written when the last stable offset
   * had already passed upperBoundOffset, so every later abort ended a transaction that began above it.
   */
  collect(fetchOffset: number, upperBoundOffset: number): {found: AbortedTxn[]; complete: boolean} {
    const found: AbortedTxn[] = []
    for (const entry of this.loaded()) {
      if (entry.lastOffset >= fetchOffset && entry.firstOffset < upperBoundOffset) found.push(entry)
      if (entry.lastStableOffset >= upperBoundOffset) return {found, complete: true}
    }
    return {found, complete: false}
  }

  /** Removes the entries whose marker is at or after `offset` (the log after it is scanned again, or was cut). */
  truncateTo(offset: number): void {
    const entries = this.loaded()
    const keep = entries.findIndex((entry) => entry.lastOffset >= offset)
    if (keep < 0) return
    entries.length = keep
    if (this.written > keep) {
      const fd = this.fs.open(this.path, 'r+')
      try {
        this.fs.truncate(fd, keep * ABORTED_TXN_SIZE)
      } finally {
        this.fs.close(fd)
      }
      this.written = keep
    }
    this.dirty = true
  }

  /** Writes the entries added since the last write, then syncs the file; a failure leaves them to be written again. */
  async flush(): Promise<void> {
    if (!this.dirty) return
    this.writePending()
    this.dirty = false
    if (this.fs.exists(this.path)) await datasyncPath(this.fs, this.path)
  }

  /** Forgets the entries read (the file was renamed or removed with its segment). */
  forget(): void {
    this.entries = undefined
    this.written = 0
    this.dirty = false
  }

  private writePending(): void {
    const entries = this.loaded()
    if (this.written === entries.length) return
    const bytes = Buffer.concat(entries.slice(this.written).map(encodeAbortedTxn))
    const fd = this.fs.open(this.path, this.fs.exists(this.path) ? 'r+' : 'w')
    try {
      writeFully(this.fs, fd, bytes, this.written * ABORTED_TXN_SIZE)
    } finally {
      this.fs.close(fd)
    }
    this.written = entries.length
  }

  private loaded(): AbortedTxn[] {
    if (this.entries !== undefined) return this.entries
    const bytes = this.fs.exists(this.path) ? this.fs.readFile(this.path) : Buffer.alloc(0)
    const whole = bytes.length - (bytes.length % ABORTED_TXN_SIZE)
    if (whole < bytes.length) this.cutTornEntry(whole, bytes.length)
    const entries: AbortedTxn[] = []
    for (let at = 0; at < whole; at += ABORTED_TXN_SIZE) entries.push(decodeAbortedTxn(bytes, at))
    this.entries = entries
    this.written = entries.length
    return entries
  }

  private cutTornEntry(whole: number, size: number): void {
    this.logger(`${this.path}: ${size - whole} bytes of a torn entry at its end; cut off`)
    const fd = this.fs.open(this.path, 'r+')
    try {
      this.fs.truncate(fd, whole)
    } finally {
      this.fs.close(fd)
    }
  }
}

export function encodeAbortedTxn(entry: AbortedTxn): Buffer {
  const bytes = Buffer.alloc(ABORTED_TXN_SIZE)
  bytes.writeInt16BE(VERSION, 0)
  bytes.writeBigInt64BE(entry.producerId, 2)
  bytes.writeBigInt64BE(BigInt(entry.firstOffset), 10)
  bytes.writeBigInt64BE(BigInt(entry.lastOffset), 18)
  bytes.writeBigInt64BE(BigInt(entry.lastStableOffset), 26)
  return bytes
}

export function decodeAbortedTxn(bytes: Buffer, at: number): AbortedTxn {
  return {
    producerId: bytes.readBigInt64BE(at + 2),
    firstOffset: Number(bytes.readBigInt64BE(at + 10)),
    lastOffset: Number(bytes.readBigInt64BE(at + 18)),
    lastStableOffset: Number(bytes.readBigInt64BE(at + 26)),
  }
}
