import {array, field, message, type MessageValue} from '../schema.js'

// DeleteRecords (21): moves each partition's log start offset up to Offset (-1 = the high
// watermark); the answer's LowWatermark is the new log start offset. v1 is v0 with throttling;
// v2 flexible.

export const DeleteRecordsRequestSchema = message('DeleteRecordsRequest', {apiKey: 21, versions: '0-2', flexible: '2+'}, {
  topics: array('DeleteRecordsTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('DeleteRecordsPartition', '0+', {
      partitionIndex: field('int32', '0+'),
      offset: field('int64', '0+'),
    }),
  }),
  timeoutMs: field('int32', '0+'),
})

export const DeleteRecordsResponseSchema = message('DeleteRecordsResponse', {apiKey: 21, versions: '0-2', flexible: '2+'}, {
  throttleTimeMs: field('int32', '0+'),
  topics: array('DeleteRecordsTopicResult', '0+', {
    name: field('string', '0+'),
    partitions: array('DeleteRecordsPartitionResult', '0+', {
      partitionIndex: field('int32', '0+'),
      lowWatermark: field('int64', '0+'),
      errorCode: field('int16', '0+'),
    }),
  }),
})

export type DeleteRecordsRequest = MessageValue<typeof DeleteRecordsRequestSchema>
export type DeleteRecordsTopic = DeleteRecordsRequest['topics'][number]
export type DeleteRecordsPartition = DeleteRecordsTopic['partitions'][number]
export type DeleteRecordsResponse = MessageValue<typeof DeleteRecordsResponseSchema>
export type DeleteRecordsTopicResult = DeleteRecordsResponse['topics'][number]
export type DeleteRecordsPartitionResult = DeleteRecordsTopicResult['partitions'][number]
