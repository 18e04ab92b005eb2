import {array, field, message, type MessageValue} from '../schema.js'

// JoinGroup (11). v1 RebalanceTimeoutMs (v0: the session timeout serves); v2 ThrottleTimeMs; v4 a
// member joining with an empty MemberId gets MEMBER_ID_REQUIRED and its id, then joins again; v5
// GroupInstanceId (static membership); v6 flexible; v7 ProtocolType in the response and a nullable
// ProtocolName; v8 Reason; v9 SkipAssignment.

export const JoinGroupRequestSchema = message('JoinGroupRequest', {apiKey: 11, versions: '0-9', flexible: '6+'}, {
  groupId: field('string', '0+'),
  sessionTimeoutMs: field('int32', '0+'),
  rebalanceTimeoutMs: field('int32', '1+', {default: -1}),
  memberId: field('string', '0+'),
  groupInstanceId: field('string', '5+', {nullable: '5+', default: null}),
  protocolType: field('string', '0+'),
  protocols: array('JoinGroupRequestProtocol', '0+', {
    name: field('string', '0+'),
    metadata: field('bytes', '0+'),
  }),
  reason: field('string', '8+', {nullable: '8+', default: null}),
})

export const JoinGroupResponseSchema = message('JoinGroupResponse', {apiKey: 11, versions: '0-9', flexible: '6+'}, {
  throttleTimeMs: field('int32', '2+'),
  errorCode: field('int16', '0+'),
  generationId: field('int32', '0+', {default: -1}),
  protocolType: field('string', '7+', {nullable: '7+', default: null}),
  protocolName: field('string', '0+', {nullable: '7+'}),
  leader: field('string', '0+'),
  skipAssignment: field('bool', '9+', {default: false}),
  memberId: field('string', '0+'),
  members: array('JoinGroupResponseMember', '0+', {
    memberId: field('string', '0+'),
    groupInstanceId: field('string', '5+', {nullable: '5+', default: null}),
    metadata: field('bytes', '0+'),
  }),
})

export type JoinGroupRequest = MessageValue<typeof JoinGroupRequestSchema>
export type JoinGroupRequestProtocol = JoinGroupRequest['protocols'][number]
export type JoinGroupResponse = MessageValue<typeof JoinGroupResponseSchema>
export type JoinGroupResponseMember = JoinGroupResponse['members'][number]
