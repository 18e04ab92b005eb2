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
 * were appended since the previous entry (index-rule.ts), so the first batch (position 0) never has
 * one and both fields strictly increase. lookup(offset) is a binary search for the last entry at or
 * below `offset`; the batch containing `offset` is then at most about index.interval.bytes further on.
 *
 * There is no checksum: the log is the truth. The file is rebuilt from the log when it is missing,
 * torn (size not a multiple of 8), not strictly increasing, points past the log, or disagrees with
 * the batch it points at. Entries live in memory (8 bytes per ~4 KiB of log); file handling is
 * index-file.ts's.
 */
import {type Fs} from './fs.js'
import {IndexFile, lastAtOrBelow} from './index-file.js'

export const INDEX_ENTRY_SIZE = 8
/** Largest relative offset an entry can hold; a segment rolls before its offsets go further. */
export const MAX_RELATIVE_OFFSET = 0xffffffff

export interface IndexEntry {
  offset: number
  position: number
}

export class OffsetIndex {
  private constructor(
    private readonly file: IndexFile,
    readonly baseOffset: number,
  ) {}

  /** A new, empty index of a new segment, held open for appends. */
  static create(fs: Fs, path: string, baseOffset: number): OffsetIndex {
    return new OffsetIndex(IndexFile.create(fs, path, INDEX_ENTRY_SIZE), baseOffset)
  }

  /** Reads the index file as it is (absent reads as empty and torn); check isConsistentWith before trusting it. */
  static load(fs: Fs, path: string, baseOffset: number): OffsetIndex {
    return new OffsetIndex(IndexFile.load(fs, path, INDEX_ENTRY_SIZE), baseOffset)
  }

  get path(): string {
    return this.file.path
  }

  get entryCount(): number {
    return this.file.entryCount
  }

  entry(i: number): IndexEntry {
    const bytes = this.file.entryBytes(i)
    return {offset: this.baseOffset + bytes.readUInt32BE(0), position: bytes.readUInt32BE(4)}
  }

  lastEntry(): IndexEntry | undefined {
    return this.entryCount === 0 ? undefined : this.entry(this.entryCount - 1)
  }

  /**
   * Whether the entries can describe a log of `logSize` bytes: the file was whole, both fields
   * strictly increase, no entry is at position 0 or at/after the end of the log. Whether each
   * entry points at the batch it names is checked by the segment when it uses one.
   */
  isConsistentWith(logSize: number): boolean {
    if (this.file.torn) return false
    let previous = {relative: 0, position: 0}
    for (let i = 0; i < this.entryCount; i++) {
      const bytes = this.file.entryBytes(i)
      const relative = bytes.readUInt32BE(0)
      const position = bytes.readUInt32BE(4)
      if (relative <= previous.relative || position <= previous.position || position >= logSize) return false
      previous = {relative, position}
    }
    return true
  }

  /** The last entry whose offset is at or below `offset`, or the segment start when there is none. */
  lookup(offset: number): IndexEntry {
    const relative = offset - this.baseOffset
    const found = lastAtOrBelow(this.entryCount, (i) => this.file.entryBytes(i).readUInt32BE(0) <= relative)
    return found < 0 ? {offset: this.baseOffset, position: 0} : this.entry(found)
  }

  /** Opens the file for appends (creating it if absent): the index of the active segment. */
  hold(): void {
    this.file.hold()
  }

  /** No more appends: closes the file, now or after a running sync. The entries stay in memory. */
  release(): void {
    this.file.release()
  }

  /** Adds an entry; only while held. */
  append(offset: number, position: number): void {
    const entry = Buffer.allocUnsafe(INDEX_ENTRY_SIZE)
    entry.writeUInt32BE(offset - this.baseOffset, 0)
    entry.writeUInt32BE(position, 4)
    this.file.append(entry)
  }

  /** Replaces every entry (an index rebuilt from the log) with one write. */
  replace(entries: readonly IndexEntry[]): void {
    this.file.replace(entries.length, (bytes) => {
      entries.forEach((entry, i) => {
        bytes.writeUInt32BE(entry.offset - this.baseOffset, i * INDEX_ENTRY_SIZE)
        bytes.writeUInt32BE(entry.position, i * INDEX_ENTRY_SIZE + 4)
      })
    })
  }

  /** Drops the entries from `count` on: undoes appends of a batch whose write failed. */
  truncateTo(count: number): void {
    this.file.truncateTo(count)
  }

  async flush(): Promise<void> {
    await this.file.flush()
  }
}
