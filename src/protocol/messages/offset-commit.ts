import {array, field, message, type MessageValue} from '../schema.js'

// OffsetCommit (8). v1 GenerationIdOrMemberEpoch, MemberId and a per-partition CommitTimestamp
// (v1 only); v2-4 RetentionTimeMs; v3 ThrottleTimeMs; v6 CommittedLeaderEpoch; v7 GroupInstanceId;
// v8 flexible; v9 usable with the KIP-848 consumer protocol (same fields).

export const OffsetCommitRequestSchema = message('OffsetCommitRequest', {apiKey: 8, versions: '0-9', flexible: '8+'}, {
  groupId: field('string', '0+'),
  generationIdOrMemberEpoch: field('int32', '1+', {default: -1}),
  memberId: field('string', '1+'),
  groupInstanceId: field('string', '7+', {nullable: '7+', default: null}),
  retentionTimeMs: field('int64', '2-4', {default: -1}),
  topics: array('OffsetCommitRequestTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('OffsetCommitRequestPartition', '0+', {
      partitionIndex: field('int32', '0+'),
      committedOffset: field('int64', '0+'),
      committedLeaderEpoch: field('int32', '6+', {default: -1}),
      commitTimestamp: field('int64', '1', {default: -1}),
      committedMetadata: field('string', '0+', {nullable: '0+'}),
    }),
  }),
})

export const OffsetCommitResponseSchema = message('OffsetCommitResponse', {apiKey: 8, versions: '0-9', flexible: '8+'}, {
  throttleTimeMs: field('int32', '3+'),
  topics: array('OffsetCommitResponseTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('OffsetCommitResponsePartition', '0+', {
      partitionIndex: field('int32', '0+'),
      errorCode: field('int16', '0+'),
    }),
  }),
})

export type OffsetCommitRequest = MessageValue<typeof OffsetCommitRequestSchema>
export type OffsetCommitRequestTopic = OffsetCommitRequest['topics'][number]
export type OffsetCommitRequestPartition = OffsetCommitRequestTopic['partitions'][number]
export type OffsetCommitResponse = MessageValue<typeof OffsetCommitResponseSchema>
export type OffsetCommitResponseTopic = OffsetCommitResponse['topics'][number]
export type OffsetCommitResponsePartition = OffsetCommitResponseTopic['partitions'][number]
