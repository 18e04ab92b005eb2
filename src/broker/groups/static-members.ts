/**
 * Static membership (KIP-345, JoinGroup v5+ with a group.instance.id): a member that restarts joins
 * with an empty member id under the same instance id and takes over its old member: the old id is
 * fenced (FENCED_INSTANCE_ID from then on, and at once for a request it still has held), and in a
 * Stable group whose protocol choice does not change, the member keeps its assignment without a
 * rebalance: the new member id is written to the group's record, and the member is told the
 * current generation. (Kafka's doStaticMemberJoinGroup / updateStaticMemberAndRebalance.)
 */
import {ErrorCode} from '../../protocol/index.js'
import type {ClassicGroup} from './classic-group.js'
import type {GroupMember, JoinResult, MemberTimeouts} from './group-member.js'
import {groupMetadataErrorOf} from './group-log-writer.js'
import {metadataValue} from './group-persistence.js'
import {GroupState} from './group-states.js'
import type {GroupStore} from './group-store.js'
import {memberOf, updateMember, type JoinRequest} from './join-request.js'
import {selectProtocol} from './protocol-selection.js'
import {joinError, type Rebalancer} from './rebalance.js'

type Answer = (result: JoinResult) => void

export function joinStaticMember(r: Rebalancer, store: GroupStore, group: ClassicGroup, request: JoinRequest,
  newMemberId: string, answer: Answer): void {
  const instanceId = request.groupInstanceId!
  const oldMemberId = group.staticMemberId(instanceId)
  const old = oldMemberId === undefined ? undefined : group.get(oldMemberId)
  if (oldMemberId === undefined || old === undefined) {
    r.addMemberAndRebalance(group, memberOf(request, newMemberId), request.protocolType, answer, `static member ${instanceId} joined`)
    return
  }
  r.release(old, ErrorCode.FENCED_INSTANCE_ID)
  const reason = `static member ${instanceId} rejoined as ${newMemberId}, replacing ${oldMemberId}`
  if (group.is(GroupState.Stable)) {
    rejoinStable(r, store, group, {request, oldMemberId, newMemberId, answer})
  } else if (group.is(GroupState.CompletingRebalance)) {
    // The leader may already be assigning to the old id, which the new one would never receive: rebalance.
    const member = replace(r, group, instanceId, oldMemberId, newMemberId)
    updateMember(member, request)
    member.awaitJoin(answer)
    r.prepareRebalance(group, reason)
  } else {
    const member = replace(r, group, instanceId, oldMemberId, newMemberId)
    updateMember(member, request)
    r.updateMemberAndRebalance(group, member, answer, reason)
  }
}

interface StableRejoin {
  request: JoinRequest
  oldMemberId: string
  newMemberId: string
  answer: Answer
}

/** In a Stable group: no rebalance unless the member's new protocols change the group's choice. */
function rejoinStable(r: Rebalancer, store: GroupStore, group: ClassicGroup, rejoin: StableRejoin): void {
  const {request, oldMemberId, newMemberId, answer} = rejoin
  const instanceId = request.groupInstanceId!
  const currentLeader = group.leaderId ?? ''
  const member = replace(r, group, instanceId, oldMemberId, newMemberId)
  const before = {protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs}
  updateMember(member, request)
  if (selectProtocol(group.allMembers()) !== group.protocolName) {
    r.updateMemberAndRebalance(group, member, answer, `static member ${instanceId} rejoined with a change of protocol`)
    return
  }
  const generationId = group.generationId
  const assignments = new Map(group.allMembers().map(m => [m.memberId, m.assignment]))
  store.storeGroupMetadata(group.groupId, metadataValue(group, assignments)).then(() => {
    if (r.closed) answer(joinError(newMemberId, ErrorCode.COORDINATOR_NOT_AVAILABLE))
    else answer(groupInfo(r, group, member, request.supportSkippingAssignment, currentLeader))
  }, (error: unknown) => {
    if (r.closed) return answer(joinError(newMemberId, ErrorCode.COORDINATOR_NOT_AVAILABLE))
    // The record still names the old id: go back to it, so the group and its record agree.
    if (group.get(newMemberId) === member && group.generationId === generationId) {
      restore(member, before)
      replace(r, group, instanceId, newMemberId, oldMemberId)
    }
    answer({...r.joinResultFor(group, member, currentLeader), memberId: '', errorCode: groupMetadataErrorOf(error), members: []})
  })
}

/**
 * What a static member that took over in a Stable group is told. From v9 the leader is told it leads
 * but must skip the assignment (it keeps watching metadata); before v9 it is given the old leader id,
 * so that no member runs an assignment the Stable group would not hand out.
 */
function groupInfo(r: Rebalancer, group: ClassicGroup, member: GroupMember, skipping: boolean, currentLeader: string): JoinResult {
  if (!skipping) return r.joinResultFor(group, member, currentLeader)
  const isLeader = group.isLeader(member.memberId)
  return r.joinResultFor(group, member, group.leaderId ?? '', isLeader)
}

function replace(r: Rebalancer, group: ClassicGroup, instanceId: string, fromId: string, toId: string): GroupMember {
  const member = group.replaceStaticMember(instanceId, fromId, toId)
  r.heartbeat(group, member)
  return member
}

function restore(member: GroupMember, before: MemberTimeouts & {protocols: GroupMember['protocols']}): void {
  member.protocols = before.protocols
  member.rebalanceTimeoutMs = before.rebalanceTimeoutMs
  member.sessionTimeoutMs = before.sessionTimeoutMs
}
