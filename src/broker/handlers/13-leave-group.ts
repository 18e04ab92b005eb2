/**
 * LeaveGroup (key 13), versions 0-5 (librdkafka sends 1, kafkajs 3, kafka-python 2.0.2 1, Java 5).
 * Removes members, and the others rebalance.
 *
 * Version notes: v0-2 one MemberId, its error as the top-level ErrorCode; v3 batched Members
 * (MemberId, or GroupInstanceId with an empty MemberId to remove a static member) with an error
 * per member; v4 flexible; v5 Reason per member.
 */
import {ApiKey, ErrorCode, type LeaveGroupRequest, type LeaveGroupResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

export const leaveGroupHandler = registerHandler({
  apiKey: ApiKey.LeaveGroup,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: LeaveGroupRequest, version: number, ctx: BrokerContext): Promise<LeaveGroupResponse> {
    const leaving = version >= 3
      ? request.members.map(({memberId, groupInstanceId}) => ({memberId, groupInstanceId}))
      : [{memberId: request.memberId, groupInstanceId: null}]
    const result = ctx.groups.leaveGroup(request.groupId, leaving)
    if (version >= 3) return {throttleTimeMs: 0, errorCode: result.errorCode, members: result.members}
    const memberError = result.members.find(m => m.errorCode !== ErrorCode.NONE)?.errorCode ?? ErrorCode.NONE
    return {throttleTimeMs: 0, errorCode: result.errorCode !== ErrorCode.NONE ? result.errorCode : memberError, members: []}
  },
})
