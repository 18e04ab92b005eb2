/**
 * Rebuilds a partition's producer state at open (Kafka's rebuildProducerState): the newest
 * snapshot at or below the recovery point (producer-snapshot.ts), then every batch from its offset
 * to the log end, header by header: no record is decoded, a control batch's marker type is read
 * from its one key.
 *
 * The snapshot must lie at or below the recovery point: above it, the log it describes may have
 * been cut after a crash. Should the log still end below it (flushed batches lost), the state is
 * rebuilt from an older snapshot. Snapshots above the log end are removed. Without a snapshot the
 * scan starts at the first segment: slower, never wrong.
 *
 * Each batch is read once: the segments log-loader.ts recovers (every batch CRC-checked) are
 * observed as they are walked (observe), as Kafka rebuilds producer state while recovering; the
 * batches between the snapshot and the first recovered segment, and after the last one (a clean
 * shutdown recovers nothing), are scanned (LogSegment.scanHeaders) before and after.
 *
 * The aborted-transaction indexes of that range are rebuilt on the way: entries whose marker is at
 * or after the snapshot's offset are removed first, then written again for each ABORT met, so a
 * .txnindex missing entries (a crash before it was flushed) or holding those of a cut tail comes
 * out right.
 */
import {CorruptLogError} from './errors.js'
import {type ScannedFrame} from './frame-scanner.js'
import {type LogSegment} from './log-segment.js'
import {type Logger} from './logger.js'
import {CONTROL_KEY_SPAN, NO_PRODUCER_ID, readProducerBatch} from './producer-batch.js'
import {type ProducerSnapshots} from './producer-snapshot.js'
import {type ProducerStateManager} from './producer-state.js'
import {PRODUCER_ID_AT} from './stored-batch.js'

/** What log-loader.ts tells the rebuild while it recovers segments. */
export interface RecoveryObserver {
  /** `segments` (sorted) are open; `segment` is about to be recovered from its start */
  beforeRecovering(segments: readonly LogSegment[], segment: LogSegment): void
  /** a valid batch of `segment`, with its header and up to CONTROL_KEY_SPAN bytes after it */
  recovered(segment: LogSegment, frame: ScannedFrame, bytes: Buffer): void
}

export class ProducerStateRebuild implements RecoveryObserver {
  /** the offset the state is built up to: the next batch applied must start here or above */
  private position = 0
  private snapshotOffset: number | undefined
  private started = false
  private batches = 0

  constructor(
    private readonly state: ProducerStateManager,
    private readonly snapshots: ProducerSnapshots,
    private readonly recoveryPoint: number,
    private readonly logger: Logger,
  ) {}

  beforeRecovering(segments: readonly LogSegment[], segment: LogSegment): void {
    this.start(segments, this.recoveryPoint)
    this.scanUpTo(segments, segment.baseOffset)
  }

  recovered(segment: LogSegment, frame: ScannedFrame, bytes: Buffer): void {
    if (frame.baseOffset < this.position) return
    this.apply(segment, frame, bytes)
  }

  /** After the loader: the rest of the log, scanned; returns what was done, for the log line. */
  finish(segments: readonly LogSegment[], logEndOffset: number): {snapshotOffset: number | undefined; batches: number} {
    this.snapshots.removeAbove(logEndOffset)
    if (this.started && (this.snapshotOffset ?? 0) > logEndOffset) this.started = false
    this.start(segments, Math.min(this.recoveryPoint, logEndOffset))
    this.scanUpTo(segments, logEndOffset)
    return {snapshotOffset: this.snapshotOffset, batches: this.batches}
  }

  /** Loads the newest snapshot at or below `maxOffset` (once) and clears the transaction index entries the rebuild will write again. */
  private start(segments: readonly LogSegment[], maxOffset: number): void {
    if (this.started) return
    this.started = true
    this.snapshots.removeTemporary()
    const snapshot = this.snapshots.latestAtOrBelow(maxOffset)
    this.state.load(snapshot?.entries ?? [])
    this.snapshotOffset = snapshot?.offset
    this.position = snapshot?.offset ?? (segments[0]?.baseOffset ?? 0)
    this.batches = 0
    segments.forEach((segment, i) => {
      const next = segments[i + 1]
      if (next === undefined || next.baseOffset > this.position) segment.transactions.truncateTo(this.position)
    })
  }

  /** Applies the batches from the current position up to `end` (exclusive), read from the segments' headers. */
  private scanUpTo(segments: readonly LogSegment[], end: number): void {
    segments.forEach((segment, i) => {
      const next = segments[i + 1]
      if (this.position >= end || segment.baseOffset >= end || (next !== undefined && next.baseOffset <= this.position)) return
      try {
        segment.scanHeaders(Math.max(this.position, segment.baseOffset), CONTROL_KEY_SPAN, (frame, bytes) => {
          if (frame.baseOffset >= this.position && frame.baseOffset < end) this.apply(segment, frame, bytes)
        })
      } catch (err) {
        // Damage where the scan starts is reported by the corruption log; the log still opens.
        if (!(err instanceof CorruptLogError)) throw err
        this.logger(`${segment.logPath}: producer state misses what the damage at offset ${this.position} holds: ${err.message}`)
      }
    })
    this.position = Math.max(this.position, end)
  }

  private apply(segment: LogSegment, frame: ScannedFrame, bytes: Buffer): void {
    this.position = frame.lastOffset + 1
    if (bytes.readBigInt64BE(PRODUCER_ID_AT) === NO_PRODUCER_ID) return
    const batch = readProducerBatch(bytes)
    // what the coordinator wrote is a well-formed marker; a control batch that is not one ends no transaction
    if (typeof batch === 'string') return
    this.batches++
    const completed = this.state.update(batch, frame.baseOffset, frame.lastOffset)
    if (completed?.aborted) {
      const {producerId, firstOffset, lastOffset} = completed
      segment.transactions.append({producerId, firstOffset, lastOffset, lastStableOffset: this.state.lastStableOffsetAfter(completed)})
    }
  }
}

/** For the log line after a load: where the state came from. */
export function describeRebuild(name: string, result: {snapshotOffset: number | undefined; batches: number}, producers: number, logger: Logger): void {
  if (result.batches === 0 && result.snapshotOffset !== undefined) return
  const from = result.snapshotOffset === undefined ? 'no snapshot' : `the snapshot at ${result.snapshotOffset}`
  logger(`${name}: producer state from ${from} and ${result.batches} producer batches after it: ${producers} producers`)
}
