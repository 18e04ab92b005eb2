/**
 * Walks over the batch frames of one segment's .log, from a position to the end, applying the
 * index rule (index-rule.ts): what recovery, index checks and index rebuilds read. At a frame that
 * is not whole and valid (frame-scanner.ts) or whose offsets do not increase, the damage handling
 * decides (damaged-region.ts): step over it as a damaged region and go on, or stop there. Known
 * regions are stepped over; their bytes count towards index.interval.bytes, and they get no entry.
 */
import {type DamagedRegion, type DamageHandling} from './damaged-region.js'
import {DEFAULT_SCAN_CHUNK_BYTES, FrameScanner, type ScanDefect, type ScannedFrame} from './frame-scanner.js'
import {type Fs} from './fs.js'
import {applyIndexRule, EMPTY_INDEX_RULE_STATE, type IndexRuleState, pushTimeEntry} from './index-rule.js'
import {type IndexEntry} from './offset-index.js'
import {type TimeIndexEntry} from './time-index.js'

export type RecoveryDefect = ScanDefect | 'offset-not-increasing'

/** The frames from a start position to the end of the log, and the index entries they call for. */
export interface Walk {
  entries: IndexEntry[]
  timeEntries: TimeIndexEntry[]
  first: ScannedFrame | undefined
  nextOffset: number
  /** position after the last valid frame or kept damaged region: where the walk stopped (the file size when nothing stopped it) */
  end: number
  /** the damaged regions stepped over, in order */
  regions: DamagedRegion[]
  /** the index rule's state after the last frame walked */
  rule: IndexRuleState
  defect?: {kind: RecoveryDefect; position: number}
}

export interface WalkOptions {
  fs: Fs
  fd: number
  /** where to start: the segment start, or an offset index entry */
  start: IndexEntry
  /** the .log file's size */
  end: number
  verifyCrc: boolean
  indexIntervalBytes: number
  /** without it, the walk stops at the first defect */
  damage?: DamageHandling
  /** called with each valid batch and the bytes of its header and up to `frameBytes` - 61 after it (producer state at recovery) */
  onFrame?: {frameBytes: number; visit: (frame: ScannedFrame, bytes: Buffer) => void}
}

/**
 * Walks from `start`, the index rule starting fresh there (as it is right after an entry). Time
 * entries are collected from that point on; a walk from the segment start yields the whole index.
 */
export function walkSegment(options: WalkOptions): Walk {
  const {fs, fd, start, end, damage} = options
  const scanner = new FrameScanner(fs, fd, start.position, end, {verifyCrc: options.verifyCrc, chunkBytes: DEFAULT_SCAN_CHUNK_BYTES})
  const walk: Walk = {entries: [], timeEntries: [], first: undefined, nextOffset: start.offset, end: start.position, regions: [], rule: EMPTY_INDEX_RULE_STATE}
  const stepOver = (region: DamagedRegion): void => {
    walk.regions.push(region)
    walk.rule = {...walk.rule, bytesSinceLastEntry: walk.rule.bytesSinceLastEntry + region.end - region.position}
    walk.end = region.end
    scanner.resumeAt(region.end)
  }
  for (;;) {
    const known = damage?.known(scanner.nextPosition)
    if (known) {
      stepOver(known)
      continue
    }
    const step = scanner.next()
    if ('done' in step) return walk
    const defect = 'defect' in step ? step.defect : step.frame.baseOffset < walk.nextOffset ? 'offset-not-increasing' : undefined
    if (defect !== undefined) {
      const position = 'defect' in step ? step.position : step.frame.position
      const region = damage?.onDefect(defect, position, walk.nextOffset)
      if (!region) return {...walk, defect: {kind: defect, position}}
      stepOver(region)
      continue
    }
    const frame = (step as {frame: ScannedFrame}).frame
    const applied = applyIndexRule(walk.rule, frame, options.indexIntervalBytes)
    if (applied.offsetEntry) walk.entries.push(applied.offsetEntry)
    pushTimeEntry(walk.timeEntries, applied.timeEntry)
    walk.rule = applied.state
    walk.nextOffset = frame.lastOffset + 1
    walk.end = frame.position + frame.size
    walk.first ??= frame
    options.onFrame?.visit(frame, scanner.bytesAt(frame.position, Math.min(frame.size, options.onFrame.frameBytes)))
  }
}

/** The time index entries of a whole segment walk, with the closing entry a sealed segment has: its largest timestamp. */
export function sealedTimeEntries(walk: Walk): TimeIndexEntry[] {
  const entries = [...walk.timeEntries]
  pushTimeEntry(entries, walk.rule.largest)
  return entries
}
