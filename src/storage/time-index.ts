/**
 * TimeIndex: the sparse map from timestamp to offset inside one segment, Kafka's `.timeindex`.
 *
 * File `<20-digit segment base offset>.timeindex`, a flat array of 12-byte entries, no header:
 *
 *   offset size field
 *        0    8 timestamp       i64, the largest batch maxTimestamp in the segment up to here
 *        8    4 relativeOffset  u32, the baseOffset - the segment's base offset of the first batch
 *                               holding that timestamp
 *
 * Entry (T, O) says: the batch at O is the first in the segment whose maxTimestamp is T, and every
 * batch before it has a smaller one. Entries are added with the offset index's (index-rule.ts),
 * holding the largest timestamp so far, but only when it grew, so both fields strictly increase;
 * and once more when the segment is sealed, so that a sealed segment's last entry holds its largest
 * timestamp. (Kafka's entries name the batch's last offset; these name its base offset, which the
 * offset index locates directly. The meaning of the search is the same.)
 *
 * lookup(T) is a binary search for the last entry with a timestamp at or below T: every batch
 * before its offset is older than T, so the first batch at or after T is found by a scan from there.
 *
 * Like the offset index, it is rebuilt from the log whenever it is missing, torn (size not a
 * multiple of 12), not strictly increasing, names an offset past the segment, or disagrees with the
 * batch an entry names.
 */
import {type Fs} from './fs.js'
import {IndexFile, lastAtOrBelow} from './index-file.js'

export const TIME_INDEX_ENTRY_SIZE = 12

export interface TimeIndexEntry {
  timestamp: number
  /** base offset of the first batch holding `timestamp` */
  offset: number
}

export class TimeIndex {
  private constructor(
    private readonly file: IndexFile,
    readonly baseOffset: number,
  ) {}

  /** A new, empty time index of a new segment, held open for appends. */
  static create(fs: Fs, path: string, baseOffset: number): TimeIndex {
    return new TimeIndex(IndexFile.create(fs, path, TIME_INDEX_ENTRY_SIZE), baseOffset)
  }

  /** Reads the file as it is (absent reads as empty and torn); check isConsistentWith before trusting it. */
  static load(fs: Fs, path: string, baseOffset: number): TimeIndex {
    return new TimeIndex(IndexFile.load(fs, path, TIME_INDEX_ENTRY_SIZE), baseOffset)
  }

  get path(): string {
    return this.file.path
  }

  get entryCount(): number {
    return this.file.entryCount
  }

  entry(i: number): TimeIndexEntry {
    const bytes = this.file.entryBytes(i)
    return {timestamp: Number(bytes.readBigInt64BE(0)), offset: this.baseOffset + bytes.readUInt32BE(8)}
  }

  lastEntry(): TimeIndexEntry | undefined {
    return this.entryCount === 0 ? undefined : this.entry(this.entryCount - 1)
  }

  /**
   * Whether the entries can describe a segment whose batches end before `nextOffset`: the file was
   * whole, both fields strictly increase, and every offset lies in the segment. Whether an entry
   * names the right batch is checked by the segment when it uses one.
   */
  isConsistentWith(nextOffset: number): boolean {
    if (this.file.torn) return false
    let previous: TimeIndexEntry | undefined
    for (let i = 0; i < this.entryCount; i++) {
      const entry = this.entry(i)
      if (entry.offset >= nextOffset) return false
      if (previous && (entry.timestamp <= previous.timestamp || entry.offset <= previous.offset)) return false
      previous = entry
    }
    return true
  }

  /** The last entry whose timestamp is at or below `timestamp`; undefined when there is none (scan from the segment start). */
  lookup(timestamp: number): TimeIndexEntry | undefined {
    const found = lastAtOrBelow(this.entryCount, (i) => Number(this.file.entryBytes(i).readBigInt64BE(0)) <= timestamp)
    return found < 0 ? undefined : this.entry(found)
  }

  hold(): void {
    this.file.hold()
  }

  release(): void {
    this.file.release()
  }

  /** Adds (timestamp, offset) when the timestamp is larger than the last entry's, as the rule requires; only while held. */
  maybeAppend(entry: TimeIndexEntry): void {
    const last = this.lastEntry()
    if (last && entry.timestamp <= last.timestamp) return
    this.file.append(encode(entry, this.baseOffset))
  }

  /** Replaces every entry (an index rebuilt from the log) with one write. */
  replace(entries: readonly TimeIndexEntry[]): void {
    this.file.replace(entries.length, (bytes) => {
      entries.forEach((entry, i) => encode(entry, this.baseOffset).copy(bytes, i * TIME_INDEX_ENTRY_SIZE))
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

function encode(entry: TimeIndexEntry, baseOffset: number): Buffer {
  const bytes = Buffer.allocUnsafe(TIME_INDEX_ENTRY_SIZE)
  bytes.writeBigInt64BE(BigInt(entry.timestamp), 0)
  bytes.writeUInt32BE(entry.offset - baseOffset, 8)
  return bytes
}
