import {array, field, message, type MessageValue} from '../schema.js'

// AddPartitionsToTxn (24). v2 PRODUCER_FENCED; v3 flexible; v4 batched, for brokers: Transactions
// (each with VerifyOnly) replaces the V3AndBelow fields in the request, ResultsByTransaction and a
// top-level ErrorCode replace ResultsByTopicV3AndBelow in the response; v5 TRANSACTION_ABORTABLE.
// Clients send v3 and below.

// Kafka's common structs, used at two places each (fields '0+': the enclosing field bounds them).
const addPartitionsToTxnTopic = {
  name: field('string', '0+'),
  partitions: field('[]int32', '0+'),
}

const addPartitionsToTxnTopicResult = {
  name: field('string', '0+'),
  resultsByPartition: array('AddPartitionsToTxnPartitionResult', '0+', {
    partitionIndex: field('int32', '0+'),
    partitionErrorCode: field('int16', '0+'),
  }),
}

export const AddPartitionsToTxnRequestSchema = message('AddPartitionsToTxnRequest', {apiKey: 24, versions: '0-5', flexible: '3+'}, {
  transactions: array('AddPartitionsToTxnTransaction', '4+', {
    transactionalId: field('string', '4+'),
    producerId: field('int64', '4+'),
    producerEpoch: field('int16', '4+'),
    verifyOnly: field('bool', '4+', {default: false}),
    topics: array('AddPartitionsToTxnTopic', '4+', addPartitionsToTxnTopic),
  }),
  v3AndBelowTransactionalId: field('string', '0-3'),
  v3AndBelowProducerId: field('int64', '0-3'),
  v3AndBelowProducerEpoch: field('int16', '0-3'),
  v3AndBelowTopics: array('AddPartitionsToTxnTopic', '0-3', addPartitionsToTxnTopic),
})

export const AddPartitionsToTxnResponseSchema = message('AddPartitionsToTxnResponse', {apiKey: 24, versions: '0-5', flexible: '3+'}, {
  throttleTimeMs: field('int32', '0+'),
  errorCode: field('int16', '4+'),
  resultsByTransaction: array('AddPartitionsToTxnResult', '4+', {
    transactionalId: field('string', '4+'),
    topicResults: array('AddPartitionsToTxnTopicResult', '4+', addPartitionsToTxnTopicResult),
  }),
  resultsByTopicV3AndBelow: array('AddPartitionsToTxnTopicResult', '0-3', addPartitionsToTxnTopicResult),
})

export type AddPartitionsToTxnRequest = MessageValue<typeof AddPartitionsToTxnRequestSchema>
export type AddPartitionsToTxnTransaction = AddPartitionsToTxnRequest['transactions'][number]
export type AddPartitionsToTxnTopic = AddPartitionsToTxnRequest['v3AndBelowTopics'][number]
export type AddPartitionsToTxnResponse = MessageValue<typeof AddPartitionsToTxnResponseSchema>
export type AddPartitionsToTxnResult = AddPartitionsToTxnResponse['resultsByTransaction'][number]
export type AddPartitionsToTxnTopicResult = AddPartitionsToTxnResponse['resultsByTopicV3AndBelow'][number]
export type AddPartitionsToTxnPartitionResult = AddPartitionsToTxnTopicResult['resultsByPartition'][number]
