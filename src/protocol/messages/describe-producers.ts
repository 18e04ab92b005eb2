import {array, field, message, type MessageValue} from '../schema.js'

// DescribeProducers (61): the active producers of partitions (id, epoch, last sequence, open
// transaction's first offset), asked of each partition's leader. v0 only, flexible.

export const DescribeProducersRequestSchema = message('DescribeProducersRequest', {apiKey: 61, versions: '0', flexible: '0+'}, {
  topics: array('TopicRequest', '0+', {
    name: field('string', '0+'),
    partitionIndexes: field('[]int32', '0+'),
  }),
})

export const DescribeProducersResponseSchema = message('DescribeProducersResponse', {apiKey: 61, versions: '0', flexible: '0+'}, {
  throttleTimeMs: field('int32', '0+'),
  topics: array('TopicResponse', '0+', {
    name: field('string', '0+'),
    partitions: array('PartitionResponse', '0+', {
      partitionIndex: field('int32', '0+'),
      errorCode: field('int16', '0+'),
      errorMessage: field('string', '0+', {nullable: '0+', default: null}),
      activeProducers: array('ProducerState', '0+', {
        producerId: field('int64', '0+'),
        producerEpoch: field('int32', '0+'),
        lastSequence: field('int32', '0+', {default: -1}),
        lastTimestamp: field('int64', '0+', {default: -1}),
        coordinatorEpoch: field('int32', '0+'),
        currentTxnStartOffset: field('int64', '0+', {default: -1}),
      }),
    }),
  }),
})

export type DescribeProducersRequest = MessageValue<typeof DescribeProducersRequestSchema>
export type DescribeProducersRequestTopic = DescribeProducersRequest['topics'][number]
export type DescribeProducersResponse = MessageValue<typeof DescribeProducersResponseSchema>
export type DescribeProducersResponseTopic = DescribeProducersResponse['topics'][number]
export type DescribeProducersPartition = DescribeProducersResponseTopic['partitions'][number]
export type DescribedProducer = DescribeProducersPartition['activeProducers'][number]
