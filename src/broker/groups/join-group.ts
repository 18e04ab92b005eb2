/**
 * JoinGroup inside a group (Kafka's doNewMemberJoinGroup / doCurrentMemberJoinGroup): the size
 * limit, the protocol check, member ids (`<clientId>-<uuid>`, handed out with MEMBER_ID_REQUIRED
 * from v4 so that the client rejoins with it), and what each state does with a known member's join.
 * The answer is held (the promise stays pending) until the join phase ends, except where a member
 * may simply be told the current generation again.
 */
import {randomUUID} from 'node:crypto'
import {ErrorCode} from '../../protocol/index.js'
import type {ClassicGroup} from './classic-group.js'
import type {JoinResult} from './group-member.js'
import {GroupState} from './group-states.js'
import type {GroupStore} from './group-store.js'
import {supportsProtocols} from './protocol-selection.js'
import {memberOf, updateMember, type JoinRequest} from './join-request.js'
import {joinError, type Rebalancer} from './rebalance.js'
import {joinStaticMember} from './static-members.js'

export interface JoinContext {
  readonly rebalancer: Rebalancer
  readonly store: GroupStore
  /** group.max.size */
  readonly maxSize: number
}

export function joinGroup({rebalancer: r, store, maxSize}: JoinContext, group: ClassicGroup, request: JoinRequest): Promise<JoinResult> {
  return new Promise<JoinResult>(answer => {
    if (!acceptsJoiningMember(group, request.memberId, maxSize)) {
      const member = group.get(request.memberId)
      if (member !== undefined) r.removeMember(group, member, `group.max.size ${maxSize} reached`)
      answer(joinError('', ErrorCode.GROUP_MAX_SIZE_REACHED))
    } else if (group.is(GroupState.Dead)) {
      answer(joinError(request.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE))
    } else if (!supportsProtocols(group.protocolType, group.allMembers(), request.protocolType, request.protocols)) {
      answer(joinError(request.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL))
    } else if (request.memberId === '') {
      joinNewMember(r, store, group, request, answer)
    } else {
      joinKnownMember(r, group, request, answer)
    }
  })
}

/** group.max.size counts members (in a rebalance: those that joined it); a known member is never turned away. */
function acceptsJoiningMember(group: ClassicGroup, memberId: string, maxSize: number): boolean {
  switch (group.state) {
    case GroupState.Empty:
    case GroupState.Dead:
      return true
    case GroupState.PreparingRebalance:
      return group.get(memberId)?.isAwaitingJoin === true || group.numAwaitingJoin < maxSize
    default:
      return group.has(memberId) || group.size < maxSize
  }
}

function joinNewMember(r: Rebalancer, store: GroupStore, group: ClassicGroup, request: JoinRequest, answer: (result: JoinResult) => void): void {
  const memberId = `${request.groupInstanceId ?? request.clientId}-${randomUUID()}`
  if (request.groupInstanceId !== null) {
    joinStaticMember(r, store, group, request, memberId, answer)
  } else if (request.requireKnownMemberId) {
    r.addPendingMember(group, memberId, request.sessionTimeoutMs)
    answer(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED))
  } else {
    r.addMemberAndRebalance(group, memberOf(request, memberId), request.protocolType, answer, because(`member ${memberId} joined`, request))
  }
}

function joinKnownMember(r: Rebalancer, group: ClassicGroup, request: JoinRequest, answer: (result: JoinResult) => void): void {
  const {memberId, groupInstanceId} = request
  if (group.isPending(memberId)) {
    // Ids handed out with MEMBER_ID_REQUIRED are for dynamic members only.
    if (groupInstanceId !== null) return answer(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID))
    return r.addMemberAndRebalance(group, memberOf(request, memberId), request.protocolType, answer, because(`member ${memberId} joined`, request))
  }
  if (group.isStaticMemberFenced(groupInstanceId, memberId)) return answer(joinError(memberId, ErrorCode.FENCED_INSTANCE_ID))
  const member = group.get(memberId)
  if (member === undefined || (groupInstanceId !== null && group.staticMemberId(groupInstanceId) === undefined)) {
    return answer(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID))
  }
  const rejoin = (reason: string) => {
    updateMember(member, request)
    r.updateMemberAndRebalance(group, member, answer, because(reason, request))
  }
  switch (group.state) {
    case GroupState.PreparingRebalance:
      return rejoin(`member ${memberId} rejoined`)
    case GroupState.CompletingRebalance:
      // Same metadata: it missed the answer to its join, so it is told the current generation again.
      if (member.matches(request.protocols)) return answer(r.joinResultFor(group, member))
      return rejoin(`member ${memberId} rejoined with new metadata`)
    case GroupState.Stable:
      // The leader's join asks for a new assignment (the topics' partitions may have changed).
      if (group.isLeader(memberId)) return rejoin(`the leader ${memberId} rejoined`)
      if (!member.matches(request.protocols)) return rejoin(`member ${memberId} rejoined with new metadata`)
      return answer(r.joinResultFor(group, member))
    default:
      return answer(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID))
  }
}

/** The coordinator's reason for a rebalance, with the client's own (JoinGroup v8+) when it gave one. */
function because(reason: string, request: JoinRequest): string {
  return request.reason === null || request.reason === '' ? reason : `${reason}; client reason: ${request.reason}`
}
