/**
 * IndexFile: a flat file of fixed-size entries, no header, and its copy in memory, for the two
 * per-segment indexes (offset-index.ts: 8-byte entries; time-index.ts: 12-byte entries). It knows
 * nothing of what an entry means; the index that owns it encodes and checks entries.
 *
 * The file is read once, when the index is loaded; lookups use the memory copy. Only the active
 * segment's indexes hold a descriptor, for their appends; a sealed index opens its file just for the
 * call that rewrites or syncs it. A file whose size is not a whole number of entries (cut by a crash
 * or by hand), or that is absent, loads as `torn`: its owner rebuilds it from the log.
 */
import {datasyncPath, type Fs, writeFully} from './fs.js'
import {HeldDescriptor} from './held-descriptor.js'

const INITIAL_CAPACITY = 64

export class IndexFile {
  private bytes: Buffer
  private count: number
  private dirty = false

  private constructor(
    private readonly fs: Fs,
    readonly path: string,
    readonly entrySize: number,
    stored: Buffer,
    /** the file was absent or its size was not a whole number of entries */
    private tornFile: boolean,
    /** the descriptor appends go through, while the segment is active */
    private held: HeldDescriptor | undefined,
  ) {
    this.count = Math.floor(stored.length / entrySize)
    this.bytes = Buffer.alloc(Math.max(this.count * 2, INITIAL_CAPACITY) * entrySize)
    stored.copy(this.bytes, 0, 0, this.count * entrySize)
  }

  /** A new, empty file, held open for appends; a file of that name can only be a stray, and is replaced. */
  static create(fs: Fs, path: string, entrySize: number): IndexFile {
    return new IndexFile(fs, path, entrySize, Buffer.alloc(0), false, new HeldDescriptor(fs, fs.open(path, 'w')))
  }

  /** The file as it is; absent reads as empty and torn. */
  static load(fs: Fs, path: string, entrySize: number): IndexFile {
    if (!fs.exists(path)) return new IndexFile(fs, path, entrySize, Buffer.alloc(0), true, undefined)
    const stored = fs.readFile(path)
    return new IndexFile(fs, path, entrySize, stored, stored.length % entrySize !== 0, undefined)
  }

  get entryCount(): number {
    return this.count
  }

  get torn(): boolean {
    return this.tornFile
  }

  /** The memory copy of entry `i`'s bytes (valid until the next append or replace). */
  entryBytes(i: number): Buffer {
    return this.bytes.subarray(i * this.entrySize, (i + 1) * this.entrySize)
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

  /** Adds an entry (`entrySize` bytes) at the end; only while held. A failed write is cut off again. */
  append(entry: Buffer): void {
    if (!this.held) throw new Error(`${this.path} is not open for appends`)
    const fd = this.held.fd
    const at = this.count * this.entrySize
    try {
      writeFully(this.fs, fd, entry, at)
    } catch (err) {
      this.fs.truncate(fd, at)
      throw err
    }
    if (at + this.entrySize > this.bytes.length) this.grow()
    entry.copy(this.bytes, at)
    this.count++
    this.dirty = true
  }

  /** Drops the entries from `count` on (an append that failed after them is being undone); only while held. */
  truncateTo(count: number): void {
    if (count >= this.count) return
    if (!this.held) throw new Error(`${this.path} is not open for appends`)
    this.fs.truncate(this.held.fd, count * this.entrySize)
    this.count = count
  }

  /** Replaces every entry with `count` entries encoded by `encode` into their slots, with one write. */
  replace(count: number, encode: (bytes: Buffer) => void): void {
    const bytes = Buffer.alloc(Math.max(count * 2, INITIAL_CAPACITY) * this.entrySize)
    encode(bytes)
    this.rewriteFile(bytes.subarray(0, count * this.entrySize))
    this.bytes = bytes
    this.count = count
    this.tornFile = false
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
    const bigger = Buffer.alloc(this.bytes.length * 2)
    this.bytes.copy(bigger)
    this.bytes = bigger
  }
}

/** The last of `count` entries for which `atOrBelow(i)` holds, when it holds for a prefix of them; -1 when for none. */
export function lastAtOrBelow(count: number, atOrBelow: (i: number) => boolean): number {
  let low = 0
  let high = count - 1
  let found = -1
  while (low <= high) {
    const middle = (low + high) >>> 1
    if (atOrBelow(middle)) {
      found = middle
      low = middle + 1
    } else {
      high = middle - 1
    }
  }
  return found
}
