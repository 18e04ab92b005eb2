/**
 * LogCleaner: compaction of the logs whose cleanup.policy includes compact (Kafka's log cleaner):
 * keeps the latest record of each key in the sealed segments, never touching the active one.
 *
 * Why here, in storage: the design puts the log cleaner in src/storage, and a cleaning replaces
 * segment files, which only storage may do. It is the one part of storage that reads records, so it
 * carries its own minimal RecordBatch v2 record reader (cleaner-records.ts) instead of importing
 * src/protocol, and receives the compression codecs through an interface (cleaner-compression.ts).
 *
 * One cleaning of a log (cleanLog), when cleaner-plan.ts says it is due:
 *   1. the offset map (cleaner-offset-map.ts) is filled from the dirty part, batch by batch, with
 *      each key's latest offset, until the dirty part ends or the map is full;
 *   2. the sealed segments below where the map ended are cut into groups of consecutive segments
 *      whose sizes add up to at most segment.bytes, and each group is rewritten into one segment
 *      (cleaner-batch-filter.ts decides what each batch keeps; cleaner-segment-writer.ts writes it)
 *      and swapped in (cleaner-swap.ts), crash safe;
 *   3. the first dirty offset moves to where the map ended (the cleaner-offset-checkpoint).
 *
 * Memory: the offset map's fixed buffer (cleanerBufferBytes, allocated once), one chunk of 1 MiB
 * for reading (cleaner-batch-reader.ts), one batch decompressed and its rewrite, and the index
 * entries of the segment being written (20 bytes per index.interval.bytes). Nothing grows with the
 * number of keys or the size of the log.
 *
 * Transactions (cleaner-transactions.ts): the cleaner stays below the last stable offset, drops the
 * batches of aborted transactions, and keeps each marker while a batch of its transaction is left,
 * then until its delete horizon.
 *
 * A cleaning swaps segments under the log's segment lock (PartitionLog.changeSegments), so
 * retention and DeleteRecords never see half of a swap; a log that closes meanwhile keeps its old
 * segments. A damaged batch stops the cleaning of its log (logged); the next pass tries again.
 */
import {canOpen, filterBatch, type FilterContext, isControlBatch, openBatch, recordCount} from './cleaner-batch-filter.js'
import {forEachStoredBatch} from './cleaner-batch-reader.js'
import {type RecordCompression} from './cleaner-compression.js'
import {OffsetMap} from './cleaner-offset-map.js'
import {CleanerTransactions} from './cleaner-transactions.js'
import {type CleaningPlan, planCleaning} from './cleaner-plan.js'
import {recordKey} from './cleaner-records.js'
import {CleanedSegmentWriter} from './cleaner-segment-writer.js'
import {commitCleaned, discardSwap, swapIn} from './cleaner-swap.js'
import {type LogConfig} from './log-config.js'
import {type LogSegment, type SegmentContext} from './log-segment.js'
import {type Logger} from './logger.js'
import {MAX_RELATIVE_OFFSET} from './offset-index.js'

/** Default size of the offset map: 32 MiB, about 1.26 million keys per cleaning. */
export const DEFAULT_CLEANER_BUFFER_BYTES = 32 * 1024 * 1024

/** What the cleaner needs of a partition log (PartitionLog.cleanable()). */
export interface CleanableLog {
  readonly name: string
  /** the live list of segments, the active one last: a swap changes it in place */
  readonly segments: LogSegment[]
  readonly context: SegmentContext
  readonly config: LogConfig
  readonly logStartOffset: number
  readonly logEndOffset: number
  /** the first offset of the earliest open transaction, else the log end: the cleaner stays below it */
  readonly lastStableOffset: number
  /** everything below it is on disk (taken when the log was handed over, like the offsets above) */
  readonly recoveryPoint: number
  isOpen(): boolean
  /** runs `change` with no other change of the segments (retention, DeleteRecords, a swap) under way */
  changeSegments<T>(change: () => Promise<T>): Promise<T>
  /** removes files renamed `.deleted` after file.delete.delay.ms */
  removeRenamed(paths: string[]): void
}

/** What one cleaning did. */
export interface CleaningReport {
  log: string
  reason: CleaningPlan['reason']
  bytesRead: number
  bytesWritten: number
  segmentsBefore: number
  segmentsAfter: number
  /** the first dirty offset after the cleaning */
  cleanedUpTo: number
}

/** Where a log's cleaning stands between cleanings: its checkpoint and its tombstones' earliest delete horizon. */
export interface CleanerState {
  firstDirtyOffset?: number
  deleteHorizon?: number
}

export class LogCleaner {
  private map: OffsetMap | undefined
  private warnedCompressed = new WeakSet<object>()
  private halted = false

  constructor(
    private readonly bufferBytes: number,
    private readonly compression: RecordCompression | undefined,
    private readonly logger: Logger,
  ) {}

  /** Stops cleanings under way after the group they are writing (the log manager is closing). */
  halt(): void {
    this.halted = true
  }

  /** Cleans `log` when cleaner-plan.ts says it is due; updates `state`; the report, or undefined when nothing was due. */
  async cleanLog(log: CleanableLog, state: CleanerState, now: number): Promise<CleaningReport | undefined> {
    const segments = log.segments
    const plan = planCleaning({...log, segments, checkpoint: state.firstDirtyOffset, deleteHorizon: state.deleteHorizon, now})
    if (!plan) return undefined
    const map = (this.map ??= new OffsetMap(this.bufferBytes))
    const endOffset = await this.buildMap(log, map, plan)
    const transactions = new CleanerTransactions(segments)
    const context: FilterContext = {map, reach: endOffset - 1, now, deleteRetentionMs: log.config.deleteRetentionMs, compression: this.compression, transactions}
    const report: CleaningReport = {log: log.name, reason: plan.reason, bytesRead: 0, bytesWritten: 0, segmentsBefore: segments.length, segmentsAfter: 0, cleanedUpTo: endOffset}
    let deleteHorizon: number | undefined
    for (const group of groupSegments(segments, endOffset, log.config.segmentBytes)) {
      if (!log.isOpen() || this.halted) return undefined
      const {swapped, horizon} = await this.cleanGroup(log, group, context, report)
      // Retention or DeleteRecords changed the group meanwhile: what is left of it was not cleaned, so
      // the state stays where it was and the next pass starts over (Kafka aborts the same way).
      if (!swapped) return undefined
      if (horizon !== undefined) deleteHorizon = Math.min(deleteHorizon ?? horizon, horizon)
    }
    report.segmentsAfter = log.segments.length
    state.firstDirtyOffset = endOffset
    state.deleteHorizon = deleteHorizon
    this.logger(
      `${log.name}: cleaned up to offset ${endOffset} (${plan.reason}): ${report.bytesRead} bytes in ${report.segmentsBefore} segments -> ${report.bytesWritten} bytes in ${report.segmentsAfter}`,
    )
    return report
  }

  /** Fills the map from the dirty part; returns the offset after the last batch it took. */
  private async buildMap(log: CleanableLog, map: OffsetMap, plan: CleaningPlan): Promise<number> {
    map.clear()
    let end = plan.firstDirtyOffset
    let full = false
    const segments = log.segments
    const transactions = new CleanerTransactions(segments)
    for (let i = 0; i < segments.length - 1 && !full; i++) {
      const segment = segments[i] as LogSegment
      if (segment.baseOffset >= plan.firstUncleanableOffset) break
      if ((segments[i + 1] as LogSegment).baseOffset <= plan.firstDirtyOffset) continue
      await forEachStoredBatch(log.context.fs, segment.logPath, segment.size, async (batch, frame) => {
        if (frame.lastOffset < plan.firstDirtyOffset) return
        if (!isControlBatch(batch) && transactions.isAborted(batch, frame.baseOffset)) {
          end = frame.lastOffset + 1
          return undefined
        }
        if (!isControlBatch(batch) && canOpen(batch, this.compression)) {
          if (map.size + recordCount(batch) > map.capacity) {
            if (map.size === 0) throw new Error(`a batch of ${recordCount(batch)} records does not fit the offset map (${map.capacity} keys)`)
            full = true
            return 'stop'
          }
          const {data, table} = await openBatch(batch, this.compression)
          for (let r = 0; r < table.count; r++) {
            const offset = frame.baseOffset + (table.offsetDelta[r] as number)
            if ((table.keyLength[r] as number) >= 0 && offset >= plan.firstDirtyOffset) map.put(recordKey(data, table, r), offset)
          }
        } else if (!isControlBatch(batch)) {
          this.warnCompressed(log)
        }
        end = frame.lastOffset + 1
        return undefined
      })
    }
    return end
  }

  /**
   * Rewrites one group into a cleaned segment and swaps it in, unless the group changed meanwhile;
   * says whether it did, and the earliest delete horizon of the tombstones it kept.
   */
  private async cleanGroup(log: CleanableLog, group: LogSegment[], context: FilterContext, report: CleaningReport):
    Promise<{swapped: boolean; horizon: number | undefined}> {
    const {fs, dir} = log.context
    const base = (group[0] as LogSegment).baseOffset
    const writer = new CleanedSegmentWriter(fs, dir, base, log.context.indexIntervalBytes)
    let horizon: number | undefined
    try {
      for (const segment of group) {
        report.bytesRead += segment.size
        await forEachStoredBatch(fs, segment.logPath, segment.size, async (batch) => {
          if (!canOpen(batch, context.compression)) this.warnCompressed(log)
          const filtered = await filterBatch(batch, context)
          if (filtered.bytes) writer.append(filtered.bytes)
          if (filtered.deleteHorizon !== undefined) horizon = Math.min(horizon ?? filtered.deleteHorizon, filtered.deleteHorizon)
        })
      }
      await writer.finish()
    } catch (err) {
      writer.discard()
      throw err
    }
    let swapped = false
    await log.changeSegments(async () => {
      const at = log.segments.indexOf(group[0] as LogSegment)
      const intact = log.isOpen() && at >= 0 && group.every((segment, i) => log.segments[at + i] === segment)
      if (!intact) return writer.discard()
      await commitCleaned(fs, dir, base)
      if (!log.isOpen()) return discardSwap(fs, dir, base)
      log.removeRenamed(swapIn(log.context, log.segments, at, group.length))
      await fs.syncDir(dir)
      swapped = true
    })
    if (swapped) report.bytesWritten += writer.size
    return {swapped, horizon}
  }

  private warnCompressed(log: CleanableLog): void {
    if (this.warnedCompressed.has(log)) return
    this.warnedCompressed.add(log)
    this.logger(`${log.name}: compressed batches are kept whole: no compression codecs were given to storage`)
  }
}

/**
 * The sealed segments below `endOffset`, in groups of consecutive segments whose sizes add up to at
 * most `maxBytes` and whose offsets fit one segment's relative offsets (Kafka's groupSegmentsBySize).
 */
export function groupSegments(segments: readonly LogSegment[], endOffset: number, maxBytes: number): LogSegment[][] {
  const groups: LogSegment[][] = []
  let group: LogSegment[] = []
  let bytes = 0
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = segments[i] as LogSegment
    if (segment.baseOffset >= endOffset) break
    const next = (segments[i + 1] as LogSegment).baseOffset
    const first = group[0]
    if (first && (bytes + segment.size > maxBytes || next - 1 - first.baseOffset > MAX_RELATIVE_OFFSET)) {
      groups.push(group)
      group = []
      bytes = 0
    }
    group.push(segment)
    bytes += segment.size
  }
  if (group.length > 0) groups.push(group)
  return groups
}
