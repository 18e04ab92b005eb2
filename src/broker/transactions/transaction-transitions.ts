/**
 * The state changes of a transactional id (Kafka's TransactionMetadata.prepare* methods): each takes
 * the current state and returns the next one, or the error code that refuses the change. Nothing
 * here writes or waits; transaction-coordinator.ts writes the result and makes it current.
 *
 *   InitProducerId   Empty or Complete* -> Empty, epoch + 1 (or a new producer id once the epoch is
 *                    exhausted); Ongoing -> PrepareAbort with epoch + 1 (the fence), then the
 *                    client retries; Prepare* -> CONCURRENT_TRANSACTIONS
 *   AddPartitions    Empty, Complete* or Ongoing -> Ongoing, partitions added (the start time set when
 *                    a new transaction begins); Prepare* -> CONCURRENT_TRANSACTIONS
 *   EndTxn           Ongoing -> PrepareCommit/PrepareAbort; the same end repeated once complete
 *                    -> NONE; while completing -> CONCURRENT_TRANSACTIONS; otherwise INVALID_TXN_STATE
 *   markers written  Prepare* -> Complete*, partitions cleared
 *   expiry           Empty or Complete* -> Dead (a tombstone)
 */
import {ErrorCode} from '../../protocol/index.js'
import {isEpochExhausted, mergePartitions, NO_PARTITIONS, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, type TransactionMetadata,
  type TransactionPartitions, type TransactionState} from './transaction-metadata.js'

/** A change, or the error that refuses it. */
export type Transition = {readonly next: TransactionState} | {readonly error: number}

/** The producer id and epoch an InitProducerId v3+ names, when it names one (KIP-360). */
export interface ExpectedProducer {
  readonly producerId: number
  readonly producerEpoch: number
}

/** A transactional id seen for the first time: its producer id, no epoch yet, Empty. */
export function newTransactionState(producerId: number, timeoutMs: number, now: number): TransactionState {
  return {producerId, lastProducerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH, lastProducerEpoch: NO_PRODUCER_EPOCH,
    timeoutMs, status: 'Empty', partitions: NO_PARTITIONS, startTimestamp: -1, lastUpdateTimestamp: now}
}

/**
 * InitProducerId on an existing id. `newProducerId` is called only when the epoch is exhausted.
 * An Ongoing transaction yields its fence (PrepareAbort at epoch + 1): the caller aborts it and
 * answers CONCURRENT_TRANSACTIONS.
 */
export function initProducerIdTransition(txn: TransactionMetadata, expected: ExpectedProducer | null, timeoutMs: number,
  now: number, newProducerId: () => number): Transition {
  const state = txn.state
  if (txn.hasPending) return {error: ErrorCode.CONCURRENT_TRANSACTIONS}
  if (expected !== null && !isValidProducer(state, expected)) return {error: ErrorCode.PRODUCER_FENCED}
  switch (state.status) {
    case 'PrepareCommit':
    case 'PrepareAbort':
      return {error: ErrorCode.CONCURRENT_TRANSACTIONS}
    case 'Ongoing':
      return {next: fenced(state, now)}
    case 'Empty':
    case 'CompleteCommit':
    case 'CompleteAbort':
      if (isEpochExhausted(state.producerEpoch) && (expected === null || expected.producerEpoch === state.producerEpoch)) {
        return {next: {...reset(state, timeoutMs, now), producerId: newProducerId(), lastProducerId: state.producerId, producerEpoch: 0,
          lastProducerEpoch: expected === null ? NO_PRODUCER_EPOCH : state.producerEpoch}}
      }
      return incrementEpoch(state, expected, timeoutMs, now)
    default:
      return {error: ErrorCode.INVALID_TXN_STATE}
  }
}

/**
 * Kafka's isValidProducerId: a request naming a producer is fenced unless the id has no epoch yet,
 * names the current producer id (its epoch is checked when bumping), or names the previous one with
 * an exhausted epoch (a retry of the rotation whose answer was lost).
 */
function isValidProducer(state: TransactionState, expected: ExpectedProducer): boolean {
  return state.producerEpoch === NO_PRODUCER_EPOCH || expected.producerId === state.producerId
    || (expected.producerId === state.lastProducerId && isEpochExhausted(expected.producerEpoch))
}

function incrementEpoch(state: TransactionState, expected: ExpectedProducer | null, timeoutMs: number, now: number): Transition {
  const bumped = state.producerEpoch + 1
  if (expected === null) return {next: {...reset(state, timeoutMs, now), producerEpoch: bumped, lastProducerEpoch: NO_PRODUCER_EPOCH}}
  if (state.producerEpoch === NO_PRODUCER_EPOCH || expected.producerEpoch === state.producerEpoch) {
    return {next: {...reset(state, timeoutMs, now), producerEpoch: bumped, lastProducerEpoch: state.producerEpoch}}
  }
  // A retry whose answer was lost: the epoch it already got.
  if (expected.producerEpoch === state.lastProducerEpoch) return {next: reset(state, timeoutMs, now)}
  return {error: ErrorCode.PRODUCER_FENCED}
}

function reset(state: TransactionState, timeoutMs: number, now: number): TransactionState {
  return {...state, timeoutMs, status: 'Empty', partitions: NO_PARTITIONS, startTimestamp: -1, lastUpdateTimestamp: now}
}

/**
 * The abort the coordinator starts itself (an InitProducerId fencing an open transaction, or its
 * timeout): PrepareAbort with the epoch bumped, so the markers fence the old producer's batches.
 * An epoch that cannot be bumped any further stays.
 */
export function fenced(state: TransactionState, now: number): TransactionState {
  const producerEpoch = isEpochExhausted(state.producerEpoch) ? state.producerEpoch : state.producerEpoch + 1
  return {...state, producerEpoch, lastProducerEpoch: NO_PRODUCER_EPOCH, status: 'PrepareAbort', lastUpdateTimestamp: now}
}

/** The checks AddPartitionsToTxn and AddOffsetsToTxn share with TxnOffsetCommit: the producer and the epoch. */
export function producerError(txn: TransactionMetadata | undefined, producerId: number, producerEpoch: number): number {
  if (txn === undefined || txn.state.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING
  if (txn.state.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED
  return ErrorCode.NONE
}

/** AddPartitionsToTxn: null when the partitions are all in the open transaction already (nothing to write). */
export function addPartitionsTransition(txn: TransactionMetadata | undefined, producerId: number, producerEpoch: number,
  partitions: TransactionPartitions, now: number): Transition | null {
  const error = producerError(txn, producerId, producerEpoch)
  if (error !== ErrorCode.NONE) return {error}
  const {state} = txn!
  if (txn!.hasPending || state.status === 'PrepareCommit' || state.status === 'PrepareAbort') return {error: ErrorCode.CONCURRENT_TRANSACTIONS}
  if (state.status === 'Ongoing' && txn!.includes(partitions)) return null
  if (state.status === 'Dead' || state.status === 'PrepareEpochFence') return {error: ErrorCode.INVALID_TXN_STATE}
  const startTimestamp = state.status === 'Ongoing' ? state.startTimestamp : now
  return {next: {...state, status: 'Ongoing', partitions: mergePartitions(state.partitions, partitions), startTimestamp, lastUpdateTimestamp: now}}
}

/** EndTxn from a client: the Prepare state, or {error: NONE} for an end already complete. */
export function endTransition(txn: TransactionMetadata | undefined, producerId: number, producerEpoch: number,
  commit: boolean, now: number): Transition {
  const error = producerError(txn, producerId, producerEpoch)
  if (error !== ErrorCode.NONE) return {error}
  const {state} = txn!
  if (txn!.hasPending) return {error: ErrorCode.CONCURRENT_TRANSACTIONS}
  switch (state.status) {
    case 'Ongoing':
      return {next: {...state, status: commit ? 'PrepareCommit' : 'PrepareAbort', lastUpdateTimestamp: now}}
    case 'CompleteCommit':
      return {error: commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE}
    case 'CompleteAbort':
      return {error: commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE}
    case 'PrepareCommit':
      return {error: commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE}
    case 'PrepareAbort':
      return {error: commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS}
    default:
      return {error: ErrorCode.INVALID_TXN_STATE}
  }
}

/** Every marker written: Complete*, no partitions left. */
export function completeTransition(state: TransactionState, now: number): TransactionState {
  return {...state, status: state.status === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort', partitions: NO_PARTITIONS,
    lastUpdateTimestamp: now}
}
