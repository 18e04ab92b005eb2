/**
 * OffsetDelete (key 47), version 0 (kafka-consumer-groups.sh --delete-offsets, Java's
 * Admin.deleteConsumerGroupOffsets).
 *
 * Behaviour: an empty GroupId -> 24; a group the coordinator does not know (or Dead) -> 69; a group
 * with members of another protocol than "consumer" -> 68 (its subscriptions cannot be read), all
 * top-level. Per partition: an unknown topic or partition -> 3; a topic the live consumer group
 * subscribes to -> 86; otherwise the offset is tombstoned (nothing to do when there is none) and
 * the answer is 0. A group left without offsets is handed to the membership side
 * (offsetsGone), which removes it when it is Empty, as Kafka does.
 */
import {ApiKey, CONSUMER_PROTOCOL_TYPE, ErrorCode, type OffsetDeleteRequest, type OffsetDeleteResponse,
  type OffsetDeleteResponseTopic} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {groupMetadataErrorOf} from '../groups/group-log-writer.js'
import type {GroupSnapshot} from '../groups/group-membership.js'
import type {TopicPartitionRef} from '../groups/offset-store.js'
import {registerHandler} from '../registry.js'

export const offsetDeleteHandler = registerHandler({
  apiKey: ApiKey.OffsetDelete,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: OffsetDeleteRequest, _version: number, ctx: BrokerContext): Promise<OffsetDeleteResponse> {
    const group = request.groupId === '' ? undefined : ctx.groups.snapshot(request.groupId)
    const groupError = request.groupId === '' ? ErrorCode.INVALID_GROUP_ID : groupErrorOf(group)
    if (groupError !== ErrorCode.NONE) return {errorCode: groupError, throttleTimeMs: 0, topics: []}
    const doomed: TopicPartitionRef[] = []
    const topics: OffsetDeleteResponseTopic[] = request.topics.map(topic => ({name: topic.name,
      partitions: topic.partitions.map(({partitionIndex}) => {
        const errorCode = partitionErrorOf(topic.name, partitionIndex, group!, ctx)
        if (errorCode === ErrorCode.NONE) doomed.push({topic: topic.name, partition: partitionIndex})
        return {partitionIndex, errorCode}
      })}))
    if (doomed.length === 0) return {errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics}
    try {
      await ctx.offsets.deleteOffsets(request.groupId, doomed)
    } catch (error) {
      ctx.log(`deleting offsets of group ${request.groupId} failed: ${(error as Error).stack ?? String(error)}`)
      return {errorCode: groupMetadataErrorOf(error), throttleTimeMs: 0, topics: []}
    }
    if (!ctx.offsets.hasOffsets(request.groupId)) await ctx.groups.offsetsGone(request.groupId)
    return {errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics}
  },
})

function groupErrorOf(group: GroupSnapshot | undefined): number {
  if (group === undefined || group.state === 'Dead') return ErrorCode.GROUP_ID_NOT_FOUND
  if (group.state !== 'Empty' && group.protocolType !== CONSUMER_PROTOCOL_TYPE) return ErrorCode.NON_EMPTY_GROUP
  return ErrorCode.NONE
}

function partitionErrorOf(topic: string, partition: number, group: GroupSnapshot, ctx: BrokerContext): number {
  if (ctx.logs.partition(topic, partition) === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
  const subscribed = group.state !== 'Empty' && group.subscribedTopics?.has(topic) === true
  return subscribed ? ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC : ErrorCode.NONE
}
