// The fake cluster's answers to the config and partition administration APIs: DescribeConfigs,
// AlterConfigs, IncrementalAlterConfigs, CreatePartitions and DeleteRecords, over a small catalogue of
// topic configs. Each node answers only for its own broker resource, as Kafka does.
import {ErrorCode, type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import type {FakeCluster, FakeNode} from './fake-cluster.js'

interface FakeConfig {
  default: string
  /** The broker setting it falls back to. */
  brokerName: string
  /** DescribeConfigs ConfigType: 2 STRING, 5 LONG, 7 LIST. */
  type: number
}

export const FAKE_TOPIC_CONFIGS: Readonly<Record<string, FakeConfig>> = {
  'cleanup.policy': {default: 'delete', brokerName: 'log.cleanup.policy', type: 7},
  'retention.ms': {default: '604800000', brokerName: 'log.retention.ms', type: 5},
  'retention.bytes': {default: '-1', brokerName: 'log.retention.bytes', type: 5},
  'segment.bytes': {default: '1073741824', brokerName: 'log.segment.bytes', type: 5},
}

/** The settings of every fake broker: STATIC_BROKER_CONFIG. */
export const FAKE_BROKER_CONFIGS: Readonly<Record<string, string>> = {'log.retention.hours': '168', 'num.partitions': '1'}

const TOPIC = 2
const BROKER = 4
const SOURCE = {topic: 1, staticBroker: 4, default: 5}

type Resource = {resourceType: number; resourceName: string}

function resourceError(resource: Resource, errorCode: number, errorMessage: string | null): {
  errorCode: number; errorMessage: string | null; resourceType: number; resourceName: string
} {
  return {errorCode, errorMessage, resourceType: resource.resourceType, resourceName: resource.resourceName}
}

/** Why this node cannot answer for a resource, or null when it can. */
function refusal(cluster: FakeCluster, node: FakeNode, resource: Resource): {code: number; message: string} | null {
  if (resource.resourceType === TOPIC) {
    return cluster.topics.has(resource.resourceName) ? null : {code: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, message: 'no such topic'}
  }
  if (resource.resourceType !== BROKER) return {code: ErrorCode.INVALID_REQUEST, message: 'unsupported resource type'}
  if (resource.resourceName !== '' && Number(resource.resourceName) !== node.nodeId) {
    return {code: ErrorCode.INVALID_REQUEST, message: `Unexpected broker id, expected ${node.nodeId} but received ${resource.resourceName}`}
  }
  return null
}

export function describeConfigs(cluster: FakeCluster, node: FakeNode, request: RequestTypes[32], version: number): ResponseTypes[32] {
  const results = request.resources.map((resource) => {
    const refused = refusal(cluster, node, resource)
    if (refused) return {...resourceError(resource, refused.code, refused.message), configs: []}
    const entries = resource.resourceType === TOPIC ? topicEntries(cluster.topics.get(resource.resourceName)!.configs) : brokerEntries()
    const configs = entries
      .filter((entry) => resource.configurationKeys === null || resource.configurationKeys.includes(entry.name))
      .map((entry) => ({
        ...entry,
        readOnly: false,
        isDefault: entry.configSource === SOURCE.default,
        isSensitive: false,
        synonyms: request.includeSynonyms && version >= 1 ? entry.synonyms : [],
        documentation: request.includeDocumentation ? `What ${entry.name} does.` : null,
      }))
    return {...resourceError(resource, 0, null), configs}
  })
  return {throttleTimeMs: 0, results} as unknown as ResponseTypes[32]
}

function topicEntries(overrides: Record<string, string>): {name: string; value: string; configSource: number; configType: number;
  synonyms: {name: string; value: string; source: number}[]}[] {
  return Object.entries(FAKE_TOPIC_CONFIGS).map(([name, config]) => {
    const fallback = {name: config.brokerName, value: config.default, source: SOURCE.default}
    const override = overrides[name]
    return override === undefined
      ? {name, value: config.default, configSource: SOURCE.default, configType: config.type, synonyms: [fallback]}
      : {name, value: override, configSource: SOURCE.topic, configType: config.type, synonyms: [{name, value: override, source: SOURCE.topic}, fallback]}
  })
}

function brokerEntries(): {name: string; value: string; configSource: number; configType: number; synonyms: {name: string; value: string; source: number}[]}[] {
  return Object.entries(FAKE_BROKER_CONFIGS).map(([name, value]) =>
    ({name, value, configSource: SOURCE.staticBroker, configType: 5, synonyms: [{name, value, source: SOURCE.staticBroker}]}))
}

/** The answer refusing to alter a resource: a missing topic, a broker, a key the catalogue lacks; null when it may change. */
function alterRefusal(cluster: FakeCluster, node: FakeNode, resource: Resource, names: string[]): ReturnType<typeof resourceError> | null {
  const refused = refusal(cluster, node, resource)
  if (refused) return resourceError(resource, refused.code, refused.message)
  if (resource.resourceType === BROKER) return resourceError(resource, ErrorCode.INVALID_REQUEST, 'broker configs are static here')
  const unknown = names.find((name) => !(name in FAKE_TOPIC_CONFIGS))
  return unknown === undefined ? null : resourceError(resource, ErrorCode.INVALID_CONFIG, `Unknown topic config name: ${unknown}`)
}

export function alterConfigs(cluster: FakeCluster, node: FakeNode, request: RequestTypes[33]): ResponseTypes[33] {
  const responses = request.resources.map((resource) => {
    const refused = alterRefusal(cluster, node, resource, resource.configs.map((config) => config.name))
    if (refused) return refused
    if (!request.validateOnly) {
      cluster.topics.get(resource.resourceName)!.configs = Object.fromEntries(resource.configs.map(({name, value}) => [name, value ?? '']))
    }
    return resourceError(resource, 0, null)
  })
  return {throttleTimeMs: 0, responses} as unknown as ResponseTypes[33]
}

export function incrementalAlterConfigs(cluster: FakeCluster, node: FakeNode, request: RequestTypes[44]): ResponseTypes[44] {
  const responses = request.resources.map((resource) => {
    const refused = alterRefusal(cluster, node, resource, resource.configs.map((config) => config.name))
    if (refused) return refused
    const topic = cluster.topics.get(resource.resourceName)!
    const next = {...topic.configs}
    for (const {name, configOperation, value} of resource.configs) {
      const isList = FAKE_TOPIC_CONFIGS[name]!.type === 7
      if (configOperation >= 2 && !isList) return resourceError(resource, ErrorCode.INVALID_REQUEST, `${name} is not a list`)
      const items = (next[name] ?? FAKE_TOPIC_CONFIGS[name]!.default).split(',')
      if (configOperation === 0) next[name] = value ?? ''
      else if (configOperation === 1) delete next[name]
      else if (configOperation === 2) next[name] = [...items.filter((item) => item !== value), value].join(',')
      else next[name] = items.filter((item) => item !== value).join(',')
    }
    if (!request.validateOnly) topic.configs = next
    return resourceError(resource, 0, null)
  })
  return {throttleTimeMs: 0, responses} as unknown as ResponseTypes[44]
}

export function createPartitions(cluster: FakeCluster, request: RequestTypes[37]): ResponseTypes[37] {
  const results = request.topics.map(({name, count}) => {
    const topic = cluster.topics.get(name)
    if (!topic) return {name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Topic '${name}' does not exist.`}
    const current = topic.partitions.length
    if (count <= current) {
      return {name, errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: `Topic currently has ${current} partitions, which is higher than the requested ${count}.`}
    }
    if (!request.validateOnly) cluster.addPartitions(name, count - current)
    return {name, errorCode: 0, errorMessage: null}
  })
  return {throttleTimeMs: 0, results} as unknown as ResponseTypes[37]
}

export function deleteRecords(cluster: FakeCluster, node: FakeNode, request: RequestTypes[21]): ResponseTypes[21] {
  const topics = request.topics.map(({name, partitions}) => ({
    name,
    partitions: partitions.map(({partitionIndex, offset}) => {
      const partition = cluster.topics.get(name)?.partitions[partitionIndex]
      const failed = (errorCode: number): {partitionIndex: number; lowWatermark: number; errorCode: number} => ({partitionIndex, lowWatermark: -1, errorCode})
      if (!partition) return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      if (cluster.leaderOf(partitionIndex) !== node.nodeId) return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER)
      const target = offset === -1 ? partition.highWatermark : offset
      if (target < 0 || target > partition.highWatermark) return failed(ErrorCode.OFFSET_OUT_OF_RANGE)
      partition.logStartOffset = Math.max(partition.logStartOffset, target)
      return {partitionIndex, lowWatermark: partition.logStartOffset, errorCode: 0}
    }),
  }))
  return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[21]
}
