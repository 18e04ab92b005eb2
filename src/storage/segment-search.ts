/**
 * SegmentSearch: finding batches in one segment's .log by offset or by timestamp, guided by its
 * offset index (offset-index.ts) and time index (time-index.ts), then a short scan of the frames
 * (frame-scanner.ts; the .log format is in log-segment.ts); and the scan of batch headers from an
 * offset that producer state is rebuilt from (producer-state-loader.ts).
 *
 * Separate from log-segment.ts, which owns the segment's files, appends, recovery and deletion:
 * searching only reads, and its one repair is to rebuild the indexes when a search proves an entry
 * wrong. Damaged regions (damaged-region.ts) are stepped over and never served.
 */
import {type DamagedRegion, DamagedRegionError} from './damaged-region.js'
import {CorruptLogError} from './errors.js'
import {FrameScanner, type ScannedFrame} from './frame-scanner.js'
import {laterLargest} from './index-rule.js'
import {type IndexEntry} from './offset-index.js'
import {type SegmentDamage} from './segment-damage.js'
import {type SegmentContext, type SegmentIndexes} from './segment-indexes.js'
import {BATCH_HEADER_SIZE} from './stored-batch.js'
import {type TimeIndexEntry} from './time-index.js'

const LOCATE_CHUNK_BYTES = 16 * 1024

/** What a scan from an index entry found: the frame, none before the end, or proof that the index is wrong. */
type ScanResult = ScannedFrame | undefined | 'index-mismatch'

/** What a search reads through: the segment's files, indexes and damage, as they are at the call. */
export interface SearchedSegment {
  context: SegmentContext
  logPath: string
  baseOffset: number
  indexes: SegmentIndexes
  damage: SegmentDamage
  /** the .log's size now */
  size: () => number
  /** runs `read` with a descriptor of the .log (log-segment.ts chooses which) */
  reading: <T>(read: (fd: number) => T) => T
}

export class SegmentSearch {
  constructor(private readonly segment: SearchedSegment) {}

  /** The first batch whose last offset is at or after `offset`, or undefined when the segment ends before it. */
  locate(offset: number): ScannedFrame | undefined {
    return this.searching(`offset ${offset}`, (fd) => {
      const entry = this.segment.indexes.offsets().lookup(offset)
      return this.scanFrom(fd, entry, (frame) => frame.lastOffset >= offset, offset)
    })
  }

  /**
   * The first batch, at or after `minOffset`, whose maxTimestamp is at or after `timestamp`; undefined
   * when there is none. The time index gives where to start, the offset index where that is.
   */
  locateByTimestamp(timestamp: number, minOffset: number): ScannedFrame | undefined {
    const {indexes, baseOffset} = this.segment
    return this.searching(`timestamp ${timestamp}`, (fd) => {
      const named = indexes.times().lookup(timestamp)
      const from = Math.max(named?.offset ?? baseOffset, minOffset)
      let checked = named === undefined || named.offset < minOffset
      return this.scanFrom(fd, indexes.offsets().lookup(from), (frame) => {
        if (!checked && frame.baseOffset >= (named as TimeIndexEntry).offset) {
          checked = true
          if (frame.baseOffset !== named?.offset || frame.maxTimestamp !== named.timestamp) return 'index-mismatch'
        }
        return frame.lastOffset >= minOffset && frame.maxTimestamp >= timestamp
      })
    })
  }

  /** The largest maxTimestamp among the batches that end at or after `offset`, and the first holding it: a scan of the rest of the segment. */
  largestTimestampFrom(offset: number): TimeIndexEntry | undefined {
    const first = this.locate(offset)
    if (!first) return undefined
    return this.segment.reading((fd) => {
      const scanner = new FrameScanner(this.segment.context.fs, fd, first.position, this.segment.size(), {verifyCrc: false})
      let largest: TimeIndexEntry | undefined
      for (let step = scanner.next(); 'frame' in step; step = scanner.next()) {
        largest = laterLargest(largest, {timestamp: step.frame.maxTimestamp, offset: step.frame.baseOffset})
      }
      return largest
    })
  }

  /**
   * Calls `visit` with each batch from the one holding `offset` on, with the file bytes of its
   * header and up to `extra` bytes after it (a view, valid during the call); damaged regions are
   * stepped over (a new one found, kept and reported), as reads do, even one holding `offset`.
   */
  scanHeaders(offset: number, extra: number, visit: (frame: ScannedFrame, bytes: Buffer) => void): void {
    const first = this.startOfScan(offset)
    if (!first) return
    const {context, damage} = this.segment
    this.segment.reading((fd) => {
      const scanner = new FrameScanner(context.fs, fd, first.position, this.segment.size(), {verifyCrc: false})
      let expected = first.baseOffset
      for (;;) {
        const known = damage.at(scanner.nextPosition)
        if (known) {
          scanner.resumeAt(known.end)
          continue
        }
        const step = scanner.next()
        if ('done' in step) return
        if ('defect' in step) {
          scanner.resumeAt(damage.keepAt(fd, step.defect, step.position, expected).end)
          continue
        }
        expected = step.frame.lastOffset + 1
        visit(step.frame, scanner.bytesAt(step.frame.position, Math.min(step.frame.size, BATCH_HEADER_SIZE + extra)))
      }
    })
  }

  /** Where a scan from `offset` starts: the batch holding it, or the end of the damaged region holding it. */
  private startOfScan(offset: number): {position: number; baseOffset: number} | undefined {
    try {
      return this.locate(offset)
    } catch (err) {
      if (!(err instanceof DamagedRegionError)) throw err
      return {position: err.region.end, baseOffset: offset}
    }
  }

  /** Runs an index-guided search; when it proves an index wrong, rebuilds both and searches once more. */
  private searching(what: string, search: (fd: number) => ScanResult): ScannedFrame | undefined {
    const {indexes, logPath, context} = this.segment
    return this.segment.reading((fd) => {
      indexes.check(fd)
      const found = search(fd)
      if (found !== 'index-mismatch') return found
      context.logger(`${logPath}: an index entry used to find ${what} does not point at its batch; rebuilding the indexes`)
      indexes.rebuild(fd)
      const again = search(fd)
      if (again === 'index-mismatch') throw new CorruptLogError(`${logPath}: rebuilt indexes do not match the log`)
      return again
    })
  }

  /**
   * Scans from an offset index entry to the first frame `wanted` accepts; 'index-mismatch' when the
   * entry does not point at its batch or `wanted` finds the time index wrong. Damaged regions are
   * stepped over (a new one found, kept and reported); when `target`, an offset, lies in one (at or
   * above its first offset, below the next batch), DamagedRegionError.
   */
  private scanFrom(fd: number, entry: IndexEntry, wanted: (frame: ScannedFrame) => boolean | 'index-mismatch', target?: number): ScanResult {
    const {damage} = this.segment
    const scanner = new FrameScanner(this.segment.context.fs, fd, entry.position, this.segment.size(), {verifyCrc: false, chunkBytes: LOCATE_CHUNK_BYTES})
    const fromIndexEntry = entry.position > 0
    let expected = fromIndexEntry ? entry.offset : this.segment.baseOffset
    let passed: DamagedRegion | undefined
    const throwIfTargetIn = (nextOffset: number): void => {
      if (passed && target !== undefined && target >= passed.firstOffset && target < nextOffset) throw new DamagedRegionError(passed)
    }
    for (let first = true; ; first = false) {
      const known = damage.at(scanner.nextPosition)
      if (known) {
        passed = known
        scanner.resumeAt(known.end)
        continue
      }
      const step = scanner.next()
      if ('done' in step) {
        throwIfTargetIn(Infinity)
        return undefined
      }
      if ('defect' in step) {
        if (first && fromIndexEntry) return 'index-mismatch'
        passed = damage.keepAt(fd, step.defect, step.position, expected)
        scanner.resumeAt(passed.end)
        continue
      }
      if (first && fromIndexEntry && step.frame.baseOffset !== entry.offset) return 'index-mismatch'
      throwIfTargetIn(step.frame.baseOffset)
      passed = undefined
      expected = step.frame.lastOffset + 1
      const verdict = wanted(step.frame)
      if (verdict !== false) return verdict === true ? step.frame : verdict
    }
  }
}
