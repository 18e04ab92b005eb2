import {array, field, message, type MessageValue} from '../schema.js'

// Metadata (3). v0: an empty topic list means all topics; v1+: null means all, empty means none.
// v1 ControllerId, IsInternal, Rack; v2 ClusterId; v3 ThrottleTimeMs; v4 AllowAutoTopicCreation;
// v5 OfflineReplicas; v7 LeaderEpoch; v8 authorized operations (cluster-wide ones only to v10);
// v9 flexible; v10 TopicId; v12 null topic names in answers to lookups by id.

export const MetadataRequestSchema = message('MetadataRequest', {apiKey: 3, versions: '0-12', flexible: '9+'}, {
  topics: array(
    'MetadataRequestTopic',
    '0+',
    {
      topicId: field('uuid', '10+'),
      name: field('string', '0+', {nullable: '10+'}),
    },
    {nullable: '1+'},
  ),
  allowAutoTopicCreation: field('bool', '4+', {default: true}),
  includeClusterAuthorizedOperations: field('bool', '8-10'),
  includeTopicAuthorizedOperations: field('bool', '8+'),
})

export const MetadataResponseSchema = message('MetadataResponse', {apiKey: 3, versions: '0-12', flexible: '9+'}, {
  throttleTimeMs: field('int32', '3+'),
  brokers: array('MetadataResponseBroker', '0+', {
    nodeId: field('int32', '0+'),
    host: field('string', '0+'),
    port: field('int32', '0+'),
    rack: field('string', '1+', {nullable: '1+', default: null}),
  }),
  clusterId: field('string', '2+', {nullable: '2+', default: null}),
  controllerId: field('int32', '1+', {default: -1}),
  topics: array('MetadataResponseTopic', '0+', {
    errorCode: field('int16', '0+'),
    name: field('string', '0+', {nullable: '12+'}),
    topicId: field('uuid', '10+'),
    isInternal: field('bool', '1+', {default: false}),
    partitions: array('MetadataResponsePartition', '0+', {
      errorCode: field('int16', '0+'),
      partitionIndex: field('int32', '0+'),
      leaderId: field('int32', '0+'),
      leaderEpoch: field('int32', '7+', {default: -1}),
      replicaNodes: field('[]int32', '0+'),
      isrNodes: field('[]int32', '0+'),
      offlineReplicas: field('[]int32', '5+'),
    }),
    topicAuthorizedOperations: field('int32', '8+', {default: -2147483648}),
  }),
  clusterAuthorizedOperations: field('int32', '8-10', {default: -2147483648}),
})

export type MetadataRequest = MessageValue<typeof MetadataRequestSchema>
export type MetadataRequestTopic = NonNullable<MetadataRequest['topics']>[number]
export type MetadataResponse = MessageValue<typeof MetadataResponseSchema>
export type MetadataResponseBroker = MetadataResponse['brokers'][number]
export type MetadataResponseTopic = MetadataResponse['topics'][number]
export type MetadataResponsePartition = MetadataResponseTopic['partitions'][number]
