import {array, field, message, type MessageValue} from '../schema.js'

// DescribeTransactions (65): the state of transactional ids at their coordinator (state name,
// timeout, start time, producer id and epoch, partitions of the open transaction). v0 only,
// flexible.

export const DescribeTransactionsRequestSchema = message('DescribeTransactionsRequest', {apiKey: 65, versions: '0', flexible: '0+'}, {
  transactionalIds: field('[]string', '0+'),
})

export const DescribeTransactionsResponseSchema = message('DescribeTransactionsResponse', {apiKey: 65, versions: '0', flexible: '0+'}, {
  throttleTimeMs: field('int32', '0+'),
  transactionStates: array('TransactionState', '0+', {
    errorCode: field('int16', '0+'),
    transactionalId: field('string', '0+'),
    transactionState: field('string', '0+'),
    transactionTimeoutMs: field('int32', '0+'),
    transactionStartTimeMs: field('int64', '0+'),
    producerId: field('int64', '0+'),
    producerEpoch: field('int16', '0+'),
    topics: array('TopicData', '0+', {
      topic: field('string', '0+'),
      partitions: field('[]int32', '0+'),
    }),
  }),
})

export type DescribeTransactionsRequest = MessageValue<typeof DescribeTransactionsRequestSchema>
export type DescribeTransactionsResponse = MessageValue<typeof DescribeTransactionsResponseSchema>
export type DescribedTransaction = DescribeTransactionsResponse['transactionStates'][number]
export type DescribedTransactionTopic = DescribedTransaction['topics'][number]
