// The fake cluster's consumer-group state and its answers to the group administration APIs:
// FindCoordinator, ListGroups, DescribeGroups, DeleteGroups, OffsetCommit, OffsetFetch and OffsetDelete.
// Each group has one coordinating node (by a hash of its id, or where a test moved it); other nodes
// answer NOT_COORDINATOR, as Kafka's do. Tests put groups and members in place with fakeGroups(cluster);
// membership APIs (JoinGroup, SyncGroup …) may share the same state.
import {ApiKey, ErrorCode, decodeSubscription, type ApiKeyValue, type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import type {FakeCluster, FakeNode, Reply, RequestContext} from './fake-cluster.js'

export interface FakeGroupMember {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  /** The member's subscription (JoinGroup metadata of the chosen protocol). */
  metadata: Buffer
  assignment: Buffer
}

export interface FakeCommittedOffset {
  offset: number
  leaderEpoch: number
  metadata: string
}

export interface FakeGroup {
  groupId: string
  state: string
  protocolType: string
  protocol: string
  members: FakeGroupMember[]
  /** Committed offsets by topic, then partition. */
  offsets: Map<string, Map<number, FakeCommittedOffset>>
}

export class FakeGroups {
  readonly groups = new Map<string, FakeGroup>()
  private readonly moved = new Map<string, number>()

  constructor(private readonly cluster: FakeCluster) {}

  /** Adds (or replaces) a group; Empty with no protocol type unless told otherwise. */
  add(groupId: string, fields: Partial<Omit<FakeGroup, 'groupId'>> = {}): FakeGroup {
    const group: FakeGroup = {groupId, state: 'Empty', protocolType: '', protocol: '', members: [], offsets: new Map(), ...fields}
    this.groups.set(groupId, group)
    return group
  }

  commit(groupId: string, topic: string, partition: number, offset: number, metadata = ''): void {
    const group = this.groups.get(groupId) ?? this.add(groupId)
    const partitions = group.offsets.get(topic) ?? new Map<number, FakeCommittedOffset>()
    partitions.set(partition, {offset, leaderEpoch: -1, metadata})
    group.offsets.set(topic, partitions)
  }

  /** The node coordinating a group. */
  coordinatorOf(groupId: string): number {
    const moved = this.moved.get(groupId)
    if (moved !== undefined) return moved
    let hash = 0
    for (const char of groupId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
    return (hash % this.cluster.nodes.length) + 1
  }

  /** Makes another node the group's coordinator (clients still asking the old one get NOT_COORDINATOR). */
  moveCoordinator(groupId: string, nodeId: number): void {
    this.moved.set(groupId, nodeId)
  }
}

const registry = new WeakMap<FakeCluster, FakeGroups>()

export function fakeGroups(cluster: FakeCluster): FakeGroups {
  let groups = registry.get(cluster)
  if (!groups) registry.set(cluster, (groups = new FakeGroups(cluster)))
  return groups
}

/** The answer to a group administration request, or undefined for another API. */
export function answerGroupAdmin(cluster: FakeCluster, apiKey: ApiKeyValue, body: unknown, context: RequestContext): Reply<ApiKeyValue> | undefined {
  const groups = fakeGroups(cluster)
  switch (apiKey) {
    case ApiKey.FindCoordinator:
      return findCoordinator(cluster, groups, body as RequestTypes[10], context.version)
    case ApiKey.ListGroups:
      return listGroups(groups, context.node, body as RequestTypes[16])
    case ApiKey.DescribeGroups:
      return describeGroups(groups, context.node, body as RequestTypes[15])
    case ApiKey.DeleteGroups:
      return deleteGroups(groups, context.node, body as RequestTypes[42])
    case ApiKey.OffsetCommit:
      return offsetCommit(groups, context.node, body as RequestTypes[8])
    case ApiKey.OffsetFetch:
      return offsetFetch(groups, context.node, body as RequestTypes[9], context.version)
    case ApiKey.OffsetDelete:
      return offsetDelete(groups, context.node, body as RequestTypes[47])
    default:
      return undefined
  }
}

function findCoordinator(cluster: FakeCluster, groups: FakeGroups, request: RequestTypes[10], version: number): ResponseTypes[10] {
  const where = (key: string): {nodeId: number; host: string; port: number} => {
    const node = cluster.nodes[groups.coordinatorOf(key) - 1]!
    return {nodeId: node.nodeId, host: '127.0.0.1', port: 'port' in node.address ? node.address.port : 1}
  }
  if (version >= 4) {
    const coordinators = request.coordinatorKeys.map((key) => ({key, ...where(key), errorCode: 0, errorMessage: null}))
    return {throttleTimeMs: 0, coordinators} as unknown as ResponseTypes[10]
  }
  return {throttleTimeMs: 0, errorCode: 0, errorMessage: null, ...where(request.key), coordinators: []} as unknown as ResponseTypes[10]
}

function listGroups(groups: FakeGroups, node: FakeNode, request: RequestTypes[16]): ResponseTypes[16] {
  const states = (request.statesFilter ?? []).map((s) => s.toLowerCase())
  const listed = [...groups.groups.values()]
    .filter((g) => groups.coordinatorOf(g.groupId) === node.nodeId && (states.length === 0 || states.includes(g.state.toLowerCase())))
    .map((g) => ({groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: 'classic'}))
  return {throttleTimeMs: 0, errorCode: 0, groups: listed} as unknown as ResponseTypes[16]
}

function describeGroups(groups: FakeGroups, node: FakeNode, request: RequestTypes[15]): ResponseTypes[15] {
  const described = request.groups.map((groupId) => {
    const none = {groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations: -2147483648}
    if (groups.coordinatorOf(groupId) !== node.nodeId) return {...none, errorCode: ErrorCode.NOT_COORDINATOR}
    const group = groups.groups.get(groupId)
    if (!group) return {...none, errorCode: 0, groupState: 'Dead'}
    const stable = group.state === 'Stable'
    return {
      ...none,
      errorCode: 0,
      groupState: group.state,
      protocolType: group.protocolType,
      protocolData: group.protocol,
      members: group.members.map((m) => ({
        memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
        memberMetadata: stable ? m.metadata : Buffer.alloc(0), memberAssignment: stable ? m.assignment : Buffer.alloc(0),
      })),
    }
  })
  return {throttleTimeMs: 0, groups: described} as unknown as ResponseTypes[15]
}

function deleteGroups(groups: FakeGroups, node: FakeNode, request: RequestTypes[42]): ResponseTypes[42] {
  const results = request.groupsNames.map((groupId) => {
    if (groups.coordinatorOf(groupId) !== node.nodeId) return {groupId, errorCode: ErrorCode.NOT_COORDINATOR}
    const group = groups.groups.get(groupId)
    if (!group) return {groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND}
    if (group.members.length > 0) return {groupId, errorCode: ErrorCode.NON_EMPTY_GROUP}
    groups.groups.delete(groupId)
    return {groupId, errorCode: 0}
  })
  return {throttleTimeMs: 0, results} as unknown as ResponseTypes[42]
}

/** Commits as Kafka takes them from an admin tool: only while the group has no members. */
function offsetCommit(groups: FakeGroups, node: FakeNode, request: RequestTypes[8]): ResponseTypes[8] {
  const group = groups.groups.get(request.groupId)
  const errorCode = groups.coordinatorOf(request.groupId) !== node.nodeId ? ErrorCode.NOT_COORDINATOR
    : group && group.members.length > 0 && !group.members.some((m) => m.memberId === request.memberId) ? ErrorCode.UNKNOWN_MEMBER_ID
      : ErrorCode.NONE
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      if (errorCode === ErrorCode.NONE) groups.commit(request.groupId, topic.name, p.partitionIndex, p.committedOffset, p.committedMetadata ?? '')
      return {partitionIndex: p.partitionIndex, errorCode}
    }),
  }))
  return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[8]
}

function offsetFetch(groups: FakeGroups, node: FakeNode, request: RequestTypes[9], version: number): ResponseTypes[9] {
  const answer = (groupId: string, topics: {name: string; partitionIndexes: number[]}[] | null) => {
    if (groups.coordinatorOf(groupId) !== node.nodeId) return {errorCode: ErrorCode.NOT_COORDINATOR, topics: []}
    const offsets = groups.groups.get(groupId)?.offsets ?? new Map<string, Map<number, FakeCommittedOffset>>()
    const wanted = topics ?? [...offsets].map(([name, partitions]) => ({name, partitionIndexes: [...partitions.keys()]}))
    return {
      errorCode: 0,
      topics: wanted.map(({name, partitionIndexes}) => ({
        name,
        partitions: partitionIndexes.map((partitionIndex) => {
          const committed = offsets.get(name)?.get(partitionIndex)
          return {partitionIndex, committedOffset: committed?.offset ?? -1, committedLeaderEpoch: committed?.leaderEpoch ?? -1,
            metadata: committed?.metadata ?? '', errorCode: 0}
        }),
      })),
    }
  }
  if (version >= 8) {
    return {throttleTimeMs: 0, groups: request.groups.map((g) => ({groupId: g.groupId, ...answer(g.groupId, g.topics)}))} as unknown as ResponseTypes[9]
  }
  return {throttleTimeMs: 0, ...answer(request.groupId, request.topics)} as unknown as ResponseTypes[9]
}

function offsetDelete(groups: FakeGroups, node: FakeNode, request: RequestTypes[47]): ResponseTypes[47] {
  const refuse = (errorCode: number) => ({errorCode, throttleTimeMs: 0, topics: []}) as unknown as ResponseTypes[47]
  if (groups.coordinatorOf(request.groupId) !== node.nodeId) return refuse(ErrorCode.NOT_COORDINATOR)
  const group = groups.groups.get(request.groupId)
  if (!group) return refuse(ErrorCode.GROUP_ID_NOT_FOUND)
  const subscribed = new Set(group.members.flatMap((m) => (m.metadata.length > 0 ? decodeSubscription(m.metadata).value.topics : [])))
  const topics = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map(({partitionIndex}) => {
      if (subscribed.has(topic.name)) return {partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC}
      group.offsets.get(topic.name)?.delete(partitionIndex)
      return {partitionIndex, errorCode: 0}
    }),
  }))
  return {errorCode: 0, throttleTimeMs: 0, topics} as unknown as ResponseTypes[47]
}
