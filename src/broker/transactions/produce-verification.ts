/**
 * Transaction verification of Produce (Kafka 3.6+'s transaction.partition.verification.enable, on
 * by default there): a transactional batch is appended only when its transactional id's producer
 * id and epoch are the coordinator's and the partition is in that id's open transaction. Without
 * it a batch from a producer no coordinator knows opens a transaction nobody will ever end, and the
 * partition's last stable offset stays below it for good (read_committed consumers stop there).
 *
 * The coordinator is in this process, so the check is a lookup in the same turn as the append: no
 * marker can land between them. Every transactional batch is checked (Kafka checks only the first
 * one of a transaction in each partition; checking all costs a map lookup and refuses as well a
 * batch sent after its transaction began to end).
 *
 * Answers, as Kafka's ReplicaManager translates the coordinator's: not in the transaction ->
 * INVALID_TXN_STATE (48) "Partition was not added to the transaction", from Produce v11
 * TRANSACTION_ABORTABLE (120, KIP-890); PRODUCER_FENCED -> INVALID_PRODUCER_EPOCH (47), which
 * producers expect here; CONCURRENT_TRANSACTIONS (the transaction is completing) ->
 * NOT_ENOUGH_REPLICAS (19), retriable by every client; INVALID_PRODUCER_ID_MAPPING (49) as is.
 * A Produce request with transactional batches and no TransactionalId is refused whole with
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED (53), as Kafka's KafkaApis does.
 *
 * The coordinator's own writes (markers, transactional offset commits) append to the logs directly
 * and are not checked here.
 */
import {ErrorCode, errorInfo} from '../../protocol/index.js'
import type {TransactionCoordinator} from './transaction-coordinator.js'

/** Produce versions from which a partition not in the transaction is TRANSACTION_ABORTABLE (KIP-890). */
const FIRST_ABORTABLE_PRODUCE_VERSION = 11

export interface TransactionalBatch {
  producerId: number
  producerEpoch: number
}

/** Why a Produce request's transactional batches are refused before any check: no transactional id. */
export const MISSING_TRANSACTIONAL_ID = {errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
  message: 'a Produce request with transactional records needs a TransactionalId'}

/** null when the batch may be appended to topic-partition; else the Produce error and its message. */
export function verifyTransactionalBatch(coordinator: TransactionCoordinator, transactionalId: string, batch: TransactionalBatch,
  topic: string, partition: number, produceVersion: number): {errorCode: number; message: string} | null {
  const error = coordinator.verifyPartitions(transactionalId, batch.producerId, batch.producerEpoch, topic, partition)
  switch (error) {
    case ErrorCode.NONE:
      return null
    case ErrorCode.INVALID_TXN_STATE:
      return produceVersion >= FIRST_ABORTABLE_PRODUCE_VERSION
        ? {errorCode: ErrorCode.TRANSACTION_ABORTABLE, message: `${topic}-${partition} was not added to the transaction of ${transactionalId}`}
        : {errorCode: ErrorCode.INVALID_TXN_STATE, message: 'Partition was not added to the transaction'}
    case ErrorCode.PRODUCER_FENCED:
      return {errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, message: `producer epoch ${batch.producerEpoch} of ${transactionalId} is not the current one`}
    case ErrorCode.CONCURRENT_TRANSACTIONS:
      return {errorCode: ErrorCode.NOT_ENOUGH_REPLICAS,
        message: 'Unable to verify the partition has been added to the transaction. Underlying error: CONCURRENT_TRANSACTIONS'}
    default:
      return {errorCode: error, message: `producer id ${batch.producerId} is not the one of transactional id ${transactionalId} (${errorInfo(error).name})`}
  }
}
