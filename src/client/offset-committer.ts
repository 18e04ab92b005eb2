// Committed offsets of a group member: OffsetFetch when partitions are assigned (where to start) and
// OffsetCommit of what has been processed, stamped with the member's generation so the coordinator
// refuses commits from a member that is no longer in it. Both go to the group's coordinator.
import {ApiKey, ErrorCode, type OffsetCommitResponse, type OffsetFetchResponse} from '../protocol/index.js'
import type {TopicPartitions} from './assignors/index.js'
import {partitionKey, type BrokerConnection} from './cluster.js'
import type {CoordinatorLookup} from './coordinator-lookup.js'
import {ClosedError, KafkaProtocolError} from './errors.js'

/** The member a commit is made for. */
export interface CommitIdentity {
  generationId: number
  memberId: string
  groupInstanceId: string | null
}

export interface CommitOutcome {
  topic: string
  partition: number
  offset: number
  errorCode: number
}

/** OffsetCommit v7 carries GroupInstanceId; a static member's commits need it. */
const INSTANCE_ID_COMMIT_VERSION = 7

export class OffsetCommitter {
  private closed = false

  constructor(private readonly coordinators: CoordinatorLookup, private readonly groupId: string) {}

  /** Sends nothing more: a commit or fetch still retrying ends at its next attempt. */
  close(): void {
    this.closed = true
  }

  /**
   * Each partition's committed offset; partitions without one are left out. A partition-level error
   * other than "none" throws (the member cannot know where to start).
   */
  async committed(partitions: readonly TopicPartitions[]): Promise<Map<string, number>> {
    if (partitions.length === 0) return new Map()
    const response = await this.coordinators.withCoordinator(this.groupId, (broker) => this.sendFetch(broker, partitions),
      (r) => topLevelError(r))
    const found = new Map<string, number>()
    for (const {topic, partition, offset, errorCode} of fetchedPartitions(response)) {
      if (errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(errorCode, `committed offset of ${topic}/${partition} for group ${this.groupId}`)
      if (offset >= 0) found.set(partitionKey(topic, partition), offset)
    }
    return found
  }

  /** Commits `offsets` (next offset to read, per partition); returns each partition's outcome. */
  async commit(offsets: readonly {topic: string; partition: number; offset: number}[], identity: CommitIdentity): Promise<CommitOutcome[]> {
    if (offsets.length === 0) return []
    const response = await this.coordinators.withCoordinator(this.groupId, (broker) => this.sendCommit(broker, offsets, identity),
      (r) => firstError(r))
    return offsets.map(({topic, partition, offset}) => {
      const answer = response.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition)
      return {topic, partition, offset, errorCode: answer?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR}
    })
  }

  private async sendFetch(broker: BrokerConnection, partitions: readonly TopicPartitions[]): Promise<OffsetFetchResponse> {
    this.ensureOpen()
    const version = broker.versions.version(ApiKey.OffsetFetch)
    const topics = partitions.map(({topic, partitions: indexes}) => ({name: topic, partitionIndexes: [...indexes]}))
    return broker.connection.request(ApiKey.OffsetFetch, version, {
      groupId: this.groupId,
      topics,
      groups: [{groupId: this.groupId, memberId: null, memberEpoch: -1, topics}],
      requireStable: false,
    })
  }

  private async sendCommit(broker: BrokerConnection, offsets: readonly {topic: string; partition: number; offset: number}[],
    identity: CommitIdentity): Promise<OffsetCommitResponse> {
    this.ensureOpen()
    const version = broker.versions.version(ApiKey.OffsetCommit)
    const byTopic = new Map<string, {partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; commitTimestamp: number;
      committedMetadata: string}[]>()
    for (const {topic, partition, offset} of offsets) {
      const list = byTopic.get(topic) ?? []
      list.push({partitionIndex: partition, committedOffset: offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: ''})
      byTopic.set(topic, list)
    }
    return broker.connection.request(ApiKey.OffsetCommit, version, {
      groupId: this.groupId,
      generationIdOrMemberEpoch: identity.generationId,
      memberId: identity.memberId,
      groupInstanceId: version >= INSTANCE_ID_COMMIT_VERSION ? identity.groupInstanceId : null,
      retentionTimeMs: -1,
      topics: [...byTopic].map(([name, partitions]) => ({name, partitions})),
    })
  }

  private ensureOpen(): void {
    if (this.closed) throw new ClosedError(`the offset committer of group ${this.groupId}`)
  }
}

/** OffsetFetch's answer flattened over its versions (v8+ answers per group). */
function fetchedPartitions(response: OffsetFetchResponse): {topic: string; partition: number; offset: number; errorCode: number}[] {
  const topics = response.groups.length > 0 ? response.groups[0]!.topics : response.topics
  return topics.flatMap((t) => t.partitions.map((p) => ({topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, errorCode: p.errorCode})))
}

/** The group-level error of an OffsetFetch answer (v2-7 top level, v8+ per group), thrown unless retriable by lookup. */
function topLevelError(response: OffsetFetchResponse): number {
  const code = response.groups.length > 0 ? response.groups[0]!.errorCode : response.errorCode
  if (code !== ErrorCode.NONE && code !== ErrorCode.NOT_COORDINATOR && code !== ErrorCode.COORDINATOR_NOT_AVAILABLE &&
    code !== ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) {
    throw new KafkaProtocolError(code, 'OffsetFetch')
  }
  return code
}

/** OffsetCommit has no top-level error: a coordinator error shows on every partition. */
function firstError(response: OffsetCommitResponse): number {
  return response.topics[0]?.partitions[0]?.errorCode ?? ErrorCode.NONE
}
