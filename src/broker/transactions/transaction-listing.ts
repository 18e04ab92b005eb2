/**
 * What ListTransactions and DescribeTransactions show of the transactional ids (Kafka's
 * TransactionStateManager.listTransactionStates and TransactionCoordinator.handleDescribeTransactions).
 * Dead ids are never shown. State names are Kafka's (Empty, Ongoing, PrepareCommit, ...).
 */
import {ErrorCode, TransactionStatus, type DescribedTransaction, type ListedTransaction,
  type TransactionStatusName} from '../../protocol/index.js'
import type {TransactionMetadata} from './transaction-metadata.js'

export interface TransactionFilters {
  readonly states: readonly string[]
  readonly producerIds: readonly number[]
  /** Only transactions running longer than this many ms; < 0: all. */
  readonly durationMs: number
}

export interface TransactionListing {
  readonly unknownStateFilters: string[]
  readonly transactions: ListedTransaction[]
}

export function listTransactions(txns: ReadonlyMap<string, TransactionMetadata>, filters: TransactionFilters, now: number): TransactionListing {
  const known = filters.states.filter(isStatusName)
  const unknownStateFilters = filters.states.filter(name => !isStatusName(name))
  // Only unknown names asked for: no state can match.
  if (filters.states.length > 0 && known.length === 0) return {unknownStateFilters, transactions: []}
  const transactions: ListedTransaction[] = []
  for (const [transactionalId, {state}] of [...txns].sort(([a], [b]) => a.localeCompare(b))) {
    if (state.status === 'Dead') continue
    if (filters.producerIds.length > 0 && !filters.producerIds.includes(state.producerId)) continue
    if (known.length > 0 && !known.includes(state.status)) continue
    // As Kafka: an id without a transaction since its InitProducerId starts at -1, so it passes.
    if (filters.durationMs >= 0 && now - state.startTimestamp <= filters.durationMs) continue
    transactions.push({transactionalId, producerId: state.producerId, transactionState: state.status})
  }
  return {unknownStateFilters, transactions}
}

export function describeTransaction(txns: ReadonlyMap<string, TransactionMetadata>, transactionalId: string): DescribedTransaction {
  const txn = txns.get(transactionalId)
  if (txn === undefined || txn.state.status === 'Dead') {
    return {errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId, transactionState: '', transactionTimeoutMs: 0,
      transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: []}
  }
  const {state} = txn
  return {
    errorCode: ErrorCode.NONE,
    transactionalId,
    transactionState: state.status,
    transactionTimeoutMs: state.timeoutMs,
    transactionStartTimeMs: state.startTimestamp,
    producerId: state.producerId,
    producerEpoch: state.producerEpoch,
    topics: [...state.partitions.keys()].sort().map(topic => ({topic, partitions: [...state.partitions.get(topic)!]})),
  }
}

function isStatusName(name: string): name is TransactionStatusName {
  return Object.hasOwn(TransactionStatus, name)
}
