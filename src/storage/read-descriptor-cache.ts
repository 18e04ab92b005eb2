/**
 * ReadDescriptorCache: read-only descriptors of sealed segments' .log files, at most `capacity`
 * open at once, the least recently used closed first.
 *
 * A log manager has one, shared by all its partitions, so the descriptors storage holds stay
 * bounded however many segments the logs keep: two per partition for its active segment (.log and
 * .index, held for appends) plus this cache. Reads of an older segment are mostly reads of its
 * tail by a consumer catching up, so a small cache keeps the descriptors that are in use; a miss
 * costs one open.
 *
 * All reads are synchronous, so a descriptor is only "in use" during one `use` call; one that is
 * (a nested use, in a cache smaller than the nesting) is closed after it returns, never during.
 */
import {type Fs} from './fs.js'

export const DEFAULT_READ_DESCRIPTORS = 64

interface Entry {
  fd: number
  users: number
}

export class ReadDescriptorCache {
  /** in use order: the first is the least recently used */
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly fs: Fs,
    readonly capacity: number = DEFAULT_READ_DESCRIPTORS,
  ) {}

  /** Descriptors open now. */
  get size(): number {
    return this.entries.size
  }

  /** Runs `read` with a read-only descriptor of `path`, opening it (and closing the least recently used) if needed. */
  use<T>(path: string, read: (fd: number) => T): T {
    const entry = this.acquire(path)
    try {
      return read(entry.fd)
    } finally {
      entry.users--
      this.closeOverCapacity()
    }
  }

  /** Closes the descriptor of `path`, if open: its segment is closing, or its file about to be removed. */
  forget(path: string): void {
    const entry = this.entries.get(path)
    if (!entry) return
    this.entries.delete(path)
    this.fs.close(entry.fd)
  }

  closeAll(): void {
    for (const path of [...this.entries.keys()]) this.forget(path)
  }

  private acquire(path: string): Entry {
    let entry = this.entries.get(path)
    if (entry) {
      this.entries.delete(path)
    } else {
      this.closeOverCapacity(1)
      entry = {fd: this.fs.open(path, 'r'), users: 0}
    }
    this.entries.set(path, entry)
    entry.users++
    return entry
  }

  /** Closes least recently used descriptors not in use until `room` more fit. */
  private closeOverCapacity(room = 0): void {
    for (const [path, entry] of this.entries) {
      if (this.entries.size + room <= this.capacity) return
      if (entry.users === 0) this.forget(path)
    }
  }
}
