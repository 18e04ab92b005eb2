import {consumerOffsetsPartition} from './group-records.js'
import {ProtocolError} from './protocol-error.js'
import {array, data, field, type DataValue} from './schema.js'
import {type Versioned, versionedCodec} from './versioned-data.js'

/**
 * The records of __transaction_state, the compacted topic in which a transaction coordinator keeps
 * each transactional id's state, in Kafka's formats (transaction-coordinator's
 * TransactionLogKey.json and TransactionLogValue.json). Key and value are each an int16 version,
 * then the struct at that version; a null value (tombstone) deletes the transactional id.
 *
 * TransactionLogKey v0: transactionalId STRING.
 * TransactionLogValue: producerId INT64 | producerEpoch INT16 | transactionTimeoutMs INT32
 *   | transactionStatus INT8 (TransactionStatus) | transactionPartitions NULLABLE [PartitionsSchema],
 *   each topic STRING | partitionIds [INT32] | transactionLastUpdateTimestampMs INT64
 *   | transactionStartTimestampMs INT64.
 *   v1 is flexible (compact lengths) and ends with tagged fields: 0 previousProducerId INT64,
 *   1 nextProducerId INT64, 2 clientTransactionVersion INT16 (KIP-890), each sent only when it
 *   differs from its default.
 * Kafka writes value v0 until transaction.version 1 is finalized, v1 after; the partitions are null
 * in the Empty state.
 *
 * Versions outside these ranges, and bytes after the struct, are refused.
 */

export const TransactionLogKeySchema = data('TransactionLogKey', {versions: '0', flexible: 'none'}, {
  transactionalId: field('string', '0'),
})

export const TransactionLogValueSchema = data('TransactionLogValue', {versions: '0-1', flexible: '1+'}, {
  producerId: field('int64', '0+'),
  previousProducerId: field('int64', '1+', {tag: 0, tagged: '1+', default: -1}),
  nextProducerId: field('int64', '1+', {tag: 1, tagged: '1+', default: -1}),
  producerEpoch: field('int16', '0+'),
  transactionTimeoutMs: field('int32', '0+'),
  transactionStatus: field('int8', '0+'),
  transactionPartitions: array(
    'PartitionsSchema',
    '0+',
    {
      topic: field('string', '0+'),
      partitionIds: field('[]int32', '0+'),
    },
    {nullable: '0+'},
  ),
  transactionLastUpdateTimestampMs: field('int64', '0+'),
  transactionStartTimestampMs: field('int64', '0+'),
  clientTransactionVersion: field('int16', '1+', {tag: 2, tagged: '1+', default: 0}),
})

export type TransactionLogKey = DataValue<typeof TransactionLogKeySchema>
export type TransactionLogValue = DataValue<typeof TransactionLogValueSchema>
export type TransactionLogPartitions = NonNullable<TransactionLogValue['transactionPartitions']>[number]

/** The versions Weir writes: Kafka's before transaction.version 1 (value v0). */
export const TransactionRecordVersion = {
  TransactionLogKey: 0,
  TransactionLogValue: 0,
} as const

/**
 * A transaction's state as TransactionLogValue stores it (Kafka's TransactionState ids); the names
 * are those DescribeTransactions and ListTransactions speak.
 */
export const TransactionStatus = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
} as const

export type TransactionStatusName = keyof typeof TransactionStatus
export type TransactionStatusId = (typeof TransactionStatus)[TransactionStatusName]

const STATUS_NAMES = Object.keys(TransactionStatus) as TransactionStatusName[]

/** The name of a stored status id ("Ongoing"), or null for an id Kafka does not define. */
export function transactionStatusName(id: number): TransactionStatusName | null {
  return STATUS_NAMES[id] ?? null
}

const transactionLogKeys = versionedCodec(TransactionLogKeySchema, 'refuse')
const transactionLogValues = versionedCodec(TransactionLogValueSchema, 'refuse')

export function encodeTransactionLogKey(key: TransactionLogKey): Buffer {
  return transactionLogKeys.encode(key, TransactionRecordVersion.TransactionLogKey)
}

export function decodeTransactionLogKey(bytes: Buffer): Versioned<TransactionLogKey> {
  return transactionLogKeys.decode(bytes)
}

export function encodeTransactionLogValue(
  value: TransactionLogValue,
  version: number = TransactionRecordVersion.TransactionLogValue,
): Buffer {
  if (transactionStatusName(value.transactionStatus) === null) {
    throw new ProtocolError(`transaction status ${value.transactionStatus} is not known`)
  }
  return transactionLogValues.encode(value, version)
}

/** A value; its status is checked to be one Kafka defines (else ProtocolError). */
export function decodeTransactionLogValue(bytes: Buffer): Versioned<TransactionLogValue> {
  const decoded = transactionLogValues.decode(bytes)
  if (transactionStatusName(decoded.value.transactionStatus) === null) {
    throw new ProtocolError(`malformed TransactionLogValue v${decoded.version}: transaction status ${decoded.value.transactionStatus}`)
  }
  return decoded
}

/** Kafka's default partition count of __transaction_state (transaction.state.log.num.partitions). */
export const TRANSACTION_STATE_PARTITIONS = 50

/**
 * The __transaction_state partition of a transactional id, as Kafka places it: the same function as
 * for groups in __consumer_offsets (Java's String.hashCode, Kafka's Utils.abs, modulo the count).
 */
export function transactionStatePartition(transactionalId: string, partitions: number = TRANSACTION_STATE_PARTITIONS): number {
  return consumerOffsetsPartition(transactionalId, partitions)
}
