/**
 * AddPartitionsToTxn (key 24), versions 0-5 (clients send 0-3: librdkafka and kafkajs 1, Java 3).
 *
 * Behaviour, as Kafka checks: a partition that does not exist -> UNKNOWN_TOPIC_OR_PARTITION, and
 * then every other partition of the request OPERATION_NOT_ATTEMPTED (55), nothing added; otherwise
 * the transaction coordinator's answer for all of them (transactions/transaction-transitions.ts):
 * unknown transactional id or another producer id -> INVALID_PRODUCER_ID_MAPPING (49), an older
 * epoch -> PRODUCER_FENCED (v0-1: INVALID_PRODUCER_EPOCH), a transaction completing ->
 * CONCURRENT_TRANSACTIONS (51); the partitions join the transaction, which becomes Ongoing.
 *
 * Version notes: v2 PRODUCER_FENCED; v3 flexible; v4 batched (Transactions in, ResultsByTransaction
 * and a top-level ErrorCode out), which Kafka's brokers send each other: each transaction is
 * handled as above, or with VerifyOnly only checked (NONE for a partition in the producer's open
 * transaction, else INVALID_TXN_STATE); v5 same (TRANSACTION_ABORTABLE, never sent here).
 */
import {ApiKey, ErrorCode, type AddPartitionsToTxnRequest, type AddPartitionsToTxnResponse, type AddPartitionsToTxnTopic,
  type AddPartitionsToTxnTopicResult} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

const FIRST_PRODUCER_FENCED_VERSION = 2
const FIRST_BATCHED_VERSION = 4

interface TxnRequest {
  transactionalId: string
  producerId: number
  producerEpoch: number
  verifyOnly: boolean
  topics: AddPartitionsToTxnTopic[]
}

export const addPartitionsToTxnHandler = registerHandler({
  apiKey: ApiKey.AddPartitionsToTxn,
  name: 'AddPartitionsToTxn',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: AddPartitionsToTxnRequest, version: number, ctx: BrokerContext): Promise<AddPartitionsToTxnResponse> {
    if (version >= FIRST_BATCHED_VERSION) {
      const resultsByTransaction = []
      for (const txn of request.transactions) {
        resultsByTransaction.push({transactionalId: txn.transactionalId, topicResults: await addOrVerify(txn, version, ctx)})
      }
      return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction, resultsByTopicV3AndBelow: []}
    }
    const results = await addOrVerify({transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId,
      producerEpoch: request.v3AndBelowProducerEpoch, verifyOnly: false, topics: request.v3AndBelowTopics}, version, ctx)
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction: [], resultsByTopicV3AndBelow: results}
  },
})

async function addOrVerify(txn: TxnRequest, version: number, ctx: BrokerContext): Promise<AddPartitionsToTxnTopicResult[]> {
  const unknown = (topic: string, index: number) => ctx.logs.partition(topic, index) === undefined
  if (txn.topics.some(topic => topic.partitions.some(index => unknown(topic.name, index)))) {
    return resultsOf(txn.topics, (topic, index) => unknown(topic, index) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED)
  }
  if (txn.verifyOnly) {
    return resultsOf(txn.topics, (topic, index) => ctx.transactions.verifyPartitions(txn.transactionalId, txn.producerId, txn.producerEpoch, topic, index))
  }
  const partitions = new Map<string, number[]>()
  for (const topic of txn.topics) partitions.set(topic.name, [...new Set([...(partitions.get(topic.name) ?? []), ...topic.partitions])].sort((a, b) => a - b))
  const error = await ctx.transactions.addPartitions(txn.transactionalId, txn.producerId, txn.producerEpoch, partitions)
  const errorCode = error === ErrorCode.PRODUCER_FENCED && version < FIRST_PRODUCER_FENCED_VERSION ? ErrorCode.INVALID_PRODUCER_EPOCH : error
  return resultsOf(txn.topics, () => errorCode)
}

function resultsOf(topics: AddPartitionsToTxnTopic[], errorOf: (topic: string, index: number) => number): AddPartitionsToTxnTopicResult[] {
  return topics.map(topic => ({name: topic.name,
    resultsByPartition: topic.partitions.map(partitionIndex => ({partitionIndex, partitionErrorCode: errorOf(topic.name, partitionIndex)}))}))
}
