// The fake cluster's answers to the membership APIs (JoinGroup, SyncGroup, Heartbeat, LeaveGroup): a
// small classic-protocol coordinator for the client's group tests. Members' JoinGroups are held until
// every known member has rejoined or `rebalanceWindowMs` (per group, default 300 ms) has passed, when
// stragglers are dropped; the leader (the previous one, else the first joiner) gets every member's
// metadata for the protocol chosen by vote; followers' SyncGroups wait for the leader's. Members not
// heard from within their session timeout are dropped. Group state is shared with
// fake-group-admin-apis.ts (members, state, protocol), so DescribeGroups and OffsetCommit see it.
import {randomUUID} from 'node:crypto'
import {ApiKey, ErrorCode, type ApiKeyValue, type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import type {FakeCluster, Reply, RequestContext} from './fake-cluster.js'
import {fakeGroups, type FakeGroup} from './fake-group-admin-apis.js'

interface Member {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  protocols: {name: string; metadata: Buffer}[]
  sessionTimeoutMs: number
  lastSeen: number
}

interface Membership {
  generation: number
  leader: string
  protocol: string
  phase: 'empty' | 'joining' | 'syncing' | 'stable'
  members: Map<string, Member>
  /** Ids handed out with MEMBER_ID_REQUIRED, not yet joined. */
  pendingIds: Set<string>
  joins: Map<string, (response: ResponseTypes[11]) => void>
  syncs: Map<string, (errorCode: number, assignment: Buffer) => void>
  assignments: Map<string, Buffer>
  windowTimer: NodeJS.Timeout | null
}

/** Options tests may set per cluster. */
export const membershipSettings = new WeakMap<FakeCluster, {rebalanceWindowMs: number}>()

const states = new WeakMap<FakeGroup, Membership>()

function membershipOf(group: FakeGroup): Membership {
  let state = states.get(group)
  if (!state) {
    state = {generation: 0, leader: '', protocol: '', phase: 'empty', members: new Map(), pendingIds: new Set(), joins: new Map(),
      syncs: new Map(), assignments: new Map(), windowTimer: null}
    states.set(group, state)
  }
  return state
}

/** The answer to a membership request, or undefined for another API. */
export function answerGroupMembership(cluster: FakeCluster, apiKey: ApiKeyValue, body: unknown, context: RequestContext): Reply<ApiKeyValue> | Promise<Reply<ApiKeyValue>> | undefined {
  switch (apiKey) {
    case ApiKey.JoinGroup:
      return joinGroup(cluster, body as RequestTypes[11], context) as Promise<Reply<ApiKeyValue>>
    case ApiKey.SyncGroup:
      return syncGroup(cluster, body as RequestTypes[14], context) as Promise<Reply<ApiKeyValue>>
    case ApiKey.Heartbeat:
      return heartbeat(cluster, body as RequestTypes[12], context) as Reply<ApiKeyValue>
    case ApiKey.LeaveGroup:
      return leaveGroup(cluster, body as RequestTypes[13], context) as Reply<ApiKeyValue>
    default:
      return undefined
  }
}

function groupFor(cluster: FakeCluster, groupId: string, context: RequestContext): FakeGroup | null {
  const groups = fakeGroups(cluster)
  if (groups.coordinatorOf(groupId) !== context.node.nodeId) return null
  const group = groups.groups.get(groupId) ?? groups.add(groupId)
  if (!states.has(group)) sweepSessions(cluster, group)
  return group
}

function joinAnswer(errorCode: number, memberId = '', fields: Partial<ResponseTypes[11]> = {}): ResponseTypes[11] {
  return {throttleTimeMs: 0, errorCode, generationId: -1, protocolType: null, protocolName: '', leader: '', skipAssignment: false,
    memberId, members: [], ...fields} as ResponseTypes[11]
}

async function joinGroup(cluster: FakeCluster, request: RequestTypes[11], context: RequestContext): Promise<ResponseTypes[11]> {
  const group = groupFor(cluster, request.groupId, context)
  if (!group) return joinAnswer(ErrorCode.NOT_COORDINATOR)
  const state = membershipOf(group)
  const clientId = cluster.received.find((r) => r.correlationId === context.correlationId && r.apiKey === ApiKey.JoinGroup)?.clientId ?? 'client'
  let memberId = request.memberId
  if (memberId === '') {
    memberId = `${clientId}-${randomUUID()}`
    if (context.version >= 4) {
      state.pendingIds.add(memberId)
      return joinAnswer(ErrorCode.MEMBER_ID_REQUIRED, memberId)
    }
  } else if (!state.members.has(memberId) && !state.pendingIds.delete(memberId)) {
    return joinAnswer(ErrorCode.UNKNOWN_MEMBER_ID, memberId)
  }
  state.members.set(memberId, {memberId, groupInstanceId: request.groupInstanceId, clientId, protocols: request.protocols,
    sessionTimeoutMs: request.sessionTimeoutMs, lastSeen: Date.now()})
  group.protocolType = request.protocolType
  startRebalance(cluster, group, state)
  return new Promise((resolve) => {
    state.joins.get(memberId)?.(joinAnswer(ErrorCode.UNKNOWN_MEMBER_ID, memberId))
    state.joins.set(memberId, resolve)
    maybeCompleteJoin(group, state)
  })
}

/** Enters the join phase: pending syncs are told to rejoin; stragglers are dropped after the window. */
function startRebalance(cluster: FakeCluster, group: FakeGroup, state: Membership): void {
  if (state.phase === 'joining') return
  state.phase = 'joining'
  group.state = 'PreparingRebalance'
  for (const answer of state.syncs.values()) answer(ErrorCode.REBALANCE_IN_PROGRESS, Buffer.alloc(0))
  state.syncs.clear()
  const windowMs = membershipSettings.get(cluster)?.rebalanceWindowMs ?? 300
  void cluster.delay(windowMs).then(() => {
    if (state.phase !== 'joining') return
    for (const id of [...state.members.keys()]) if (!state.joins.has(id)) state.members.delete(id)
    maybeCompleteJoin(group, state, true)
  })
}

function maybeCompleteJoin(group: FakeGroup, state: Membership, windowOver = false): void {
  if (state.phase !== 'joining') return
  const everyone = [...state.members.keys()].every((id) => state.joins.has(id))
  if (!everyone && !windowOver) return
  if (state.members.size === 0) {
    state.phase = 'empty'
    group.state = 'Empty'
    return
  }
  state.generation++
  const members = [...state.members.values()]
  state.protocol = vote(members)
  if (!state.members.has(state.leader)) state.leader = members[0]!.memberId
  state.phase = 'syncing'
  state.assignments.clear()
  group.state = 'CompletingRebalance'
  group.protocol = state.protocol
  mirror(group, state)
  for (const member of members) {
    const answer = state.joins.get(member.memberId)!
    const leader = member.memberId === state.leader
    answer(joinAnswer(ErrorCode.NONE, member.memberId, {
      generationId: state.generation, protocolType: group.protocolType, protocolName: state.protocol, leader: state.leader,
      members: leader ? members.map((m) => ({memberId: m.memberId, groupInstanceId: m.groupInstanceId,
        metadata: m.protocols.find((p) => p.name === state.protocol)!.metadata})) : [],
    }))
  }
  state.joins.clear()
}

/** Each member votes for its first protocol that every member supports; most votes wins. */
function vote(members: Member[]): string {
  const common = members[0]!.protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)))
  const votes = new Map<string, number>()
  for (const member of members) {
    const choice = member.protocols.find((p) => common.includes(p.name))!.name
    votes.set(choice, (votes.get(choice) ?? 0) + 1)
  }
  return [...votes].sort((a, b) => b[1] - a[1])[0]![0]
}

async function syncGroup(cluster: FakeCluster, request: RequestTypes[14], context: RequestContext): Promise<ResponseTypes[14]> {
  const answer = (errorCode: number, assignment: Buffer = Buffer.alloc(0)): ResponseTypes[14] =>
    ({throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment}) as ResponseTypes[14]
  const group = groupFor(cluster, request.groupId, context)
  if (!group) return answer(ErrorCode.NOT_COORDINATOR)
  const state = membershipOf(group)
  if (!state.members.has(request.memberId)) return answer(ErrorCode.UNKNOWN_MEMBER_ID)
  if (request.generationId !== state.generation) return answer(ErrorCode.ILLEGAL_GENERATION)
  if (state.phase === 'joining') return answer(ErrorCode.REBALANCE_IN_PROGRESS)
  touch(state, request.memberId)
  if (request.memberId === state.leader && state.phase === 'syncing') {
    for (const {memberId, assignment} of request.assignments) state.assignments.set(memberId, assignment)
    state.phase = 'stable'
    group.state = 'Stable'
    mirror(group, state)
    for (const [memberId, reply] of state.syncs) reply(ErrorCode.NONE, state.assignments.get(memberId) ?? Buffer.alloc(0))
    state.syncs.clear()
  }
  if (state.phase === 'stable') return answer(ErrorCode.NONE, state.assignments.get(request.memberId) ?? Buffer.alloc(0))
  return new Promise((resolve) => state.syncs.set(request.memberId, (code, assignment) => resolve(answer(code, assignment))))
}

function heartbeat(cluster: FakeCluster, request: RequestTypes[12], context: RequestContext): ResponseTypes[12] {
  const reply = (errorCode: number): ResponseTypes[12] => ({throttleTimeMs: 0, errorCode})
  const group = groupFor(cluster, request.groupId, context)
  if (!group) return reply(ErrorCode.NOT_COORDINATOR)
  const state = membershipOf(group)
  if (!state.members.has(request.memberId)) return reply(ErrorCode.UNKNOWN_MEMBER_ID)
  touch(state, request.memberId)
  if (state.phase === 'joining') return reply(ErrorCode.REBALANCE_IN_PROGRESS)
  if (request.generationId !== state.generation) return reply(ErrorCode.ILLEGAL_GENERATION)
  return reply(ErrorCode.NONE)
}

function leaveGroup(cluster: FakeCluster, request: RequestTypes[13], context: RequestContext): ResponseTypes[13] {
  const group = groupFor(cluster, request.groupId, context)
  const ids = context.version >= 3 ? request.members.map((m) => m.memberId) : [request.memberId]
  if (!group) return {throttleTimeMs: 0, errorCode: ErrorCode.NOT_COORDINATOR, members: []}
  const state = membershipOf(group)
  const members = ids.map((memberId) => {
    const known = state.members.delete(memberId)
    state.joins.get(memberId)?.(joinAnswer(ErrorCode.UNKNOWN_MEMBER_ID, memberId))
    state.joins.delete(memberId)
    return {memberId, groupInstanceId: null, errorCode: known ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID}
  })
  membersChanged(cluster, group, state)
  return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, members}
}

/** After members left or expired: an empty group is Empty, others rebalance. */
function membersChanged(cluster: FakeCluster, group: FakeGroup, state: Membership): void {
  if (state.members.size === 0 && state.joins.size === 0) {
    state.phase = 'empty'
    group.state = 'Empty'
    mirror(group, state)
    return
  }
  startRebalance(cluster, group, state)
  maybeCompleteJoin(group, state)
}

function touch(state: Membership, memberId: string): void {
  const member = state.members.get(memberId)
  if (member) member.lastSeen = Date.now()
}

/** Drops members whose session expired (checked every 50 ms until the cluster stops). */
function sweepSessions(cluster: FakeCluster, group: FakeGroup): void {
  void cluster.delay(50).then(() => {
    const state = membershipOf(group)
    const now = Date.now()
    const expired = [...state.members.values()].filter((m) => !state.joins.has(m.memberId) && now - m.lastSeen > m.sessionTimeoutMs)
    for (const member of expired) state.members.delete(member.memberId)
    if (expired.length > 0) membersChanged(cluster, group, state)
    sweepSessions(cluster, group)
  })
}

/** Copies members into the shared group record that DescribeGroups and OffsetCommit read. */
function mirror(group: FakeGroup, state: Membership): void {
  group.members = [...state.members.values()].map((m) => ({
    memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: '/127.0.0.1',
    metadata: m.protocols.find((p) => p.name === state.protocol)?.metadata ?? Buffer.alloc(0),
    assignment: state.assignments.get(m.memberId) ?? Buffer.alloc(0),
  }))
}
