import {array, field, message, type MessageValue} from '../schema.js'

// LeaveGroup (13). v1 ThrottleTimeMs; v3 batched: Members (MemberId with GroupInstanceId) replaces
// the single MemberId, with an error per member in the response; v4 flexible; v5 Reason.

export const LeaveGroupRequestSchema = message('LeaveGroupRequest', {apiKey: 13, versions: '0-5', flexible: '4+'}, {
  groupId: field('string', '0+'),
  memberId: field('string', '0-2'),
  members: array('MemberIdentity', '3+', {
    memberId: field('string', '3+'),
    groupInstanceId: field('string', '3+', {nullable: '3+', default: null}),
    reason: field('string', '5+', {nullable: '5+', default: null}),
  }),
})

export const LeaveGroupResponseSchema = message('LeaveGroupResponse', {apiKey: 13, versions: '0-5', flexible: '4+'}, {
  throttleTimeMs: field('int32', '1+'),
  errorCode: field('int16', '0+'),
  members: array('MemberResponse', '3+', {
    memberId: field('string', '3+'),
    groupInstanceId: field('string', '3+', {nullable: '3+'}),
    errorCode: field('int16', '3+'),
  }),
})

export type LeaveGroupRequest = MessageValue<typeof LeaveGroupRequestSchema>
export type MemberIdentity = LeaveGroupRequest['members'][number]
export type LeaveGroupResponse = MessageValue<typeof LeaveGroupResponseSchema>
export type MemberResponse = LeaveGroupResponse['members'][number]
