import {array, field, message, type MessageValue} from '../schema.js'

// OffsetForLeaderEpoch (23). For each partition, the end offset of the requested leader epoch (the
// first offset of the next epoch, or the log end for the current one). v1 LeaderEpoch in the
// answer; v2 CurrentLeaderEpoch for fencing and ThrottleTimeMs (librdkafka sends exactly v2); v3
// ReplicaId (consumers send -1; the default -2 is Kafka's debugging replica); v4 flexible.

export const OffsetForLeaderEpochRequestSchema = message('OffsetForLeaderEpochRequest', {apiKey: 23, versions: '0-4', flexible: '4+'}, {
  replicaId: field('int32', '3+', {default: -2}),
  topics: array('OffsetForLeaderTopic', '0+', {
    topic: field('string', '0+'),
    partitions: array('OffsetForLeaderPartition', '0+', {
      partition: field('int32', '0+'),
      currentLeaderEpoch: field('int32', '2+', {default: -1}),
      leaderEpoch: field('int32', '0+'),
    }),
  }),
})

export const OffsetForLeaderEpochResponseSchema = message('OffsetForLeaderEpochResponse', {apiKey: 23, versions: '0-4', flexible: '4+'}, {
  throttleTimeMs: field('int32', '2+'),
  topics: array('OffsetForLeaderTopicResult', '0+', {
    topic: field('string', '0+'),
    partitions: array('EpochEndOffset', '0+', {
      errorCode: field('int16', '0+'),
      partition: field('int32', '0+'),
      leaderEpoch: field('int32', '1+', {default: -1}),
      endOffset: field('int64', '0+', {default: -1}),
    }),
  }),
})

export type OffsetForLeaderEpochRequest = MessageValue<typeof OffsetForLeaderEpochRequestSchema>
export type OffsetForLeaderTopic = OffsetForLeaderEpochRequest['topics'][number]
export type OffsetForLeaderPartition = OffsetForLeaderTopic['partitions'][number]
export type OffsetForLeaderEpochResponse = MessageValue<typeof OffsetForLeaderEpochResponseSchema>
export type OffsetForLeaderTopicResult = OffsetForLeaderEpochResponse['topics'][number]
/** Kafka's EpochEndOffset of this response (Fetch's EpochEndOffset is another struct of that name). */
export type OffsetForLeaderEpochEndOffset = OffsetForLeaderTopicResult['partitions'][number]
