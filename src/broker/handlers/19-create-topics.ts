/**
 * CreateTopics (key 19), versions 2-7 (kafkajs sends 3, librdkafka up to 4, Java 7; AK 4.0 starts
 * at 2).
 *
 * Behaviour per topic, checked in this order: a name given twice in one request -> 42 for each;
 * illegal name or "."/"_" collision -> 17; internal topic -> 42; exists -> 36; NumPartitions -1 ->
 * the daemon's default, 0 or below (or above MAX_PARTITIONS) -> 37; ReplicationFactor -1 or 1, else
 * 38 (one broker); manual Assignments must name this broker alone for partitions 0..n-1 -> else 39,
 * and then NumPartitions and ReplicationFactor must be -1 -> else 42; configs must be known topic
 * configs with valid values (topic-config-validation.ts, then storage's check) -> else 40.
 * ValidateOnly checks everything and creates nothing. Creation is immediate; every answer carries an ErrorMessage.
 *
 * Version notes: v1 ValidateOnly, ErrorMessage; v2 ThrottleTimeMs; v4 -1 defaults; v5 flexible and
 * the created topic's NumPartitions, ReplicationFactor and Configs (all keys, ConfigSource 1 for an
 * override, 4 for a broker config set at start, 5 for a default); v7 TopicId.
 */
import {ApiKey, ErrorCode, ZERO_UUID, type CreatableTopic, type CreatableTopicResult, type CreateTopicsRequest,
  type CreateTopicsResponse} from '../../protocol/index.js'
import {InvalidConfigError, TopicExistsError} from '../../storage/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {topicConfigEntries} from '../config-entries.js'
import {validateTopicConfigs} from '../topic-config-validation.js'
import {checkNewTopicName, MAX_PARTITIONS} from '../topic-creation.js'

const USE_DEFAULT = -1

interface Plan {
  name: string
  partitions: number
  configs: Record<string, string>
}

type Refusal = {errorCode: number; message: string}

export const createTopicsHandler = registerHandler({
  apiKey: ApiKey.CreateTopics,
  name: 'CreateTopics',
  minVersion: 2,
  maxVersion: 7,
  async handle(request: CreateTopicsRequest, _version: number, ctx: BrokerContext): Promise<CreateTopicsResponse> {
    const counts = new Map<string, number>()
    for (const topic of request.topics) counts.set(topic.name, (counts.get(topic.name) ?? 0) + 1)
    const topics: CreatableTopicResult[] = []
    // One at a time: a later topic's collision check must see the earlier ones created.
    for (const topic of request.topics) {
      if ((counts.get(topic.name) ?? 0) > 1) {
        topics.push(refused(topic.name, {errorCode: ErrorCode.INVALID_REQUEST, message: `topic ${topic.name} is named more than once`}))
        continue
      }
      topics.push(await createTopic(topic, request.validateOnly, ctx))
    }
    return {throttleTimeMs: 0, topics}
  },
})

async function createTopic(topic: CreatableTopic, validateOnly: boolean, ctx: BrokerContext): Promise<CreatableTopicResult> {
  const plan = planTopic(topic, ctx)
  if ('errorCode' in plan) return refused(topic.name, plan)
  if (validateOnly) return created(plan, ZERO_UUID, ctx)
  try {
    const meta = await ctx.logs.createTopic(plan)
    ctx.log(`created topic ${meta.name} with ${meta.partitions} partitions`)
    return created(plan, meta.topicId, ctx)
  } catch (error) {
    if (error instanceof TopicExistsError) {
      return refused(topic.name, {errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: `topic ${topic.name} already exists`})
    }
    ctx.log(`creating topic ${topic.name} failed: ${(error as Error).stack ?? String(error)}`)
    return refused(topic.name, {errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, message: `creation failed: ${(error as Error).message}`})
  }
}

function planTopic(topic: CreatableTopic, ctx: BrokerContext): Plan | Refusal {
  const name = checkNewTopicName(topic.name, ctx.logs)
  if (!name.ok) return name
  const partitions = topic.assignments.length > 0 ? assignedPartitions(topic, ctx.nodeId) : requestedPartitions(topic, ctx)
  if (typeof partitions !== 'number') return partitions
  const configs = validateTopicConfigs(topic.configs)
  if (!configs.ok) return {errorCode: ErrorCode.INVALID_CONFIG, message: configs.message}
  try {
    // Storage's own check of the values it acts on, with the broker's defaults under them.
    ctx.logs.validateConfigs(configs.configs)
  } catch (error) {
    if (error instanceof InvalidConfigError) return {errorCode: ErrorCode.INVALID_CONFIG, message: error.message}
    throw error
  }
  return {name: topic.name, partitions, configs: configs.configs}
}

function requestedPartitions(topic: CreatableTopic, ctx: BrokerContext): number | Refusal {
  const partitions = topic.numPartitions === USE_DEFAULT ? ctx.defaultPartitions : topic.numPartitions
  if (partitions <= 0 || partitions > MAX_PARTITIONS) {
    return {errorCode: ErrorCode.INVALID_PARTITIONS,
      message: `number of partitions must be between 1 and ${MAX_PARTITIONS}, got ${topic.numPartitions}`}
  }
  if (topic.replicationFactor !== USE_DEFAULT && topic.replicationFactor !== 1) {
    return {errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, message: topic.replicationFactor > 1
      ? `replication factor ${topic.replicationFactor} is larger than the 1 available broker: Weir is one node, use 1`
      : `replication factor must be 1 (or -1 for the default), got ${topic.replicationFactor}`}
  }
  return partitions
}

/** Manual replica assignment: only "every partition on this broker", as partitions 0..n-1. */
function assignedPartitions(topic: CreatableTopic, nodeId: number): number | Refusal {
  if (topic.numPartitions !== USE_DEFAULT || topic.replicationFactor !== USE_DEFAULT) {
    return {errorCode: ErrorCode.INVALID_REQUEST,
      message: 'with a replica assignment, number of partitions and replication factor must be -1'}
  }
  const indexes = topic.assignments.map(a => a.partitionIndex).sort((a, b) => a - b)
  const consecutive = indexes.every((index, position) => index === position)
  const onThisNode = topic.assignments.every(a => a.brokerIds.length === 1 && a.brokerIds[0] === nodeId)
  if (!consecutive || !onThisNode || indexes.length > MAX_PARTITIONS) {
    return {errorCode: ErrorCode.INVALID_REPLICA_ASSIGNMENT,
      message: `replica assignment must place partitions 0..n-1 on broker ${nodeId} alone`}
  }
  return indexes.length
}

function created(plan: Plan, topicId: string, ctx: BrokerContext): CreatableTopicResult {
  return {
    name: plan.name, topicId, errorCode: 0, errorMessage: null, topicConfigErrorCode: 0,
    numPartitions: plan.partitions, replicationFactor: 1,
    configs: topicConfigEntries(plan.configs, ctx.settings).map(entry => ({
      name: entry.name, value: entry.value, readOnly: entry.readOnly, configSource: entry.source, isSensitive: false,
    })),
  }
}

function refused(name: string, refusal: Refusal): CreatableTopicResult {
  return {name, topicId: ZERO_UUID, errorCode: refusal.errorCode, errorMessage: refusal.message,
    topicConfigErrorCode: 0, numPartitions: -1, replicationFactor: -1, configs: null}
}
