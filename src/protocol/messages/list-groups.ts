import {array, field, message, type MessageValue} from '../schema.js'

// ListGroups (16). v1 ThrottleTimeMs; v3 flexible; v4 StatesFilter and each group's GroupState
// (KIP-518; an empty filter lists every state); v5 TypesFilter and GroupType (KIP-848).

export const ListGroupsRequestSchema = message('ListGroupsRequest', {apiKey: 16, versions: '0-5', flexible: '3+'}, {
  statesFilter: field('[]string', '4+'),
  typesFilter: field('[]string', '5+'),
})

export const ListGroupsResponseSchema = message('ListGroupsResponse', {apiKey: 16, versions: '0-5', flexible: '3+'}, {
  throttleTimeMs: field('int32', '1+'),
  errorCode: field('int16', '0+'),
  groups: array('ListedGroup', '0+', {
    groupId: field('string', '0+'),
    protocolType: field('string', '0+'),
    groupState: field('string', '4+'),
    groupType: field('string', '5+'),
  }),
})

export type ListGroupsRequest = MessageValue<typeof ListGroupsRequestSchema>
export type ListGroupsResponse = MessageValue<typeof ListGroupsResponseSchema>
export type ListedGroup = ListGroupsResponse['groups'][number]
