import {array, field, message, type MessageValue} from '../schema.js'

// DeleteTopics (20). v1 ThrottleTimeMs; v4 flexible; v5 ErrorMessage; v6 topics named by name or
// by TopicId (Topics replaces TopicNames).

export const DeleteTopicsRequestSchema = message('DeleteTopicsRequest', {apiKey: 20, versions: '0-6', flexible: '4+'}, {
  topics: array('DeleteTopicState', '6+', {
    name: field('string', '6+', {nullable: '6+', default: null}),
    topicId: field('uuid', '6+'),
  }),
  topicNames: field('[]string', '0-5'),
  timeoutMs: field('int32', '0+'),
})

export const DeleteTopicsResponseSchema = message('DeleteTopicsResponse', {apiKey: 20, versions: '0-6', flexible: '4+'}, {
  throttleTimeMs: field('int32', '1+'),
  responses: array('DeletableTopicResult', '0+', {
    name: field('string', '0+', {nullable: '6+'}),
    topicId: field('uuid', '6+'),
    errorCode: field('int16', '0+'),
    errorMessage: field('string', '5+', {nullable: '5+', default: null}),
  }),
})

export type DeleteTopicsRequest = MessageValue<typeof DeleteTopicsRequestSchema>
export type DeleteTopicState = DeleteTopicsRequest['topics'][number]
export type DeleteTopicsResponse = MessageValue<typeof DeleteTopicsResponseSchema>
export type DeletableTopicResult = DeleteTopicsResponse['responses'][number]
