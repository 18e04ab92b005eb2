/**
 * LogProducers: the exactly-once side of a partition log: its producer state (producer-state.ts),
 * snapshots (producer-snapshot.ts), the last stable offset and the aborted-transaction indexes of
 * its segments (transaction-index.ts). No bytes of the log are written here; partition-log.ts calls
 * in around each append, roll, deletion and close.
 *
 * At open the state is the newest snapshot at or below the recovery point (and the log end) plus a
 * scan of the batch headers after it (producer-state-loader.ts), which also rebuilds the .txnindex
 * entries of the scanned range. Snapshots above the log end are removed (their log was cut), and
 * so are those below the first segment when segments are deleted.
 */
import {type LogSegment} from './log-segment.js'
import {type Logger} from './logger.js'
import {type BatchMetadata} from './producer-append.js'
import {InvalidBatchError} from './errors.js'
import {NO_PRODUCER_ID, type ProducerBatch, readProducerBatch} from './producer-batch.js'
import {type ActiveProducer, DEFAULT_PRODUCER_ID_EXPIRATION_MS, ProducerStateManager} from './producer-state.js'
import {describeRebuild, ProducerStateRebuild} from './producer-state-loader.js'
import {ProducerSnapshots} from './producer-snapshot.js'
import {type Fs} from './fs.js'
import {type TimestampType} from './log-config.js'
import {type AppendOrigin, type AppendResult} from './partition-log-types.js'
import {PRODUCER_ID_AT} from './stored-batch.js'

/** An aborted transaction as a read_committed fetch answers it. */
export interface AbortedTransaction {
  producerId: bigint
  firstOffset: number
}

/** What the check before an append found: a retry of a cached batch, or the producer fields to apply after. */
export type ProducerCheck = {duplicate: BatchMetadata} | {batch: ProducerBatch | undefined}

export class LogProducers {
  readonly state: ProducerStateManager
  private readonly snapshots: ProducerSnapshots

  constructor(
    fs: Fs,
    dir: string,
    private readonly name: string,
    private readonly logger: Logger,
    private readonly expirationMs: number = DEFAULT_PRODUCER_ID_EXPIRATION_MS,
  ) {
    this.state = new ProducerStateManager(name)
    this.snapshots = new ProducerSnapshots(fs, dir, logger)
  }

  /**
   * The rebuild of the state of a log being opened (producer-state-loader.ts): the log loader
   * feeds it the batches it recovers; finishLoad() then reads the rest.
   */
  rebuild(recoveryPoint: number): ProducerStateRebuild {
    return new ProducerStateRebuild(this.state, this.snapshots, recoveryPoint, this.logger)
  }

  /** Completes a rebuild once the log is loaded. */
  finishLoad(rebuild: ProducerStateRebuild, segments: readonly LogSegment[], logEndOffset: number): void {
    describeRebuild(this.name, rebuild.finish(segments, logEndOffset), this.state.producerCount, this.logger)
  }

  /**
   * Before a batch (one whole frame, producer fields not yet acted on) is written: its producer
   * fields to apply once written, a duplicate to answer instead, or the refusal thrown.
   */
  check(batch: Buffer, origin: AppendOrigin): ProducerCheck {
    if (batch.readBigInt64BE(PRODUCER_ID_AT) === NO_PRODUCER_ID) return {batch: undefined}
    const fields = readProducerBatch(batch)
    if (typeof fields === 'string') throw new InvalidBatchError(`control batch: ${fields}`)
    const duplicate = this.state.check(fields, origin)
    return duplicate === undefined ? {batch: fields} : {duplicate}
  }

  /**
   * After `batch` was written to `segment` at [firstOffset, lastOffset]: the state follows; an ABORT
   * is indexed, in memory until the segment's next flush (transaction-index.ts): no I/O here.
   */
  appended(batch: ProducerBatch, firstOffset: number, lastOffset: number, segment: LogSegment): void {
    const completed = this.state.update(batch, firstOffset, lastOffset)
    if (completed?.aborted) {
      const {producerId, firstOffset: first, lastOffset: last} = completed
      segment.transactions.add({producerId, firstOffset: first, lastOffset: last, lastStableOffset: this.state.lastStableOffsetAfter(completed)})
    }
  }

  lastStableOffset(logEndOffset: number): number {
    return this.state.lastStableOffset(logEndOffset)
  }

  /**
   * The aborted transactions overlapping [fetchOffset, upperBoundOffset), from the transaction
   * indexes of the segment holding fetchOffset and those after it (Kafka's collectAbortedTransactions).
   */
  abortedTransactions(segments: readonly LogSegment[], fetchOffset: number, upperBoundOffset: number): AbortedTransaction[] {
    const found: AbortedTransaction[] = []
    for (let i = firstSegmentFor(segments, fetchOffset); i < segments.length; i++) {
      const collected = (segments[i] as LogSegment).transactions.collect(fetchOffset, upperBoundOffset)
      for (const txn of collected.found) found.push({producerId: txn.producerId, firstOffset: txn.firstOffset})
      if (collected.complete) break
    }
    return found
  }

  activeProducers(): ActiveProducer[] {
    return this.state.activeProducers()
  }

  /** Forgets producers idle past producer.id.expiration.ms without an open transaction. */
  removeExpired(now: number): void {
    const removed = this.state.removeExpired(now, this.expirationMs)
    if (removed > 0) this.logger(`${this.name}: ${removed} producer(s) idle for ${this.expirationMs} ms forgotten`)
  }

  /**
   * Kafka's snapshot at each roll, of the state below the new segment's base offset: an open after
   * a crash scans from here at most. A failure costs that open a longer scan, nothing else.
   */
  snapshotAtRoll(baseOffset: number): void {
    try {
      this.snapshots.write(baseOffset, this.state.entries())
    } catch (err) {
      this.logger(`${this.name}: producer snapshot at ${baseOffset} failed: ${(err as Error).message}`)
    }
  }

  /** The snapshot at close, of the state below the log end, synced: the next open scans nothing. */
  async snapshotAtClose(logEndOffset: number): Promise<void> {
    try {
      this.snapshots.write(logEndOffset, this.state.entries())
      await this.snapshots.sync(logEndOffset)
    } catch (err) {
      this.logger(`${this.name}: producer snapshot at close failed: ${(err as Error).message}`)
    }
  }

  /** The segments below `firstBaseOffset` were deleted: so are their snapshots. */
  segmentsDeletedBelow(firstBaseOffset: number): void {
    this.snapshots.removeBelow(firstBaseOffset)
  }
}

/** A retried batch's answer: the offsets it was first written at (and for LogAppendTime, its time); nothing is written. */
export function duplicateResult(original: BatchMetadata, timestampType: TimestampType): AppendResult {
  const logAppendTime = timestampType === 'LogAppendTime' ? original.timestamp : -1
  return {baseOffset: original.firstOffset, lastOffset: original.lastOffset, logAppendTime, duplicate: true}
}

/** The index of the segment holding `offset` (the first one when it lies below them all). */
function firstSegmentFor(segments: readonly LogSegment[], offset: number): number {
  let low = 0
  let high = segments.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if ((segments[mid] as LogSegment).baseOffset <= offset) low = mid
    else high = mid - 1
  }
  return low
}
