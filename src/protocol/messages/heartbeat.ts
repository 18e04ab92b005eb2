import {field, message, type MessageValue} from '../schema.js'

// Heartbeat (12). v1 ThrottleTimeMs; v3 GroupInstanceId; v4 flexible.

export const HeartbeatRequestSchema = message('HeartbeatRequest', {apiKey: 12, versions: '0-4', flexible: '4+'}, {
  groupId: field('string', '0+'),
  generationId: field('int32', '0+'),
  memberId: field('string', '0+'),
  groupInstanceId: field('string', '3+', {nullable: '3+', default: null}),
})

export const HeartbeatResponseSchema = message('HeartbeatResponse', {apiKey: 12, versions: '0-4', flexible: '4+'}, {
  throttleTimeMs: field('int32', '1+'),
  errorCode: field('int16', '0+'),
})

export type HeartbeatRequest = MessageValue<typeof HeartbeatRequestSchema>
export type HeartbeatResponse = MessageValue<typeof HeartbeatResponseSchema>
