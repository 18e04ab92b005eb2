/**
 * One producer's state in one partition (Kafka's ProducerStateEntry) and the rules an append of
 * that producer's batch must follow (Kafka's ProducerAppendInfo), applied to the fields of its
 * header (producer-batch.ts). Nothing here touches a file: producer-state.ts keeps the entries,
 * producer-snapshot.ts writes them.
 *
 * Order of the checks for a data batch from a client (protocol.md section 5):
 *   1. same epoch and the same [firstSeq, lastSeq] as one of the last 5 batches: a retry; nothing
 *      is appended and the original offsets are answered (findDuplicate);
 *   2. an epoch older than the current one: InvalidProducerEpochError;
 *   3. a newer epoch must start at sequence 0, unless the entry has no epoch yet;
 *   4. the same epoch must go on at lastSeq + 1 (2^31 - 1 wraps to 0), unless the entry has no
 *      epoch (no state: a new producer, or one whose state expired or was never seen here), which
 *      accepts any sequence (KIP-360);
 *   5. a non-transactional batch while the producer's transaction is open: InvalidTxnStateError.
 * Steps 1, 3 and 4 are a client's only: the broker's coordinators write with the producer's id and
 * epoch but keep no sequence of their own (Kafka's origin=COORDINATOR appends skip them too).
 * A marker (control batch) checks only the epoch and the coordinator epoch; it ends the producer's
 * transaction and may raise its epoch, fencing older batches.
 */
import {InvalidProducerEpochError, InvalidTxnStateError, OutOfOrderSequenceError, TransactionCoordinatorFencedError} from './errors.js'
import {decrementSequence, type ProducerBatch} from './producer-batch.js'
import {type AppendOrigin} from './partition-log-types.js'

/** Batches remembered per producer for duplicate detection: clients keep at most 5 requests in flight. */
export const NUM_BATCHES_TO_RETAIN = 5
const INT32_MAX = 0x7fffffff

/** One appended batch of a producer. */
export interface BatchMetadata {
  firstSeq: number
  lastSeq: number
  firstOffset: number
  lastOffset: number
  /** the batch's maxTimestamp */
  timestamp: number
}

export interface ProducerStateEntry {
  producerId: bigint
  /** -1 before any batch or marker set one */
  producerEpoch: number
  /** the epoch of the coordinator that wrote this producer's last marker; -1 before any */
  coordinatorEpoch: number
  /** the last batch's or marker's maxTimestamp: producer.id.expiration.ms counts from it */
  lastTimestamp: number
  /** the last NUM_BATCHES_TO_RETAIN batches of the current epoch, oldest first */
  batches: BatchMetadata[]
  /** first offset of the producer's open transaction in this partition; -1 when none is open */
  currentTxnFirstOffset: number
}

/** A transaction that a marker ended: its first offset and the marker's offset. */
export interface CompletedTxn {
  producerId: bigint
  firstOffset: number
  lastOffset: number
  aborted: boolean
}

export function emptyEntry(producerId: bigint): ProducerStateEntry {
  return {producerId, producerEpoch: -1, coordinatorEpoch: -1, lastTimestamp: -1, batches: [], currentTxnFirstOffset: -1}
}

export function lastSequenceOf(entry: ProducerStateEntry): number {
  return entry.batches[entry.batches.length - 1]?.lastSeq ?? -1
}

/** The cached batch a retried data batch repeats (same epoch, same sequence range), if any. */
export function findDuplicate(entry: ProducerStateEntry | undefined, batch: ProducerBatch): BatchMetadata | undefined {
  if (entry === undefined || batch.producerEpoch !== entry.producerEpoch) return undefined
  return entry.batches.find((cached) => cached.firstSeq === batch.baseSequence && cached.lastSeq === batch.lastSequence)
}

/**
 * Throws the error that refuses `batch`, given the producer's entry (undefined: no state) and who
 * appends it. Duplicates are found before (findDuplicate).
 */
export function checkAppend(entry: ProducerStateEntry | undefined, batch: ProducerBatch, name: string, origin: AppendOrigin = 'client'): void {
  const current = entry ?? emptyEntry(batch.producerId)
  const who = `producer ${batch.producerId} in ${name}`
  if (batch.producerEpoch < current.producerEpoch) {
    throw new InvalidProducerEpochError(`epoch ${batch.producerEpoch} of ${who} is older than its current epoch ${current.producerEpoch}`)
  }
  if (batch.control !== undefined) {
    if (batch.coordinatorEpoch < current.coordinatorEpoch) {
      throw new TransactionCoordinatorFencedError(`${batch.control} marker of ${who} from coordinator epoch ${batch.coordinatorEpoch}, older than ${current.coordinatorEpoch}`)
    }
    return
  }
  if (origin === 'client') checkSequence(current, batch, who)
  if (!batch.transactional && current.currentTxnFirstOffset >= 0) {
    throw new InvalidTxnStateError(`a non-transactional batch of ${who}, whose transaction from offset ${current.currentTxnFirstOffset} is open`)
  }
}

function checkSequence(current: ProducerStateEntry, batch: ProducerBatch, who: string): void {
  if (batch.baseSequence < 0) throw new OutOfOrderSequenceError(`batch of ${who} has no sequence number (${batch.baseSequence})`)
  if (current.producerEpoch < 0) return
  if (batch.producerEpoch !== current.producerEpoch) {
    if (batch.baseSequence !== 0) {
      throw new OutOfOrderSequenceError(`new epoch ${batch.producerEpoch} of ${who} starts at sequence ${batch.baseSequence}, not 0`)
    }
    return
  }
  const lastSeq = lastSequenceOf(current)
  if (!inSequence(lastSeq, batch.baseSequence)) {
    throw new OutOfOrderSequenceError(`sequence ${batch.baseSequence} of ${who} (epoch ${batch.producerEpoch}) does not follow its last sequence ${lastSeq}`)
  }
}

/** Kafka's rule: the next sequence is lastSeq + 1, or 0 after 2^31 - 1; -1 (no batch in this epoch yet) is followed by 0. */
function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX)
}

/**
 * Applies an appended batch (validated, or replayed from the log) to `entry` in place; a marker
 * returns the transaction it completed, if the producer had one open here.
 */
export function applyBatch(entry: ProducerStateEntry, batch: ProducerBatch, firstOffset: number, lastOffset: number): CompletedTxn | undefined {
  if (batch.producerEpoch !== entry.producerEpoch) {
    entry.producerEpoch = batch.producerEpoch
    entry.batches = []
  }
  entry.lastTimestamp = batch.maxTimestamp
  if (batch.control !== undefined) {
    const open = entry.currentTxnFirstOffset
    entry.coordinatorEpoch = Math.max(entry.coordinatorEpoch, batch.coordinatorEpoch)
    entry.currentTxnFirstOffset = -1
    return open < 0 ? undefined : {producerId: entry.producerId, firstOffset: open, lastOffset, aborted: batch.control === 'ABORT'}
  }
  addBatch(entry, {firstSeq: batch.baseSequence, lastSeq: batch.lastSequence, firstOffset, lastOffset, timestamp: batch.maxTimestamp})
  if (batch.transactional && entry.currentTxnFirstOffset < 0) entry.currentTxnFirstOffset = firstOffset
  return undefined
}

/** Remembers a batch, forgetting the oldest beyond NUM_BATCHES_TO_RETAIN. */
export function addBatch(entry: ProducerStateEntry, batch: BatchMetadata): void {
  entry.batches.push(batch)
  if (entry.batches.length > NUM_BATCHES_TO_RETAIN) entry.batches.shift()
}

/** The metadata of a batch known by its last sequence and offset and its offset delta (a snapshot's form). */
export function batchFromLast(lastSeq: number, lastOffset: number, offsetDelta: number, timestamp: number): BatchMetadata {
  return {firstSeq: decrementSequence(lastSeq, offsetDelta), lastSeq, firstOffset: lastOffset - offsetDelta, lastOffset, timestamp}
}
