import {array, field, message, struct, type MessageValue} from '../schema.js'

// Fetch (1). v3 MaxBytes; v4 IsolationLevel, LastStableOffset, AbortedTransactions; v5
// LogStartOffset; v7 fetch sessions and forgotten topics; v9 CurrentLeaderEpoch; v10 zstd; v11
// RackId and PreferredReadReplica; v12 flexible, tagged divergence/leader/snapshot; v13 TopicId
// replaces the topic name; v15 ReplicaState replaces ReplicaId; v16 NodeEndpoints; v17
// ReplicaDirectoryId.

export const FetchRequestSchema = message('FetchRequest', {apiKey: 1, versions: '0-17', flexible: '12+'}, {
  clusterId: field('string', '12+', {nullable: '12+', default: null, tag: 0, tagged: '12+'}),
  replicaId: field('int32', '0-14', {default: -1}),
  replicaState: struct(
    'ReplicaState',
    '15+',
    {
      replicaId: field('int32', '15+', {default: -1}),
      replicaEpoch: field('int64', '15+', {default: -1}),
    },
    {tag: 1, tagged: '15+'},
  ),
  maxWaitMs: field('int32', '0+'),
  minBytes: field('int32', '0+'),
  maxBytes: field('int32', '3+', {default: 0x7fffffff}),
  isolationLevel: field('int8', '4+', {default: 0}),
  sessionId: field('int32', '7+', {default: 0}),
  sessionEpoch: field('int32', '7+', {default: -1}),
  topics: array('FetchTopic', '0+', {
    topic: field('string', '0-12'),
    topicId: field('uuid', '13+'),
    partitions: array('FetchPartition', '0+', {
      partition: field('int32', '0+'),
      currentLeaderEpoch: field('int32', '9+', {default: -1}),
      fetchOffset: field('int64', '0+'),
      lastFetchedEpoch: field('int32', '12+', {default: -1}),
      logStartOffset: field('int64', '5+', {default: -1}),
      partitionMaxBytes: field('int32', '0+'),
      replicaDirectoryId: field('uuid', '17+', {tag: 0, tagged: '17+'}),
    }),
  }),
  forgottenTopicsData: array('ForgottenTopic', '7+', {
    topic: field('string', '7-12'),
    topicId: field('uuid', '13+'),
    partitions: field('[]int32', '7+'),
  }),
  rackId: field('string', '11+', {default: ''}),
})

export const FetchResponseSchema = message('FetchResponse', {apiKey: 1, versions: '0-17', flexible: '12+'}, {
  throttleTimeMs: field('int32', '1+'),
  errorCode: field('int16', '7+'),
  sessionId: field('int32', '7+', {default: 0}),
  responses: array('FetchableTopicResponse', '0+', {
    topic: field('string', '0-12'),
    topicId: field('uuid', '13+'),
    partitions: array('PartitionData', '0+', {
      partitionIndex: field('int32', '0+'),
      errorCode: field('int16', '0+'),
      highWatermark: field('int64', '0+'),
      lastStableOffset: field('int64', '4+', {default: -1}),
      logStartOffset: field('int64', '5+', {default: -1}),
      divergingEpoch: struct(
        'EpochEndOffset',
        '12+',
        {
          epoch: field('int32', '12+', {default: -1}),
          endOffset: field('int64', '12+', {default: -1}),
        },
        {tag: 0, tagged: '12+'},
      ),
      currentLeader: struct(
        'LeaderIdAndEpoch',
        '12+',
        {
          leaderId: field('int32', '12+', {default: -1}),
          leaderEpoch: field('int32', '12+', {default: -1}),
        },
        {tag: 1, tagged: '12+'},
      ),
      snapshotId: struct(
        'SnapshotId',
        '12+',
        {
          endOffset: field('int64', '0+', {default: -1}),
          epoch: field('int32', '0+', {default: -1}),
        },
        {tag: 2, tagged: '12+'},
      ),
      abortedTransactions: array(
        'AbortedTransaction',
        '4+',
        {
          producerId: field('int64', '4+'),
          firstOffset: field('int64', '4+'),
        },
        {nullable: '4+'},
      ),
      preferredReadReplica: field('int32', '11+', {default: -1}),
      records: field('records', '0+', {nullable: '0+'}),
    }),
  }),
  nodeEndpoints: array(
    'NodeEndpoint',
    '16+',
    {
      nodeId: field('int32', '16+'),
      host: field('string', '16+'),
      port: field('int32', '16+'),
      rack: field('string', '16+', {nullable: '16+', default: null}),
    },
    {tag: 0, tagged: '16+'},
  ),
})

export type FetchRequest = MessageValue<typeof FetchRequestSchema>
export type ReplicaState = FetchRequest['replicaState']
export type FetchTopic = FetchRequest['topics'][number]
export type FetchPartition = FetchTopic['partitions'][number]
export type ForgottenTopic = FetchRequest['forgottenTopicsData'][number]
export type FetchResponse = MessageValue<typeof FetchResponseSchema>
export type FetchableTopicResponse = FetchResponse['responses'][number]
export type PartitionData = FetchableTopicResponse['partitions'][number]
export type EpochEndOffset = PartitionData['divergingEpoch']
export type SnapshotId = PartitionData['snapshotId']
export type AbortedTransaction = NonNullable<PartitionData['abortedTransactions']>[number]
