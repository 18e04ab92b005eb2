import {array, field, message, type MessageValue} from '../schema.js'

// DescribeGroups (15). An unknown group answers error 0 with state "Dead" and no members. v1
// ThrottleTimeMs; v3 IncludeAuthorizedOperations and AuthorizedOperations (INT32_MIN = not
// requested); v4 members' GroupInstanceId; v5 flexible. (AK 4.0's v6, GROUP_ID_NOT_FOUND for
// unknown groups, is not in the message definitions this table is checked against.)

export const DescribeGroupsRequestSchema = message('DescribeGroupsRequest', {apiKey: 15, versions: '0-5', flexible: '5+'}, {
  groups: field('[]string', '0+'),
  includeAuthorizedOperations: field('bool', '3+'),
})

export const DescribeGroupsResponseSchema = message('DescribeGroupsResponse', {apiKey: 15, versions: '0-5', flexible: '5+'}, {
  throttleTimeMs: field('int32', '1+'),
  groups: array('DescribedGroup', '0+', {
    errorCode: field('int16', '0+'),
    groupId: field('string', '0+'),
    groupState: field('string', '0+'),
    protocolType: field('string', '0+'),
    protocolData: field('string', '0+'),
    members: array('DescribedGroupMember', '0+', {
      memberId: field('string', '0+'),
      groupInstanceId: field('string', '4+', {nullable: '4+', default: null}),
      clientId: field('string', '0+'),
      clientHost: field('string', '0+'),
      memberMetadata: field('bytes', '0+'),
      memberAssignment: field('bytes', '0+'),
    }),
    authorizedOperations: field('int32', '3+', {default: -2147483648}),
  }),
})

export type DescribeGroupsRequest = MessageValue<typeof DescribeGroupsRequestSchema>
export type DescribeGroupsResponse = MessageValue<typeof DescribeGroupsResponseSchema>
export type DescribedGroup = DescribeGroupsResponse['groups'][number]
export type DescribedGroupMember = DescribedGroup['members'][number]
