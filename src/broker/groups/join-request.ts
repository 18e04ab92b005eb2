/**
 * A JoinGroup as the coordinator sees it, whatever its version, and the member it makes.
 */
import {GroupMember, type MemberProtocol} from './group-member.js'

/** A JoinGroup as the coordinator sees it, whatever its version. */
export interface JoinRequest {
  groupId: string
  /** "" for a member joining for the first time. */
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  rebalanceTimeoutMs: number
  sessionTimeoutMs: number
  protocolType: string
  protocols: MemberProtocol[]
  /** v4+: a new member is given its id with MEMBER_ID_REQUIRED and joins again with it. */
  requireKnownMemberId: boolean
  /** v9+: a static leader rejoining a Stable group is told to skip the assignment. */
  supportSkippingAssignment: boolean
  /** v8+: why the client joins, for the log. */
  reason: string | null
}

/** A member built from its JoinGroup. */
export function memberOf(request: JoinRequest, memberId: string): GroupMember {
  return new GroupMember(
    {memberId, groupInstanceId: request.groupInstanceId, clientId: request.clientId, clientHost: request.clientHost},
    {rebalanceTimeoutMs: request.rebalanceTimeoutMs, sessionTimeoutMs: request.sessionTimeoutMs}, request.protocols)
}

/** Takes the protocols and timeouts of the member's latest JoinGroup. */
export function updateMember(member: GroupMember, request: JoinRequest): void {
  member.protocols = request.protocols
  member.rebalanceTimeoutMs = request.rebalanceTimeoutMs
  member.sessionTimeoutMs = request.sessionTimeoutMs
}

