/**
 * LogLoader: opens the segments of one partition directory and brings them to a state that can
 * be appended to, scanning as little as is safe.
 *
 * - After a clean shutdown (the log manager's marker, clean-shutdown.ts), everything was flushed:
 *   only the last segment's tail after its last index entry is read and checked.
 * - Otherwise the bytes before the recovery point (recovery-point-checkpoint.ts) reached the disk;
 *   later ones may be torn or missing. Every segment from the one holding the recovery point on is
 *   recovered: each batch's length, magic, offsets and CRC checked, indexes rebuilt.
 *
 * What a defect means depends on where it is. Where the log holds offsets at or above the recovery
 * point (after a clean shutdown, the log end), it is a torn write: the log is cut there, the later
 * segments removed, and the cut logged. Below it the bytes were flushed and acknowledged: the
 * damage is kept as a region, reported (corruption-log.ts: server log and LogManager.corruptions())
 * and stepped over, so the batches after it stay readable (damaged-region.ts). A last segment
 * ending in damage keeps its offsets: the log end is the recovery point, never below. Only bytes
 * missing at the end of the last segment (a batch torn by the end of the file, or whole batches
 * gone) are cut, and reported: offsets from there to the recovery point were lost.
 *
 * Stray files: an .index or .timeindex without its .log is removed, and so is every `.deleted` file
 * (a segment deleted by retention or DeleteRecords before the process stopped); other names are
 * left alone. First of all, a swap of cleaned segments that a stop interrupted is finished or
 * undone (cleaner-swap.ts).
 *
 * Producer state (producer-state-loader.ts) is rebuilt alongside: the observer sees each segment
 * before it is recovered and each valid batch the recovery walks, so a batch is read once.
 *
 * Segments are opened without descriptors; those that are read or recovered borrow one for the
 * while, and only the last one, which takes the appends, keeps its files open (log-segment.ts).
 */
import {join} from 'node:path'
import {completeSwaps} from './cleaner-swap.js'
import {type Fs} from './fs.js'
import {type ScannedFrame} from './frame-scanner.js'
import {lastAtOrBelow} from './index-file.js'
import {parseSegmentFileName} from './log-file-names.js'
import {LogSegment, type SegmentContext, type SegmentRecovery} from './log-segment.js'
import {type Logger} from './logger.js'
import {CONTROL_KEY_SPAN} from './producer-batch.js'
import {type RecoveryObserver} from './producer-state-loader.js'
import {BATCH_HEADER_SIZE} from './stored-batch.js'

export interface LoadOptions {
  /** the partition directory and what its segments share */
  segments: SegmentContext
  /** every batch below this offset was flushed before the process stopped */
  recoveryPoint: number
  cleanShutdown: boolean
  /** the checkpointed log start offset (0 when none) */
  logStartOffset: number
  /** shown each recovered segment and its valid batches (the producer state rebuild, producer-state-loader.ts) */
  observer?: RecoveryObserver
}

export interface LoadedLog {
  /** sorted by base offset, never empty */
  segments: LogSegment[]
  /** the offset the next append gets */
  logEndOffset: number
  /** segments that may hold bytes not yet on disk: the next flush must sync them */
  unflushed: LogSegment[]
  /** segment files were removed: the directory needs a sync */
  directoryChanged: boolean
}

export function loadLog(options: LoadOptions): LoadedLog {
  const context = options.segments
  const {fs, dir, logger} = context
  const swapped = completeSwaps(fs, dir, logger)
  const names = fs
    .list(dir)
    .filter((entry) => !entry.isDirectory)
    .map((entry) => entry.name)
  const removedStray = removeStrayFiles(fs, dir, names, logger) || swapped
  const bases = segmentBaseOffsets(names)
  if (bases.length === 0) {
    logger(`${dir}: no segments; starting an empty log at offset 0`)
    const segment = LogSegment.create(context, 0)
    return {segments: [segment], logEndOffset: 0, unflushed: [segment], directoryChanged: true}
  }
  const segments: LogSegment[] = []
  try {
    for (const base of bases) segments.push(LogSegment.open(context, base))
    let loaded = options.cleanShutdown
      ? resumeLastSegment(segments, options.recoveryPoint, logger)
      : recoverFrom(segments, options.recoveryPoint, logger, options.observer)
    reportLoss(context, loaded.logEndOffset, options.recoveryPoint)
    if (options.logStartOffset > loaded.logEndOffset) loaded = startAfresh(context, loaded, options.logStartOffset, logger)
    const last = loaded.segments[loaded.segments.length - 1] as LogSegment
    last.activate()
    return {...loaded, directoryChanged: loaded.directoryChanged || removedStray}
  } catch (err) {
    for (const segment of segments) segment.close()
    throw err
  }
}

function resumeLastSegment(segments: LogSegment[], recoveryPoint: number, logger: Logger): LoadedLog {
  const last = segments[segments.length - 1] as LogSegment
  const result = last.resumeAfterCleanShutdown(recoveryPoint)
  if (result.defect) reportCut(last, result.defect, result.truncatedBytes, logger)
  const logEndOffset = endOf(result, recoveryPoint)
  return {segments, logEndOffset, unflushed: result.truncatedBytes > 0 ? [last] : [], directoryChanged: false}
}

function recoverFrom(segments: LogSegment[], recoveryPoint: number, logger: Logger, observer: RecoveryObserver | undefined): LoadedLog {
  const first = Math.max(0, segmentIndexFor(segments, recoveryPoint))
  let logEndOffset = segments[first]?.baseOffset ?? 0
  for (let i = first; i < segments.length; i++) {
    const segment = segments[i] as LogSegment
    observer?.beforeRecovering(segments, segment)
    const onFrame = observer && {frameBytes: BATCH_HEADER_SIZE + CONTROL_KEY_SPAN, visit: (frame: ScannedFrame, bytes: Buffer) => observer.recovered(segment, frame, bytes)}
    const result = segment.recover(recoveryPoint, i === segments.length - 1, onFrame)
    logEndOffset = endOf(result, recoveryPoint)
    if (result.defect) {
      reportCut(segment, result.defect, result.truncatedBytes, logger)
      const dropped = segments.splice(i + 1)
      for (const later of dropped) {
        logger(`${later.logPath}: removed, it follows the cut`)
        later.delete()
      }
      return {segments, logEndOffset, unflushed: segments.slice(first), directoryChanged: dropped.length > 0}
    }
  }
  return {segments, logEndOffset, unflushed: segments.slice(first), directoryChanged: false}
}

/**
 * The offset after a loaded segment. A segment ending in kept damage (below the recovery point)
 * holds, in that damage, the offsets up to the recovery point: they are not given out again.
 */
function endOf(result: SegmentRecovery, recoveryPoint: number): number {
  return result.endsDamaged ? Math.max(result.nextOffset + 1, recoveryPoint) : result.nextOffset
}

/** A log that ends below its recovery point lost flushed batches (its end was cut or removed): said loudly, and listed. */
function reportLoss(context: SegmentContext, logEndOffset: number, recoveryPoint: number): void {
  if (logEndOffset >= recoveryPoint) return
  const lost = `offsets ${logEndOffset}..${recoveryPoint - 1}`
  context.corruption.report(logEndOffset, `missing: the log ends at offset ${logEndOffset}, below its recovery point ${recoveryPoint}; ${lost} were flushed and are lost`)
}

/**
 * A log whose end fell below its log start offset (records deleted by DeleteRecords, then the
 * unflushed tail lost in a crash) holds nothing readable: it starts over, empty, at the log start
 * offset, as Kafka does, so that offsets keep increasing.
 */
function startAfresh(context: SegmentContext, loaded: LoadedLog, logStartOffset: number, logger: Logger): LoadedLog {
  logger(`${context.dir}: log ends at ${loaded.logEndOffset}, below its log start offset ${logStartOffset}; starting it empty at ${logStartOffset}`)
  for (const segment of loaded.segments) segment.delete()
  const segment = LogSegment.create(context, logStartOffset)
  return {segments: [segment], logEndOffset: logStartOffset, unflushed: [segment], directoryChanged: true}
}

/** Index of the last segment whose base offset is at or below `offset`; -1 when all are above it. */
export function segmentIndexFor(segments: readonly LogSegment[], offset: number): number {
  return lastAtOrBelow(segments.length, (i) => (segments[i] as LogSegment).baseOffset <= offset)
}

/** A torn tail is the expected trace of a crash; any other defect above the recovery point is named as corruption too, and what followed it is lost. */
function reportCut(segment: LogSegment, defect: {kind: string; position: number}, truncatedBytes: number, logger: Logger): void {
  const what = defect.kind === 'torn' ? 'torn batch' : `CORRUPT batch (${defect.kind})`
  logger(`${segment.logPath}: ${what} at byte ${defect.position}; truncated ${truncatedBytes} bytes from there to the end, with any batches in them`)
}

function segmentBaseOffsets(names: string[]): number[] {
  const bases: number[] = []
  for (const name of names) {
    const parsed = parseSegmentFileName(name)
    if (parsed?.kind === 'log' && !parsed.deleted) bases.push(parsed.baseOffset)
  }
  return bases.sort((a, b) => a - b)
}

/** Removes indexes without their log and files of deleted segments; returns whether it removed any. */
function removeStrayFiles(fs: Fs, dir: string, names: string[], logger: Logger): boolean {
  const logs = new Set(segmentBaseOffsets(names))
  let removed = false
  for (const name of names) {
    const parsed = parseSegmentFileName(name)
    if (!parsed || (parsed.kind === 'log' && !parsed.deleted) || (!parsed.deleted && logs.has(parsed.baseOffset))) continue
    logger(`${join(dir, name)}: ${parsed.deleted ? 'file of a deleted segment' : 'index without a log'}; removed`)
    fs.unlink(join(dir, name))
    removed = true
  }
  return removed
}
