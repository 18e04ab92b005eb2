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
 * the batch it points at.
 *
 * Entries live in memory (8 bytes per ~4 KiB of log); the file is read once, when the index is
 * loaded. Only the active segment's index holds a descriptor, for its appends; a sealed index
 * opens its file just for the call that rewrites or syncs it.
 */
import {datasyncPath, type Fs, writeFully} from './fs.js'
import {HeldDescriptor} from './held-descriptor.js'

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
    readonly path: string,
    readonly baseOffset: number,
    stored: Buffer,
    /** the file was absent or its size was not a whole number of entries */
    private torn: boolean,
    /** the descriptor appends go through, while the segment is active */
    private held: HeldDescriptor | undefined,
  ) {
    this.count = Math.floor(stored.length / INDEX_ENTRY_SIZE)
    this.entries = Buffer.alloc(Math.max(this.count * INDEX_ENTRY_SIZE * 2, 64 * INDEX_ENTRY_SIZE))
    stored.copy(this.entries, 0, 0, this.count * INDEX_ENTRY_SIZE)
  }

  /**
   * A new, empty index of a new segment, held open for appends. A file of that name can only be a
   * stray left without its log, and is replaced.
   */
  static create(fs: Fs, path: string, baseOffset: number): OffsetIndex {
    return new OffsetIndex(fs, path, baseOffset, Buffer.alloc(0), false, new HeldDescriptor(fs, fs.open(path, 'w')))
  }

  /** Reads the index file as it is (absent reads as empty and torn); check isConsistentWith before trusting it. */
  static load(fs: Fs, path: string, baseOffset: number): OffsetIndex {
    if (!fs.exists(path)) return new OffsetIndex(fs, path, baseOffset, Buffer.alloc(0), true, undefined)
    const stored = fs.readFile(path)
    return new OffsetIndex(fs, path, baseOffset, stored, stored.length % INDEX_ENTRY_SIZE !== 0, undefined)
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

  /** Opens the file for appends (creating it if absent): the index of the active segment. */
  hold(): void {
    this.held ??= new HeldDescriptor(this.fs, this.fs.open(this.path, this.fs.exists(this.path) ? 'r+' : 'wx+'))
  }

  /** No more appends: closes the file, now or after a running sync. The entries stay in memory. */
  release(): void {
    this.held?.release()
    this.held = undefined
  }

  /** Adds an entry; only while held. */
  append(offset: number, position: number): void {
    if (!this.held) throw new Error(`${this.path} is not open for appends`)
    const fd = this.held.fd
    const entry = Buffer.allocUnsafe(INDEX_ENTRY_SIZE)
    entry.writeUInt32BE(offset - this.baseOffset, 0)
    entry.writeUInt32BE(position, 4)
    const at = this.count * INDEX_ENTRY_SIZE
    try {
      writeFully(this.fs, fd, entry, at)
    } catch (err) {
      this.fs.truncate(fd, at)
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
    this.rewriteFile(bytes.subarray(0, entries.length * INDEX_ENTRY_SIZE))
    this.entries = bytes
    this.count = entries.length
    this.torn = false
    this.dirty = true
  }

  async flush(): Promise<void> {
    if (!this.dirty) return
    this.dirty = false
    await (this.held ? this.held.datasync() : datasyncPath(this.fs, this.path))
  }

  private rewriteFile(contents: Buffer): void {
    if (this.held) {
      this.fs.truncate(this.held.fd, 0)
      writeFully(this.fs, this.held.fd, contents, 0)
      return
    }
    const fd = this.fs.open(this.path, 'w')
    try {
      writeFully(this.fs, fd, contents, 0)
    } finally {
      this.fs.close(fd)
    }
  }

  private grow(): void {
    const bigger = Buffer.alloc(this.entries.length * 2)
    this.entries.copy(bigger)
    this.entries = bigger
  }
}
