/**
 * CreatePartitions (key 37), versions 0-3 (kafkajs sends 0-1, Java 3; AK 4.0 the same range).
 *
 * Behaviour per topic: Count is the new total. A topic named twice -> 42 for each; illegal name ->
 * 17; unknown topic -> 3; the internal __consumer_offsets -> 42 (groups hash over its partition
 * count); Count not above the current count, or above MAX_PARTITIONS -> 37 (with Kafka's wording);
 * manual Assignments must give one entry per new partition, each naming this broker alone -> else
 * 39. ValidateOnly checks everything and adds nothing. New partitions are created at once, empty,
 * with the topic's configs; existing partitions are untouched (keys now hash to a different
 * partition, as in Kafka). Every answer carries an ErrorMessage on error.
 *
 * Version notes: v1 same as v0; v2 flexible; v3 same as v2 (may answer THROTTLING_QUOTA_EXCEEDED,
 * which Weir never does).
 */
import {ApiKey, ErrorCode, type CreatePartitionsRequest, type CreatePartitionsResponse, type CreatePartitionsTopic,
  type CreatePartitionsTopicResult} from '../../protocol/index.js'
import {InvalidPartitionsError, UnknownTopicError} from '../../storage/index.js'
import {refusal, SUCCESS, topicRefusal, type ResourceOutcome} from '../config-resources.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {MAX_PARTITIONS} from '../topic-creation.js'
import {isInternalTopic} from '../topic-names.js'

export const createPartitionsHandler = registerHandler({
  apiKey: ApiKey.CreatePartitions,
  name: 'CreatePartitions',
  minVersion: 0,
  maxVersion: 3,
  async handle(request: CreatePartitionsRequest, _version: number, ctx: BrokerContext): Promise<CreatePartitionsResponse> {
    const names = request.topics.map(topic => topic.name)
    const results: CreatePartitionsTopicResult[] = []
    for (const topic of request.topics) {
      const outcome = names.indexOf(topic.name) !== names.lastIndexOf(topic.name)
        ? refusal(ErrorCode.INVALID_REQUEST, `topic ${topic.name} is named more than once`)
        : await addPartitions(topic, request.validateOnly, ctx)
      results.push({name: topic.name, ...outcome})
    }
    return {throttleTimeMs: 0, results}
  },
})

async function addPartitions(topic: CreatePartitionsTopic, validateOnly: boolean, ctx: BrokerContext): Promise<ResourceOutcome> {
  const refused = topicRefusal(topic.name, ctx) ?? internalRefusal(topic.name) ?? countRefusal(topic, ctx) ?? assignmentRefusal(topic, ctx)
  if (refused !== null) return refused
  if (validateOnly) return SUCCESS
  try {
    const before = ctx.logs.topic(topic.name)!.partitions
    await ctx.logs.createPartitions(topic.name, topic.count)
    ctx.log(`topic ${topic.name} now has ${topic.count} partitions (was ${before})`)
    return SUCCESS
  } catch (error) {
    if (error instanceof InvalidPartitionsError) return refusal(ErrorCode.INVALID_PARTITIONS, error.message)
    if (error instanceof UnknownTopicError) return refusal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${topic.name} does not exist`)
    ctx.log(`adding partitions to ${topic.name} failed: ${(error as Error).stack ?? String(error)}`)
    return refusal(ErrorCode.UNKNOWN_SERVER_ERROR, `adding partitions failed: ${(error as Error).message}`)
  }
}

/**
 * The group coordinator finds a group's records by hashing its id over the partition count of
 * __consumer_offsets: more partitions would move groups away from their committed offsets.
 */
function internalRefusal(name: string): ResourceOutcome | null {
  if (!isInternalTopic(name)) return null
  return refusal(ErrorCode.INVALID_REQUEST, `cannot add partitions to the internal topic ${name}: its groups would lose their committed offsets`)
}

function countRefusal(topic: CreatePartitionsTopic, ctx: BrokerContext): ResourceOutcome | null {
  const current = ctx.logs.topic(topic.name)!.partitions
  if (topic.count === current) return refusal(ErrorCode.INVALID_PARTITIONS, `topic ${topic.name} already has ${current} partitions`)
  if (topic.count < current) {
    return refusal(ErrorCode.INVALID_PARTITIONS,
      `topic ${topic.name} currently has ${current} partitions, which is higher than the requested ${topic.count}`)
  }
  if (topic.count > MAX_PARTITIONS) {
    return refusal(ErrorCode.INVALID_PARTITIONS, `number of partitions must be at most ${MAX_PARTITIONS}, got ${topic.count}`)
  }
  return null
}

/** Manual assignment: one entry per new partition, each on this broker alone (the only one there is). */
function assignmentRefusal(topic: CreatePartitionsTopic, ctx: BrokerContext): ResourceOutcome | null {
  if (topic.assignments === null) return null
  const added = topic.count - ctx.logs.topic(topic.name)!.partitions
  if (topic.assignments.length !== added) {
    return refusal(ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `increasing the number of partitions by ${added} but ${topic.assignments.length} assignments provided`)
  }
  const elsewhere = topic.assignments.find(a => a.brokerIds.length !== 1 || a.brokerIds[0] !== ctx.nodeId)
  if (elsewhere !== undefined) {
    return refusal(ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      `replica assignment [${elsewhere.brokerIds.join(', ')}] must name broker ${ctx.nodeId} alone: Weir is one node`)
  }
  return null
}
