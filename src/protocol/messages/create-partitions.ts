import {array, field, message, type MessageValue} from '../schema.js'

// CreatePartitions (37): raises a topic's partition count to Count. v1 is v0 with throttling;
// v2 flexible; v3 the same as v2 but may answer THROTTLING_QUOTA_EXCEEDED (KIP-599).

export const CreatePartitionsRequestSchema = message('CreatePartitionsRequest', {apiKey: 37, versions: '0-3', flexible: '2+'}, {
  topics: array('CreatePartitionsTopic', '0+', {
    name: field('string', '0+'),
    count: field('int32', '0+'),
    assignments: array(
      'CreatePartitionsAssignment',
      '0+',
      {
        brokerIds: field('[]int32', '0+'),
      },
      {nullable: '0+'},
    ),
  }),
  timeoutMs: field('int32', '0+'),
  validateOnly: field('bool', '0+'),
})

export const CreatePartitionsResponseSchema = message('CreatePartitionsResponse', {apiKey: 37, versions: '0-3', flexible: '2+'}, {
  throttleTimeMs: field('int32', '0+'),
  results: array('CreatePartitionsTopicResult', '0+', {
    name: field('string', '0+'),
    errorCode: field('int16', '0+'),
    errorMessage: field('string', '0+', {nullable: '0+', default: null}),
  }),
})

export type CreatePartitionsRequest = MessageValue<typeof CreatePartitionsRequestSchema>
export type CreatePartitionsTopic = CreatePartitionsRequest['topics'][number]
export type CreatePartitionsAssignment = NonNullable<CreatePartitionsTopic['assignments']>[number]
export type CreatePartitionsResponse = MessageValue<typeof CreatePartitionsResponseSchema>
export type CreatePartitionsTopicResult = CreatePartitionsResponse['results'][number]
