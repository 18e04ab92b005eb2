/**
 * OffsetIndex: the sparse map from offset to byte position inside one segment's .log file.
 *
 * File `<20-digit segment base offset>.index`, a flat array of 8-byte entries, no header:
 *
 *   offset size field
 *        0    4 relativeOffset  u32, a batch's baseOffset - the segment's base offset
 *        4    4 position        u32, byte position of that batch in the .log file
 *
 * The log segment adds an entry for the batch it is appending once more than index.interval.bytes
 * were appended since the previous entry, so the first batch (position 0) never has one and both
 * fields strictly increase. lookup(offset) is a binary search for the last entry at or below
 * `offset`; the batch containing `offset` is then at most about index.interval.bytes further on.
 *
 * There is no checksum: the log is the truth. The file is rebuilt from the log when it is missing,
 * torn (size not a multiple of 8), not strictly increasing, points past the log, or disagrees with
 * the batch it points at. Entries are kept in memory as well (8 bytes per ~4 KiB of log).
 */
import {type Fs, readAt, writeFully} from './fs.js'

export const INDEX_ENTRY_SIZE = 8
/** Largest relative offset an entry can hold; a segment rolls before its offsets go further. */
export const MAX_RELATIVE_OFFSET = 0xffffffff

export interface IndexEntry {
  offset: number
  position: number
}

export class OffsetIndex {
  private entries: Buffer
  private count: number
  private dirty = false

  private constructor(
    private readonly fs: Fs,
    private readonly fd: number,
    readonly baseOffset: number,
    stored: Buffer,
    /** the file was absent or its size was not a whole number of entries */
    private torn: boolean,
  ) {
    this.count = Math.floor(stored.length / INDEX_ENTRY_SIZE)
    this.entries = Buffer.alloc(Math.max(this.count * INDEX_ENTRY_SIZE * 2, 64 * INDEX_ENTRY_SIZE))
    stored.copy(this.entries, 0, 0, this.count * INDEX_ENTRY_SIZE)
  }

  static create(fs: Fs, path: string, baseOffset: number): OffsetIndex {
    return new OffsetIndex(fs, fs.open(path, 'wx+'), baseOffset, Buffer.alloc(0), false)
  }

  /** Opens the index file as it is (creating an empty one if absent); check isConsistentWith before trusting it. */
  static open(fs: Fs, path: string, baseOffset: number): OffsetIndex {
    if (!fs.exists(path)) return new OffsetIndex(fs, fs.open(path, 'wx+'), baseOffset, Buffer.alloc(0), true)
    const fd = fs.open(path, 'r+')
    const stored = readAt(fs, fd, 0, fs.size(fd))
    return new OffsetIndex(fs, fd, baseOffset, stored, stored.length % INDEX_ENTRY_SIZE !== 0)
  }

  get entryCount(): number {
    return this.count
  }

  entry(i: number): IndexEntry {
    const at = i * INDEX_ENTRY_SIZE
    return {offset: this.baseOffset + this.entries.readUInt32BE(at), position: this.entries.readUInt32BE(at + 4)}
  }

  lastEntry(): IndexEntry | undefined {
    return this.count === 0 ? undefined : this.entry(this.count - 1)
  }

  /**
   * Whether the entries can describe a log of `logSize` bytes: the file was whole, both fields
   * strictly increase, no entry is at position 0 or at/after the end of the log. Whether each
   * entry points at the batch it names is checked by the segment when it uses one.
   */
  isConsistentWith(logSize: number): boolean {
    if (this.torn) return false
    let previous = {relative: 0, position: 0}
    for (let i = 0; i < this.count; i++) {
      const relative = this.entries.readUInt32BE(i * INDEX_ENTRY_SIZE)
      const position = this.entries.readUInt32BE(i * INDEX_ENTRY_SIZE + 4)
      if (relative <= previous.relative || position <= previous.position || position >= logSize) return false
      previous = {relative, position}
    }
    return true
  }

  /** The last entry whose offset is at or below `offset`, or the segment start when there is none. */
  lookup(offset: number): IndexEntry {
    const relative = offset - this.baseOffset
    let low = 0
    let high = this.count - 1
    let found = -1
    while (low <= high) {
      const middle = (low + high) >>> 1
      if (this.entries.readUInt32BE(middle * INDEX_ENTRY_SIZE) <= relative) {
        found = middle
        low = middle + 1
      } else {
        high = middle - 1
      }
    }
    return found < 0 ? {offset: this.baseOffset, position: 0} : this.entry(found)
  }

  append(offset: number, position: number): void {
    const entry = Buffer.allocUnsafe(INDEX_ENTRY_SIZE)
    entry.writeUInt32BE(offset - this.baseOffset, 0)
    entry.writeUInt32BE(position, 4)
    const at = this.count * INDEX_ENTRY_SIZE
    try {
      writeFully(this.fs, this.fd, entry, at)
    } catch (err) {
      this.fs.truncate(this.fd, at)
      throw err
    }
    if (at + INDEX_ENTRY_SIZE > this.entries.length) this.grow()
    entry.copy(this.entries, at)
    this.count++
    this.dirty = true
  }

  /** Replaces every entry (an index rebuilt from the log) with one write. */
  replace(entries: readonly IndexEntry[]): void {
    const bytes = Buffer.alloc(Math.max(entries.length * INDEX_ENTRY_SIZE * 2, 64 * INDEX_ENTRY_SIZE))
    entries.forEach((entry, i) => {
      bytes.writeUInt32BE(entry.offset - this.baseOffset, i * INDEX_ENTRY_SIZE)
      bytes.writeUInt32BE(entry.position, i * INDEX_ENTRY_SIZE + 4)
    })
    this.fs.truncate(this.fd, 0)
    writeFully(this.fs, this.fd, bytes.subarray(0, entries.length * INDEX_ENTRY_SIZE), 0)
    this.entries = bytes
    this.count = entries.length
    this.torn = false
    this.dirty = true
  }

  async flush(): Promise<void> {
    if (!this.dirty) return
    this.dirty = false
    await this.fs.datasync(this.fd)
  }

  close(): void {
    this.fs.close(this.fd)
  }

  private grow(): void {
    const bigger = Buffer.alloc(this.entries.length * 2)
    this.entries.copy(bigger)
    this.entries = bigger
  }
}
