import {array, field, message, type MessageValue} from '../schema.js'

// SyncGroup (14). The leader sends every member's assignment; each member gets its own back. v1
// ThrottleTimeMs; v3 GroupInstanceId; v4 flexible; v5 ProtocolType and ProtocolName both ways
// (the broker refuses a request whose names disagree with the group's, KIP-559).

export const SyncGroupRequestSchema = message('SyncGroupRequest', {apiKey: 14, versions: '0-5', flexible: '4+'}, {
  groupId: field('string', '0+'),
  generationId: field('int32', '0+'),
  memberId: field('string', '0+'),
  groupInstanceId: field('string', '3+', {nullable: '3+', default: null}),
  protocolType: field('string', '5+', {nullable: '5+', default: null}),
  protocolName: field('string', '5+', {nullable: '5+', default: null}),
  assignments: array('SyncGroupRequestAssignment', '0+', {
    memberId: field('string', '0+'),
    assignment: field('bytes', '0+'),
  }),
})

export const SyncGroupResponseSchema = message('SyncGroupResponse', {apiKey: 14, versions: '0-5', flexible: '4+'}, {
  throttleTimeMs: field('int32', '1+'),
  errorCode: field('int16', '0+'),
  protocolType: field('string', '5+', {nullable: '5+', default: null}),
  protocolName: field('string', '5+', {nullable: '5+', default: null}),
  assignment: field('bytes', '0+'),
})

export type SyncGroupRequest = MessageValue<typeof SyncGroupRequestSchema>
export type SyncGroupRequestAssignment = SyncGroupRequest['assignments'][number]
export type SyncGroupResponse = MessageValue<typeof SyncGroupResponseSchema>
