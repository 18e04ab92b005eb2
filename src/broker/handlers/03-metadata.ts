/**
 * Metadata (key 3), versions 0-12.
 *
 * Behaviour: one broker, this node, at the advertised TCP address (clients reconnect there after
 * bootstrap; the Weir client maps the node back to its socket); ControllerId = this node (kafkajs
 * and the Java Admin send CreateTopics to the controller and fail on -1); the data directory's
 * ClusterId. Every partition is led by this node, leader epoch 0, replicas = ISR = [node].
 *
 * Which topics: v0 empty list = all; v1+ null = all, empty = none. v10+ may name a topic by TopicId
 * only: unknown id -> 100. Unknown name -> 3, unless auto-creation applies: the request allows it
 * (AllowAutoTopicCreation, v4+; always for v0-3, which kafka-python 2.0.2 relies on) and the daemon
 * allows it. Then the topic is created with the default partition count and answered at once with
 * error 0 (AK answers 5 while it creates; our creation is immediate), or with 5 (retriable) when a
 * concurrent request is still creating the same topic. An illegal name -> 17, an internal one -> 42.
 *
 * Authorized operations (v8+) are reported only when asked for: everything is allowed (no ACLs).
 *
 * Version notes: v1 ControllerId, IsInternal, Rack, null = all; v2 ClusterId; v3 ThrottleTimeMs;
 * v4 AllowAutoTopicCreation; v5 OfflineReplicas; v7 LeaderEpoch; v8 authorized operations; v9
 * flexible; v10 TopicId; v11 drops ClusterAuthorizedOperations; v12 nullable topic name.
 */
import {ApiKey, ErrorCode, ZERO_UUID, type MetadataRequest, type MetadataRequestTopic, type MetadataResponse,
  type MetadataResponseTopic} from '../../protocol/index.js'
import type {TopicMetadata} from '../../storage/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {checkNewTopicName, createOrGetTopic} from '../topic-creation.js'
import {isInternalTopic} from '../topic-names.js'

const NOT_REQUESTED = -2147483648
/** Every topic operation (READ..DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS) as AK's bit set. */
const ALL_TOPIC_OPERATIONS = [3, 4, 5, 6, 7, 8, 10, 11].reduce((bits, op) => bits | (1 << op), 0)
/** Every cluster operation (CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, *_CONFIGS, IDEMPOTENT_WRITE). */
const ALL_CLUSTER_OPERATIONS = [5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0)
const FIRST_AUTO_CREATE_FLAG_VERSION = 4
const FIRST_NULLABLE_NAME_VERSION = 12

export const metadataHandler = registerHandler({
  apiKey: ApiKey.Metadata,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  async handle(request: MetadataRequest, version: number, ctx: BrokerContext): Promise<MetadataResponse> {
    const allTopics = request.topics === null || (version === 0 && request.topics.length === 0)
    const topicOps = request.includeTopicAuthorizedOperations ? ALL_TOPIC_OPERATIONS : NOT_REQUESTED
    const topics = allTopics
      ? ctx.logs.topics().map(meta => describeTopic(meta, ctx, topicOps))
      : await Promise.all(uniqueTopics(request.topics ?? []).map(t => requestedTopic(t, request, version, ctx, topicOps)))
    return {
      throttleTimeMs: 0,
      brokers: [{nodeId: ctx.nodeId, host: ctx.advertised.host, port: ctx.advertised.port, rack: null}],
      clusterId: ctx.clusterId,
      controllerId: ctx.nodeId,
      topics,
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? ALL_CLUSTER_OPERATIONS : NOT_REQUESTED,
    }
  },
})

async function requestedTopic(requested: MetadataRequestTopic, request: MetadataRequest, version: number,
  ctx: BrokerContext, topicOps: number): Promise<MetadataResponseTopic> {
  if (requested.name === null) {
    const meta = ctx.logs.topicById(requested.topicId)
    if (meta !== undefined) return describeTopic(meta, ctx, topicOps)
    const name = version >= FIRST_NULLABLE_NAME_VERSION ? null : ''
    return {...missingTopic('', ErrorCode.UNKNOWN_TOPIC_ID), name, topicId: requested.topicId}
  }
  const meta = ctx.logs.topic(requested.name)
  if (meta !== undefined) return describeTopic(meta, ctx, topicOps)
  const allowed = version < FIRST_AUTO_CREATE_FLAG_VERSION || request.allowAutoTopicCreation
  if (!allowed || !ctx.autoCreateTopics) return missingTopic(requested.name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  return autoCreate(requested.name, ctx, topicOps)
}

async function autoCreate(name: string, ctx: BrokerContext, topicOps: number): Promise<MetadataResponseTopic> {
  const check = checkNewTopicName(name, ctx.logs)
  if (!check.ok && check.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) return missingTopic(name, check.errorCode)
  try {
    const meta = await createOrGetTopic(ctx.logs, {name, partitions: ctx.defaultPartitions, configs: {}})
    // Another request is creating it right now: retriable, the client asks again.
    if (meta === null) return missingTopic(name, ErrorCode.LEADER_NOT_AVAILABLE)
    ctx.log(`auto-created topic ${name} with ${meta.partitions} partitions`)
    return describeTopic(meta, ctx, topicOps)
  } catch (error) {
    ctx.log(`auto-creating topic ${name} failed: ${(error as Error).stack ?? String(error)}`)
    return missingTopic(name, ErrorCode.UNKNOWN_SERVER_ERROR)
  }
}

function describeTopic(meta: TopicMetadata, ctx: BrokerContext, topicOps: number): MetadataResponseTopic {
  return {
    errorCode: 0,
    name: meta.name,
    topicId: meta.topicId,
    isInternal: isInternalTopic(meta.name),
    partitions: Array.from({length: meta.partitions}, (_, partitionIndex) => ({
      errorCode: 0, partitionIndex, leaderId: ctx.nodeId, leaderEpoch: 0,
      replicaNodes: [ctx.nodeId], isrNodes: [ctx.nodeId], offlineReplicas: [],
    })),
    topicAuthorizedOperations: topicOps,
  }
}

function missingTopic(name: string, errorCode: number): MetadataResponseTopic {
  return {errorCode, name, topicId: ZERO_UUID, isInternal: false, partitions: [], topicAuthorizedOperations: NOT_REQUESTED}
}

/** Requested topics without repeats (by name, or by id when unnamed), first occurrence first. */
function uniqueTopics(topics: MetadataRequestTopic[]): MetadataRequestTopic[] {
  const seen = new Set<string>()
  return topics.filter(topic => {
    const key = topic.name === null ? `id:${topic.topicId}` : `name:${topic.name}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
