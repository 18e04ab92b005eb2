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
  private dirty = false

  constructor(
    private readonly fs: Fs,
    readonly path: string,
    private readonly logger: Logger,
  ) {}

  /** Appends an entry (the file is created by the first one); durable after the next flush(). */
  append(entry: AbortedTxn): void {
    const entries = this.loaded()
    const bytes = encodeAbortedTxn(entry)
    const fd = this.fs.open(this.path, this.fs.exists(this.path) ? 'r+' : 'w')
    try {
      writeFully(this.fs, fd, bytes, entries.length * ABORTED_TXN_SIZE)
    } finally {
      this.fs.close(fd)
    }
    entries.push(entry)
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
    const fd = this.fs.open(this.path, 'r+')
    try {
      this.fs.truncate(fd, keep * ABORTED_TXN_SIZE)
    } finally {
      this.fs.close(fd)
    }
    this.dirty = true
  }

  async flush(): Promise<void> {
    if (!this.dirty) return
    this.dirty = false
    if (this.fs.exists(this.path)) await datasyncPath(this.fs, this.path)
  }

  /** Forgets the entries read (the file was renamed or removed with its segment). */
  forget(): void {
    this.entries = undefined
    this.dirty = false
  }

  private loaded(): AbortedTxn[] {
    if (this.entries !== undefined) return this.entries
    const bytes = this.fs.exists(this.path) ? this.fs.readFile(this.path) : Buffer.alloc(0)
    const whole = bytes.length - (bytes.length % ABORTED_TXN_SIZE)
    if (whole < bytes.length) this.cutTornEntry(whole, bytes.length)
    const entries: AbortedTxn[] = []
    for (let at = 0; at < whole; at += ABORTED_TXN_SIZE) entries.push(decodeAbortedTxn(bytes, at))
    this.entries = entries
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
