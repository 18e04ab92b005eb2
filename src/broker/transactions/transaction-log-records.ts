/**
 * A transactional id's state as a __transaction_state record, and back (Kafka's TransactionLog):
 * key TransactionLogKey v0 {transactionalId}, value TransactionLogValue v0 {producerId,
 * producerEpoch, transactionTimeoutMs, transactionStatus, transactionPartitions (null when Empty),
 * transactionLastUpdateTimestampMs, transactionStartTimestampMs}; a null value (tombstone) is a
 * Dead, forgotten id. The previous epoch and producer id are not in a v0 value: after a restart a
 * retried InitProducerId of a lost answer is not recognised, as in Kafka before transaction v2.
 */
import {encodeTransactionLogKey, encodeTransactionLogValue, TransactionStatus, transactionStatusName,
  type TransactionLogValue} from '../../protocol/index.js'
import {NO_PRODUCER_EPOCH, NO_PRODUCER_ID, type TransactionState} from './transaction-metadata.js'

export interface TransactionLogRecord {
  readonly key: Buffer
  readonly value: Buffer | null
}

export function transactionRecord(transactionalId: string, state: TransactionState): TransactionLogRecord {
  return {key: encodeTransactionLogKey({transactionalId}), value: encodeTransactionLogValue(valueOf(state))}
}

export function transactionTombstone(transactionalId: string): TransactionLogRecord {
  return {key: encodeTransactionLogKey({transactionalId}), value: null}
}

function valueOf(state: TransactionState): TransactionLogValue {
  return {
    producerId: state.producerId,
    previousProducerId: -1,
    nextProducerId: -1,
    producerEpoch: state.producerEpoch,
    transactionTimeoutMs: state.timeoutMs,
    transactionStatus: TransactionStatus[state.status],
    transactionPartitions: state.status === 'Empty' ? null
      : [...state.partitions.keys()].sort().map(topic => ({topic, partitionIds: [...state.partitions.get(topic)!]})),
    transactionLastUpdateTimestampMs: state.lastUpdateTimestamp,
    transactionStartTimestampMs: state.startTimestamp,
    clientTransactionVersion: 0,
  }
}

/** The state a stored value describes (its status checked by the decoder). */
export function stateOf(value: TransactionLogValue): TransactionState {
  const partitions = new Map<string, readonly number[]>()
  for (const {topic, partitionIds} of value.transactionPartitions ?? []) {
    partitions.set(topic, [...new Set([...(partitions.get(topic) ?? []), ...partitionIds])].sort((a, b) => a - b))
  }
  return {
    producerId: value.producerId,
    lastProducerId: value.previousProducerId >= 0 ? value.previousProducerId : NO_PRODUCER_ID,
    producerEpoch: value.producerEpoch,
    lastProducerEpoch: NO_PRODUCER_EPOCH,
    timeoutMs: value.transactionTimeoutMs,
    status: transactionStatusName(value.transactionStatus)!,
    partitions,
    startTimestamp: value.transactionStartTimestampMs,
    lastUpdateTimestamp: value.transactionLastUpdateTimestampMs,
  }
}
