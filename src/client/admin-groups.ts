// Consumer-group administration: listing, describing and deleting groups, and reading, committing and
// deleting their offsets. Requests about a group go to its coordinator (coordinator-lookup.ts), which
// may move; ListGroups goes to every broker, since each lists only the groups it coordinates.
import {ApiKey, ErrorCode, type OffsetFetchResponse} from '../protocol/index.js'
import {formatAddress} from './address.js'
import {partitionKey, type BrokerConnection, type Cluster} from './cluster.js'
import {CoordinatorLookup, isCoordinatorError} from './coordinator-lookup.js'
import {KafkaProtocolError, UnsupportedVersionError} from './errors.js'
import {compareStrings, describedGroup, type GroupDescription, type GroupListing} from './group-description.js'
import {backoffMs, sleep} from './retry.js'

export interface GroupOffset {
  topic: string
  partition: number
  offset: number
  leaderEpoch: number
  metadata: string
}

export interface GroupOffsetChange {
  topic: string
  partition: number
  offset: number
  metadata?: string
}

export interface GroupPartitionResult {
  topic: string
  partition: number
  errorCode: number
}

/** OffsetFetch v2+ takes null topics for "every committed offset"; v8+ takes groups. */
export type {GroupDescription, GroupListing, GroupMemberDescription, TopicPartitions} from './group-description.js'

const OFFSET_FETCH_ALL_TOPICS_VERSION = 2
const OFFSET_FETCH_GROUPS_VERSION = 8
const LIST_GROUPS_STATES_VERSION = 4
const LIST_GROUPS_ATTEMPTS = 5

export class GroupAdmin {
  constructor(private readonly cluster: Cluster, private readonly lookup: CoordinatorLookup) {}

  /** Every group of every broker, sorted by id; `states` keeps only groups in those states (ListGroups v4+). */
  async listGroups(options: {states?: string[]} = {}): Promise<GroupListing[]> {
    const {brokers} = await this.cluster.metadata([])
    const perBroker = await Promise.all(brokers.map((broker) => this.listGroupsOn(broker.nodeId, options.states ?? [])))
    const groups = new Map<string, GroupListing>()
    for (const listing of perBroker.flat()) groups.set(listing.groupId, listing)
    return [...groups.values()].sort((a, b) => compareStrings(a.groupId, b.groupId))
  }

  /** One description per id, in order; an unknown group is state "Dead" without members, as Kafka answers. */
  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    if (groupIds.length === 0) return []
    const {brokers} = await this.cluster.metadata([])
    const addresses = new Map(brokers.map((b) => [b.nodeId, formatAddress({kind: 'tcp', host: b.host, port: b.port})]))
    const answers = await this.lookup.withCoordinators(groupIds, async (broker, ids, coordinator) => {
      const response = await broker.connection.request(ApiKey.DescribeGroups, broker.versions.version(ApiKey.DescribeGroups), {
        groups: ids,
        includeAuthorizedOperations: false,
      })
      return response.groups.map((group) => describedGroup(group, coordinator, addresses.get(coordinator) ?? ''))
    }, (group) => group.groupId, (group) => group.errorCode)
    return groupIds.map((id) => answers.get(id)!)
  }

  /** The group's committed offsets (of `topics` only, when given), sorted by topic and partition. */
  async listGroupOffsets(groupId: string, topics?: string[]): Promise<GroupOffset[]> {
    const response = await this.lookup.withCoordinator(groupId, async (broker) => {
      const version = broker.versions.version(ApiKey.OffsetFetch)
      return {version, body: await this.offsetFetch(broker, version, groupId, topics)}
    }, ({version, body}) => offsetFetchError(body, version))
    const {version, body} = response
    const topLevel = offsetFetchError(body, version)
    if (topLevel !== ErrorCode.NONE) throw new KafkaProtocolError(topLevel, `group ${groupId}`)
    const wanted = topics === undefined ? null : new Set(topics)
    return offsetFetchTopics(body, version)
      .filter((topic) => wanted === null || wanted.has(topic.name))
      .flatMap((topic) => topic.partitions
        .filter((p) => p.errorCode === ErrorCode.NONE && p.committedOffset >= 0)
        .map((p) => ({topic: topic.name, partition: p.partitionIndex, offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch ?? -1,
          metadata: p.metadata ?? ''})))
      .sort((a, b) => compareStrings(a.topic, b.topic) || a.partition - b.partition)
  }

  /** Commits offsets as an admin tool does (generation -1, no member): refused while the group has members. */
  async alterGroupOffsets(groupId: string, offsets: GroupOffsetChange[]): Promise<GroupPartitionResult[]> {
    if (offsets.length === 0) return []
    const response = await this.lookup.withCoordinator(groupId, async (broker) => {
      return broker.connection.request(ApiKey.OffsetCommit, broker.versions.version(ApiKey.OffsetCommit), {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: byTopic(offsets).map(([name, changes]) => ({
          name,
          partitions: changes.map((change) => ({
            partitionIndex: change.partition, committedOffset: change.offset, committedLeaderEpoch: -1, commitTimestamp: -1,
            committedMetadata: change.metadata ?? '',
          })),
        })),
      })
    }, (body) => firstCoordinatorError(body.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))))
    const results = response.topics.flatMap((t) => t.partitions.map((p) => ({topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode})))
    return inRequestOrder(offsets, results)
  }

  /** DeleteGroups: one result per id, in order (NON_EMPTY_GROUP while it has members, GROUP_ID_NOT_FOUND). */
  async deleteGroups(groupIds: string[]): Promise<{groupId: string; errorCode: number}[]> {
    if (groupIds.length === 0) return []
    const answers = await this.lookup.withCoordinators(groupIds, async (broker, ids) => {
      const response = await broker.connection.request(ApiKey.DeleteGroups, broker.versions.version(ApiKey.DeleteGroups), {groupsNames: ids})
      return response.results.map(({groupId, errorCode}) => ({groupId, errorCode}))
    }, (result) => result.groupId, (result) => result.errorCode)
    return groupIds.map((groupId) => answers.get(groupId)!)
  }

  /**
   * OffsetDelete of one topic's partitions (by default every partition of the topic, or, for a topic
   * that no longer exists, every partition the group committed for it). A group-level error (the group
   * does not exist, say) is reported against every partition.
   */
  async deleteGroupOffsets(groupId: string, topic: string, partitions?: number[]): Promise<GroupPartitionResult[]> {
    const targets = partitions ?? await this.partitionsToDelete(groupId, topic)
    const response = await this.lookup.withCoordinator(groupId, async (broker) => {
      return broker.connection.request(ApiKey.OffsetDelete, broker.versions.version(ApiKey.OffsetDelete), {
        groupId,
        topics: [{name: topic, partitions: targets.map((partitionIndex) => ({partitionIndex}))}],
      })
    }, (body) => body.errorCode)
    if (response.errorCode !== ErrorCode.NONE) return targets.map((partition) => ({topic, partition, errorCode: response.errorCode}))
    const results = response.topics.flatMap((t) => t.partitions.map((p) => ({topic: t.name, partition: p.partitionIndex, errorCode: p.errorCode})))
    return inRequestOrder(targets.map((partition) => ({topic, partition})), results)
  }

  private async partitionsToDelete(groupId: string, topic: string): Promise<number[]> {
    const metadata = await this.cluster.metadata([topic])
    const known = metadata.topics.find((t) => t.name === topic && t.errorCode === ErrorCode.NONE)
    if (known) return known.partitions.map((p) => p.partitionIndex).sort((a, b) => a - b)
    const committed = await this.listGroupOffsets(groupId, [topic])
    if (committed.length === 0) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${topic}`)
    return committed.map((offset) => offset.partition)
  }

  /** ListGroups on one broker; a broker still loading its groups is asked again a few times. */
  private async listGroupsOn(nodeId: number, states: string[]): Promise<GroupListing[]> {
    for (let attempt = 0; ; attempt++) {
      const broker = await this.lookup.connectionTo(nodeId)
      const version = broker.versions.version(ApiKey.ListGroups)
      if (states.length > 0 && version < LIST_GROUPS_STATES_VERSION) {
        throw new UnsupportedVersionError(`broker ${nodeId} cannot filter groups by state (ListGroups v${version}; v4 is needed)`)
      }
      const response = await broker.connection.request(ApiKey.ListGroups, version, {statesFilter: states, typesFilter: []})
      if (response.errorCode === ErrorCode.NONE) {
        return response.groups.map((g) => ({groupId: g.groupId, state: g.groupState ?? '', protocolType: g.protocolType}))
      }
      if (!isCoordinatorError(response.errorCode) || attempt + 1 >= LIST_GROUPS_ATTEMPTS) {
        throw new KafkaProtocolError(response.errorCode, `ListGroups on broker ${nodeId}`)
      }
      await sleep(backoffMs(attempt, 100), this.cluster.signal)
    }
  }

  private async offsetFetch(broker: BrokerConnection, version: number, groupId: string, topics: string[] | undefined): Promise<OffsetFetchResponse> {
    if (version >= OFFSET_FETCH_GROUPS_VERSION) {
      return broker.connection.request(ApiKey.OffsetFetch, version, {
        groupId: '', topics: null, requireStable: false, groups: [{groupId, memberId: null, memberEpoch: -1, topics: null}],
      })
    }
    if (version >= OFFSET_FETCH_ALL_TOPICS_VERSION) {
      return broker.connection.request(ApiKey.OffsetFetch, version, {groupId, topics: null, requireStable: false, groups: []})
    }
    if (topics === undefined) throw new UnsupportedVersionError(`the broker cannot list all offsets of a group (OffsetFetch v${version}; v2 is needed)`)
    const metadata = await this.cluster.metadata(topics)
    const requested = metadata.topics.filter((t) => t.name !== null && t.errorCode === ErrorCode.NONE)
      .map((t) => ({name: t.name!, partitionIndexes: t.partitions.map((p) => p.partitionIndex)}))
    return broker.connection.request(ApiKey.OffsetFetch, version, {groupId, topics: requested, requireStable: false, groups: []})
  }
}

function offsetFetchTopics(body: OffsetFetchResponse, version: number): {name: string; partitions: OffsetFetchResponse['topics'][number]['partitions']}[] {
  return version >= OFFSET_FETCH_GROUPS_VERSION ? (body.groups[0]?.topics ?? []) : body.topics
}

/** The group-level error of an OffsetFetch answer, or a partition's coordinator error (v0-1 have no top level). */
function offsetFetchError(body: OffsetFetchResponse, version: number): number {
  const topLevel = version >= OFFSET_FETCH_GROUPS_VERSION ? (body.groups[0]?.errorCode ?? ErrorCode.NONE) : (body.errorCode ?? ErrorCode.NONE)
  if (topLevel !== ErrorCode.NONE) return topLevel
  return firstCoordinatorError(offsetFetchTopics(body, version).flatMap((t) => t.partitions.map((p) => p.errorCode)))
}

function firstCoordinatorError(codes: number[]): number {
  return codes.find(isCoordinatorError) ?? ErrorCode.NONE
}

function byTopic<T extends {topic: string}>(items: T[]): [string, T[]][] {
  const topics = new Map<string, T[]>()
  for (const item of items) {
    const list = topics.get(item.topic) ?? []
    list.push(item)
    topics.set(item.topic, list)
  }
  return [...topics]
}

/** Results ordered as the request listed its partitions; a partition left unanswered is UNKNOWN_SERVER_ERROR. */
function inRequestOrder(requested: {topic: string; partition: number}[], results: GroupPartitionResult[]): GroupPartitionResult[] {
  const found = new Map(results.map((r) => [partitionKey(r.topic, r.partition), r]))
  return requested.map(({topic, partition}) =>
    found.get(partitionKey(topic, partition)) ?? {topic, partition, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR})
}
