import {array, field, message, type MessageValue} from '../schema.js'

// DeleteGroups (42). A group with members answers NON_EMPTY_GROUP, an unknown one
// GROUP_ID_NOT_FOUND. v1 is v0 (throttling before the answer); v2 flexible.

export const DeleteGroupsRequestSchema = message('DeleteGroupsRequest', {apiKey: 42, versions: '0-2', flexible: '2+'}, {
  groupsNames: field('[]string', '0+'),
})

export const DeleteGroupsResponseSchema = message('DeleteGroupsResponse', {apiKey: 42, versions: '0-2', flexible: '2+'}, {
  throttleTimeMs: field('int32', '0+'),
  results: array('DeletableGroupResult', '0+', {
    groupId: field('string', '0+'),
    errorCode: field('int16', '0+'),
  }),
})

export type DeleteGroupsRequest = MessageValue<typeof DeleteGroupsRequestSchema>
export type DeleteGroupsResponse = MessageValue<typeof DeleteGroupsResponseSchema>
export type DeletableGroupResult = DeleteGroupsResponse['results'][number]
