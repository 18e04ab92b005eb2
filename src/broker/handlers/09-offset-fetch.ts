/**
 * OffsetFetch (key 9), versions 0-9 (kafka-python 2.0.2 sends 1, kafkajs 4, librdkafka up to 9,
 * Java 8-9; v0 read ZooKeeper in old Kafka, here it reads what v1 reads).
 *
 * Behaviour: each asked partition gets its committed offset, leader epoch and metadata; a partition
 * without a commit, of a group without commits or unknown, or of an unknown topic gets offset -1,
 * leader epoch -1, metadata "" and error 0, as Kafka answers. Null Topics (v2+) asks for every
 * committed offset of the group, by topic then partition. An empty GroupId -> 24 (the group's
 * ErrorCode from v2, each partition's before). RequireStable (v7+): a partition with an offset
 * committed in a transaction still open -> UNSTABLE_OFFSET_COMMIT (88) and offset -1, so the
 * consumer waits until the transaction ended (without it the last committed offset is answered).
 *
 * Version notes: v2 null Topics and a top-level ErrorCode; v3 ThrottleTimeMs; v5 leader epoch; v6
 * flexible; v7 RequireStable; v8 Groups[]: several groups in one request, each answered on its
 * own; v9 MemberId/MemberEpoch (KIP-848; a classic group does not check them).
 */
import {ApiKey, ErrorCode, type OffsetFetchRequest, type OffsetFetchResponse,
  type OffsetFetchResponsePartitions, type OffsetFetchResponseTopics} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import type {OffsetStore} from '../groups/offset-store.js'
import {registerHandler} from '../registry.js'

/** The first version whose response has a group-level ErrorCode. */
const GROUP_ERROR_VERSION = 2
const FIRST_BATCHED_VERSION = 8

interface AskedTopic {
  name: string
  partitionIndexes: number[]
}

interface GroupAnswer {
  errorCode: number
  topics: OffsetFetchResponseTopics[]
}

export const offsetFetchHandler = registerHandler({
  apiKey: ApiKey.OffsetFetch,
  name: 'OffsetFetch',
  minVersion: 0,
  maxVersion: 9,
  async handle(request: OffsetFetchRequest, version: number, ctx: BrokerContext): Promise<OffsetFetchResponse> {
    if (version >= FIRST_BATCHED_VERSION) {
      const groups = request.groups.map(group => ({groupId: group.groupId,
        ...fetchGroup(group.groupId, group.topics, ctx.offsets, request.requireStable)}))
      return {throttleTimeMs: 0, topics: [], errorCode: ErrorCode.NONE, groups}
    }
    const answer = fetchGroup(request.groupId, request.topics, ctx.offsets, request.requireStable)
    if (version < GROUP_ERROR_VERSION && answer.errorCode !== ErrorCode.NONE) {
      for (const topic of answer.topics) for (const partition of topic.partitions) partition.errorCode = answer.errorCode
    }
    return {throttleTimeMs: 0, topics: answer.topics, errorCode: answer.errorCode, groups: []}
  },
})

function fetchGroup(groupId: string, asked: AskedTopic[] | null, offsets: OffsetStore, requireStable: boolean): GroupAnswer {
  if (groupId === '') {
    return {errorCode: ErrorCode.INVALID_GROUP_ID, topics: (asked ?? []).map(topic => ({name: topic.name,
      partitions: topic.partitionIndexes.map(index => noCommit(index))}))}
  }
  const answers: GroupAnswer = asked === null ? {errorCode: ErrorCode.NONE, topics: everyCommit(groupId, offsets)}
    : {errorCode: ErrorCode.NONE, topics: asked.map(topic => ({name: topic.name,
      partitions: topic.partitionIndexes.map(index => answerFor(index, offsets.committed(groupId, topic.name, index)))}))}
  if (requireStable && offsets.hasPendingOffsets(groupId)) markUnstable(groupId, answers.topics, offsets)
  return answers
}

/** Partitions with an offset pending in an open transaction: UNSTABLE_OFFSET_COMMIT instead of their offset. */
function markUnstable(groupId: string, topics: OffsetFetchResponseTopics[], offsets: OffsetStore): void {
  for (const topic of topics) {
    topic.partitions = topic.partitions.map(p => offsets.hasPendingOffsets(groupId, topic.name, p.partitionIndex)
      ? {...noCommit(p.partitionIndex), errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT} : p)
  }
}

function everyCommit(groupId: string, offsets: OffsetStore): OffsetFetchResponseTopics[] {
  const topics: OffsetFetchResponseTopics[] = []
  for (const {topic, partition, committed} of offsets.committedOffsets(groupId)) {
    if (topics.at(-1)?.name !== topic) topics.push({name: topic, partitions: []})
    topics.at(-1)!.partitions.push(answerFor(partition, committed))
  }
  return topics
}

function answerFor(partitionIndex: number, committed: ReturnType<OffsetStore['committed']>): OffsetFetchResponsePartitions {
  if (committed === undefined) return noCommit(partitionIndex)
  return {partitionIndex, committedOffset: committed.offset, committedLeaderEpoch: committed.leaderEpoch,
    metadata: committed.metadata, errorCode: ErrorCode.NONE}
}

function noCommit(partitionIndex: number): OffsetFetchResponsePartitions {
  return {partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE}
}
