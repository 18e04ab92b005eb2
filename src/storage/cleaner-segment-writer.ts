/**
 * CleanedSegmentWriter: writes the segment that replaces a group of sealed segments, under the
 * names `<base>.log.cleaned`, `<base>.index.cleaned` and `<base>.timeindex.cleaned` (Kafka's), where
 * <base> is the group's first base offset. Formats are those of every segment (log-segment.ts,
 * offset-index.ts, time-index.ts): batches back to back, and indexes written by the same index rule
 * as appends (index-rule.ts), with the closing time index entry of a sealed segment, so the indexes
 * of the cleaned segment are the ones a rebuild from its log would give.
 *
 * finish() syncs the three files; only then may cleaner-swap.ts rename them. A `.cleaned` file is
 * never read as part of a log: a crash while one is written leaves the old segments in place, and
 * the next open removes it (cleaner-swap.ts).
 */
import {type Fs, writeFully} from './fs.js'
import {applyIndexRule, EMPTY_INDEX_RULE_STATE, type IndexRuleState, pushTimeEntry} from './index-rule.js'
import {indexFilePath, logFilePath, timeIndexFilePath} from './log-file-names.js'
import {datasyncPath} from './fs.js'
import {type IndexEntry, OffsetIndex} from './offset-index.js'
import {readFrameHeader, type BatchFrame} from './stored-batch.js'
import {TimeIndex, type TimeIndexEntry} from './time-index.js'

export const CLEANED_SUFFIX = '.cleaned'

/** The three files of a segment under a suffix (`.cleaned`, `.swap`): log first. */
export function segmentPaths(dir: string, baseOffset: number, suffix = ''): {log: string; index: string; timeIndex: string} {
  return {log: logFilePath(dir, baseOffset) + suffix, index: indexFilePath(dir, baseOffset) + suffix, timeIndex: timeIndexFilePath(dir, baseOffset) + suffix}
}

export class CleanedSegmentWriter {
  readonly paths: {log: string; index: string; timeIndex: string}
  private readonly fd: number
  private position = 0
  private rule: IndexRuleState = EMPTY_INDEX_RULE_STATE
  private readonly entries: IndexEntry[] = []
  private readonly timeEntries: TimeIndexEntry[] = []
  private closed = false

  constructor(
    private readonly fs: Fs,
    dir: string,
    readonly baseOffset: number,
    private readonly indexIntervalBytes: number,
  ) {
    this.paths = segmentPaths(dir, baseOffset, CLEANED_SUFFIX)
    for (const path of Object.values(this.paths)) if (fs.exists(path)) fs.unlink(path)
    this.fd = fs.open(this.paths.log, 'wx+')
  }

  /** Bytes written so far. */
  get size(): number {
    return this.position
  }

  /** Appends one whole, valid batch (its offsets above those before it). */
  append(batch: Buffer): void {
    const frame = readFrameHeader(batch, 0) as BatchFrame
    writeFully(this.fs, this.fd, batch, this.position)
    const step = applyIndexRule(this.rule, {...frame, position: this.position}, this.indexIntervalBytes)
    if (step.offsetEntry) this.entries.push(step.offsetEntry)
    pushTimeEntry(this.timeEntries, step.timeEntry)
    this.rule = step.state
    this.position += batch.length
  }

  /** Writes the indexes and syncs all three files. */
  async finish(): Promise<void> {
    pushTimeEntry(this.timeEntries, this.rule.largest)
    OffsetIndex.load(this.fs, this.paths.index, this.baseOffset).replace(this.entries)
    TimeIndex.load(this.fs, this.paths.timeIndex, this.baseOffset).replace(this.timeEntries)
    await this.fs.datasync(this.fd)
    this.close()
    await datasyncPath(this.fs, this.paths.index)
    await datasyncPath(this.fs, this.paths.timeIndex)
  }

  /** Closes and removes the files: the cleaning was given up. */
  discard(): void {
    this.close()
    for (const path of Object.values(this.paths)) if (this.fs.exists(path)) this.fs.unlink(path)
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    this.fs.close(this.fd)
  }
}
