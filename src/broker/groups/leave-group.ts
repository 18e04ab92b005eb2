/**
 * LeaveGroup inside a group (Kafka's handleLeaveGroup): each leaving member is removed and the
 * others rebalance. A member is named by its member id, or (an admin removing a static member) by
 * its group instance id with an empty member id. A member id handed out with MEMBER_ID_REQUIRED
 * that never joined is simply forgotten. Errors are per member; a group nobody knows answers
 * UNKNOWN_MEMBER_ID for each.
 */
import {ErrorCode} from '../../protocol/index.js'
import type {ClassicGroup} from './classic-group.js'
import {GroupState} from './group-states.js'
import type {Rebalancer} from './rebalance.js'

export interface LeavingMember {
  memberId: string
  groupInstanceId: string | null
}

export interface LeaveResult {
  errorCode: number
  members: (LeavingMember & {errorCode: number})[]
}

export function leaveGroup(r: Rebalancer, group: ClassicGroup | undefined, leaving: readonly LeavingMember[]): LeaveResult {
  if (group === undefined) return {errorCode: ErrorCode.NONE, members: leaving.map(m => ({...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID}))}
  if (group.is(GroupState.Dead)) return {errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: []}
  return {errorCode: ErrorCode.NONE, members: leaving.map(m => ({...m, errorCode: leave(r, group, m)}))}
}

function leave(r: Rebalancer, group: ClassicGroup, {memberId, groupInstanceId}: LeavingMember): number {
  if (memberId === '') {
    const staticId = groupInstanceId === null ? undefined : group.staticMemberId(groupInstanceId)
    const member = staticId === undefined ? undefined : group.get(staticId)
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
    r.removeMember(group, member, `static member ${groupInstanceId} was removed`)
    return ErrorCode.NONE
  }
  if (group.removePending(memberId)) {
    r.checkJoinComplete(group)
    return ErrorCode.NONE
  }
  if (group.isStaticMemberFenced(groupInstanceId, memberId)) return ErrorCode.FENCED_INSTANCE_ID
  const member = group.get(memberId)
  if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
  r.removeMember(group, member, `member ${memberId} left`)
  return ErrorCode.NONE
}
