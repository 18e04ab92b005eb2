import {array, field, message, type MessageValue} from '../schema.js'

// TxnOffsetCommit (28): offsets committed inside a transaction, pending until EndTxn. v1 same as
// v0; v2 CommittedLeaderEpoch; v3 flexible, with GenerationId, MemberId and GroupInstanceId (so the
// group coordinator can fence zombie members); v4 TRANSACTION_ABORTABLE.

export const TxnOffsetCommitRequestSchema = message('TxnOffsetCommitRequest', {apiKey: 28, versions: '0-4', flexible: '3+'}, {
  transactionalId: field('string', '0+'),
  groupId: field('string', '0+'),
  producerId: field('int64', '0+'),
  producerEpoch: field('int16', '0+'),
  generationId: field('int32', '3+', {default: -1}),
  memberId: field('string', '3+', {default: ''}),
  groupInstanceId: field('string', '3+', {nullable: '3+', default: null}),
  topics: array('TxnOffsetCommitRequestTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('TxnOffsetCommitRequestPartition', '0+', {
      partitionIndex: field('int32', '0+'),
      committedOffset: field('int64', '0+'),
      committedLeaderEpoch: field('int32', '2+', {default: -1}),
      committedMetadata: field('string', '0+', {nullable: '0+'}),
    }),
  }),
})

export const TxnOffsetCommitResponseSchema = message('TxnOffsetCommitResponse', {apiKey: 28, versions: '0-4', flexible: '3+'}, {
  throttleTimeMs: field('int32', '0+'),
  topics: array('TxnOffsetCommitResponseTopic', '0+', {
    name: field('string', '0+'),
    partitions: array('TxnOffsetCommitResponsePartition', '0+', {
      partitionIndex: field('int32', '0+'),
      errorCode: field('int16', '0+'),
    }),
  }),
})

export type TxnOffsetCommitRequest = MessageValue<typeof TxnOffsetCommitRequestSchema>
export type TxnOffsetCommitRequestTopic = TxnOffsetCommitRequest['topics'][number]
export type TxnOffsetCommitRequestPartition = TxnOffsetCommitRequestTopic['partitions'][number]
export type TxnOffsetCommitResponse = MessageValue<typeof TxnOffsetCommitResponseSchema>
export type TxnOffsetCommitResponseTopic = TxnOffsetCommitResponse['topics'][number]
export type TxnOffsetCommitResponsePartition = TxnOffsetCommitResponseTopic['partitions'][number]
