// TxnOffsetCommit: a consumer group's offsets committed inside a transaction (Java's
// sendOffsetsToTransaction), so that a consume-transform-produce loop moves its input position and writes
// its output atomically. The group has already joined the transaction (AddOffsetsToTxn); the offsets go
// to the group's coordinator and stay pending until the transaction ends. From v3 the request names the
// member and generation, so the coordinator refuses a member that has left the group (zombie fencing).
import {ApiKey, ErrorCode, type TxnOffsetCommitResponse} from '../protocol/index.js'
import {CoordinatorType, type CoordinatorLookup} from './coordinator-lookup.js'
import {KafkaProtocolError} from './errors.js'
import type {ProducerIdAndEpoch} from './producer-id.js'

export interface TransactionOffset {
  topic: string
  partition: number
  /** The next offset to consume (the last processed + 1), as every commit. */
  offset: number
  metadata?: string | null
}

/** The group, and where known its member (Java's ConsumerGroupMetadata). */
export interface TransactionGroup {
  groupId: string
  generationId?: number
  memberId?: string
  groupInstanceId?: string | null
}

/** Sends the offsets; throws the first partition's error (the transaction is then to be aborted). */
export async function commitTransactionOffsets(coordinators: CoordinatorLookup, transactionalId: string, producer: ProducerIdAndEpoch,
  group: TransactionGroup, offsets: TransactionOffset[]): Promise<void> {
  const request = {
    transactionalId,
    groupId: group.groupId,
    producerId: producer.producerId,
    producerEpoch: producer.epoch,
    generationId: group.generationId ?? -1,
    memberId: group.memberId ?? '',
    groupInstanceId: group.groupInstanceId ?? null,
    topics: byTopic(offsets),
  }
  const response = await coordinators.withCoordinator(group.groupId, (broker) =>
    broker.connection.request(ApiKey.TxnOffsetCommit, broker.versions.version(ApiKey.TxnOffsetCommit), request),
  firstError, {type: CoordinatorType.GROUP})
  for (const topic of response.topics) {
    for (const partition of topic.partitions) {
      if (partition.errorCode !== ErrorCode.NONE) {
        throw new KafkaProtocolError(partition.errorCode, `group ${group.groupId}: ${topic.name}/${partition.partitionIndex}`)
      }
    }
  }
}

function byTopic(offsets: TransactionOffset[]): TxnOffsetCommitRequestTopics {
  const topics = new Map<string, TxnOffsetCommitRequestTopics[number]['partitions']>()
  for (const {topic, partition, offset, metadata} of offsets) {
    const partitions = topics.get(topic) ?? []
    partitions.push({partitionIndex: partition, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: metadata ?? ''})
    topics.set(topic, partitions)
  }
  return [...topics].map(([name, partitions]) => ({name, partitions}))
}

type TxnOffsetCommitRequestTopics = {name: string; partitions: {partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null}[]}[]

function firstError(response: TxnOffsetCommitResponse): number {
  for (const topic of response.topics) for (const p of topic.partitions) if (p.errorCode !== ErrorCode.NONE) return p.errorCode
  return ErrorCode.NONE
}
