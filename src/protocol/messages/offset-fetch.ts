import {array, field, message, type MessageValue} from '../schema.js'

// OffsetFetch (9). v1 reads __consumer_offsets (v0 read ZooKeeper); v2 null Topics = every
// committed topic, and a top-level ErrorCode; v3 ThrottleTimeMs; v5 CommittedLeaderEpoch; v6
// flexible; v7 RequireStable; v8 several groups at once: Groups replaces GroupId and Topics in the
// request, and the per-topic answer and top-level ErrorCode in the response; v9 MemberId and
// MemberEpoch (KIP-848).

export const OffsetFetchRequestSchema = message('OffsetFetchRequest', {apiKey: 9, versions: '0-9', flexible: '6+'}, {
  groupId: field('string', '0-7'),
  topics: array(
    'OffsetFetchRequestTopic',
    '0-7',
    {
      name: field('string', '0-7'),
      partitionIndexes: field('[]int32', '0-7'),
    },
    {nullable: '2-7'},
  ),
  groups: array('OffsetFetchRequestGroup', '8+', {
    groupId: field('string', '8+'),
    memberId: field('string', '9+', {nullable: '9+', default: null}),
    memberEpoch: field('int32', '9+', {default: -1}),
    topics: array(
      'OffsetFetchRequestTopics',
      '8+',
      {
        name: field('string', '8+'),
        partitionIndexes: field('[]int32', '8+'),
      },
      {nullable: '8+'},
    ),
  }),
  requireStable: field('bool', '7+', {default: false}),
})

export const OffsetFetchResponseSchema = message('OffsetFetchResponse', {apiKey: 9, versions: '0-9', flexible: '6+'}, {
  throttleTimeMs: field('int32', '3+'),
  topics: array('OffsetFetchResponseTopic', '0-7', {
    name: field('string', '0-7'),
    partitions: array('OffsetFetchResponsePartition', '0-7', {
      partitionIndex: field('int32', '0-7'),
      committedOffset: field('int64', '0-7'),
      committedLeaderEpoch: field('int32', '5-7', {default: -1}),
      metadata: field('string', '0-7', {nullable: '0-7'}),
      errorCode: field('int16', '0-7'),
    }),
  }),
  errorCode: field('int16', '2-7', {default: 0}),
  groups: array('OffsetFetchResponseGroup', '8+', {
    groupId: field('string', '8+'),
    topics: array('OffsetFetchResponseTopics', '8+', {
      name: field('string', '8+'),
      partitions: array('OffsetFetchResponsePartitions', '8+', {
        partitionIndex: field('int32', '8+'),
        committedOffset: field('int64', '8+'),
        committedLeaderEpoch: field('int32', '8+', {default: -1}),
        metadata: field('string', '8+', {nullable: '8+'}),
        errorCode: field('int16', '8+'),
      }),
    }),
    errorCode: field('int16', '8+', {default: 0}),
  }),
})

export type OffsetFetchRequest = MessageValue<typeof OffsetFetchRequestSchema>
export type OffsetFetchRequestTopic = NonNullable<OffsetFetchRequest['topics']>[number]
export type OffsetFetchRequestGroup = OffsetFetchRequest['groups'][number]
export type OffsetFetchRequestTopics = NonNullable<OffsetFetchRequestGroup['topics']>[number]
export type OffsetFetchResponse = MessageValue<typeof OffsetFetchResponseSchema>
export type OffsetFetchResponseTopic = OffsetFetchResponse['topics'][number]
export type OffsetFetchResponsePartition = OffsetFetchResponseTopic['partitions'][number]
export type OffsetFetchResponseGroup = OffsetFetchResponse['groups'][number]
export type OffsetFetchResponseTopics = OffsetFetchResponseGroup['topics'][number]
export type OffsetFetchResponsePartitions = OffsetFetchResponseTopics['partitions'][number]
