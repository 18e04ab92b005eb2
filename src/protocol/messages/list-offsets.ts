import {array, field, message, type MessageValue} from '../schema.js'

// ListOffsets (2). Timestamp -1 = latest, -2 = earliest, -3 = max timestamp (v7). v0 returns a
// list of offsets; v1+ one Timestamp and Offset; v2 IsolationLevel and ThrottleTimeMs; v4 leader
// epochs; v6 flexible; v10 TimeoutMs.

export const ListOffsetsRequestSchema = message('ListOffsetsRequest', {apiKey: 2, versions: '0-10', flexible: '6+'}, {
  replicaId: field('int32', '0+'),
  isolationLevel: field('int8', '2+'),
  topics: array('ListOffsetsTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('ListOffsetsPartition', '0+', {
      partitionIndex: field('int32', '0+'),
      currentLeaderEpoch: field('int32', '4+', {default: -1}),
      timestamp: field('int64', '0+'),
      maxNumOffsets: field('int32', '0', {default: 1}),
    }),
  }),
  timeoutMs: field('int32', '10+'),
})

export const ListOffsetsResponseSchema = message('ListOffsetsResponse', {apiKey: 2, versions: '0-10', flexible: '6+'}, {
  throttleTimeMs: field('int32', '2+'),
  topics: array('ListOffsetsTopicResponse', '0+', {
    name: field('string', '0+'),
    partitions: array('ListOffsetsPartitionResponse', '0+', {
      partitionIndex: field('int32', '0+'),
      errorCode: field('int16', '0+'),
      oldStyleOffsets: field('[]int64', '0'),
      timestamp: field('int64', '1+', {default: -1}),
      offset: field('int64', '1+', {default: -1}),
      leaderEpoch: field('int32', '4+', {default: -1}),
    }),
  }),
})

export type ListOffsetsRequest = MessageValue<typeof ListOffsetsRequestSchema>
export type ListOffsetsTopic = ListOffsetsRequest['topics'][number]
export type ListOffsetsPartition = ListOffsetsTopic['partitions'][number]
export type ListOffsetsResponse = MessageValue<typeof ListOffsetsResponseSchema>
export type ListOffsetsTopicResponse = ListOffsetsResponse['topics'][number]
export type ListOffsetsPartitionResponse = ListOffsetsTopicResponse['partitions'][number]
