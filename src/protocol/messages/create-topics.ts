import {array, field, message, type MessageValue} from '../schema.js'

// CreateTopics (19). v1 ValidateOnly and ErrorMessage; v2 ThrottleTimeMs; v4 -1 partitions or
// replication factor = the broker's default; v5 flexible, the created topic's configs come back;
// v7 TopicId.

export const CreateTopicsRequestSchema = message('CreateTopicsRequest', {apiKey: 19, versions: '0-7', flexible: '5+'}, {
  topics: array('CreatableTopic', '0+', {
    name: field('string', '0+'),
    numPartitions: field('int32', '0+'),
    replicationFactor: field('int16', '0+'),
    assignments: array('CreatableReplicaAssignment', '0+', {
      partitionIndex: field('int32', '0+'),
      brokerIds: field('[]int32', '0+'),
    }),
    configs: array('CreatableTopicConfig', '0+', {
      name: field('string', '0+'),
      value: field('string', '0+', {nullable: '0+'}),
    }),
  }),
  timeoutMs: field('int32', '0+', {default: 60000}),
  validateOnly: field('bool', '1+', {default: false}),
})

export const CreateTopicsResponseSchema = message('CreateTopicsResponse', {apiKey: 19, versions: '0-7', flexible: '5+'}, {
  throttleTimeMs: field('int32', '2+'),
  topics: array('CreatableTopicResult', '0+', {
    name: field('string', '0+'),
    topicId: field('uuid', '7+'),
    errorCode: field('int16', '0+'),
    errorMessage: field('string', '1+', {nullable: '0+'}),
    topicConfigErrorCode: field('int16', '5+', {tag: 0, tagged: '5+'}),
    numPartitions: field('int32', '5+', {default: -1}),
    replicationFactor: field('int16', '5+', {default: -1}),
    configs: array(
      'CreatableTopicConfigs',
      '5+',
      {
        name: field('string', '5+'),
        value: field('string', '5+', {nullable: '5+'}),
        readOnly: field('bool', '5+'),
        configSource: field('int8', '5+', {default: -1}),
        isSensitive: field('bool', '5+'),
      },
      {nullable: '5+'},
    ),
  }),
})

export type CreateTopicsRequest = MessageValue<typeof CreateTopicsRequestSchema>
export type CreatableTopic = CreateTopicsRequest['topics'][number]
export type CreatableReplicaAssignment = CreatableTopic['assignments'][number]
export type CreatableTopicConfig = CreatableTopic['configs'][number]
export type CreateTopicsResponse = MessageValue<typeof CreateTopicsResponseSchema>
export type CreatableTopicResult = CreateTopicsResponse['topics'][number]
export type CreatableTopicConfigs = NonNullable<CreatableTopicResult['configs']>[number]
