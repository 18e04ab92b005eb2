// Configs of topics and brokers: DescribeConfigs, AlterConfigs and IncrementalAlterConfigs. A broker's
// own resource (its node id as the name) is answered only by that broker, so requests are grouped by
// the node that must answer them; topics and the cluster-wide broker default (name "") go to any broker.
import {ApiKey, type DescribeConfigsResult} from '../protocol/index.js'
import type {BrokerConnection, Cluster} from './cluster.js'

export type ConfigResourceType = 'topic' | 'broker'

export interface ConfigResource {
  type: ConfigResourceType
  /** A topic name; a broker's node id, or "" for the default of every broker. */
  name: string
}

/** Kafka's ConfigEntry.ConfigSource names, by their wire value. */
export const CONFIG_SOURCES = [
  'UNKNOWN', 'DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_BROKER_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'STATIC_BROKER_CONFIG',
  'DEFAULT_CONFIG', 'DYNAMIC_BROKER_LOGGER_CONFIG', 'CLIENT_METRICS_CONFIG', 'GROUP_CONFIG',
] as const
export type ConfigSource = (typeof CONFIG_SOURCES)[number]

/** Kafka's ConfigEntry.ConfigType names, by their wire value (DescribeConfigs v3+). */
export const CONFIG_TYPES = ['UNKNOWN', 'BOOLEAN', 'STRING', 'INT', 'SHORT', 'LONG', 'DOUBLE', 'LIST', 'CLASS', 'PASSWORD'] as const
export type ConfigType = (typeof CONFIG_TYPES)[number]

export interface ConfigSynonym {
  name: string
  value: string | null
  source: ConfigSource
}

export interface ConfigEntry {
  name: string
  /** null for a sensitive value, or a config without one. */
  value: string | null
  source: ConfigSource
  /** Whether the value is the built-in default (nothing set it). */
  isDefault: boolean
  readOnly: boolean
  sensitive: boolean
  /** Topic override, broker setting, default, as far as the broker listed them (IncludeSynonyms). */
  synonyms: ConfigSynonym[]
  /** UNKNOWN from brokers before DescribeConfigs v3. */
  type: ConfigType
  documentation: string | null
}

export interface ConfigDescription {
  resource: ConfigResource
  errorCode: number
  errorMessage: string | null
  configs: ConfigEntry[]
}

export interface DescribeConfigsOptions {
  /** Only these keys (default: all). */
  keys?: string[]
  synonyms?: boolean
  documentation?: boolean
}

/** One change of IncrementalAlterConfigs; append and subtract apply to list configs (cleanup.policy). */
export interface ConfigOperation {
  name: string
  op: 'set' | 'delete' | 'append' | 'subtract'
  /** Needed by all but delete. */
  value?: string
}

export interface ConfigResult {
  resource: ConfigResource
  errorCode: number
  errorMessage: string | null
}

const RESOURCE_TYPE: Record<ConfigResourceType, number> = {topic: 2, broker: 4}
const OPERATION: Record<ConfigOperation['op'], number> = {set: 0, delete: 1, append: 2, subtract: 3}
/** ConfigSource of DescribeConfigs v0, which only says whether a value is the default. */
const DEFAULT_SOURCE = 5

export function resourceType(wire: number): ConfigResourceType {
  return wire === RESOURCE_TYPE.broker ? 'broker' : 'topic'
}

export function resourceKey(resource: ConfigResource): string {
  return `${resource.type}\u0000${resource.name}`
}

/**
 * Resources grouped by the node that must answer for them: a named broker's own resource goes to that
 * broker (-1 = any broker). Group order follows first appearance.
 */
export function groupByAnsweringNode<T extends {resource: ConfigResource}>(items: readonly T[]): [number, T[]][] {
  const groups = new Map<number, T[]>()
  for (const item of items) {
    const {type, name} = item.resource
    const node = type === 'broker' && /^\d+$/.test(name) ? Number(name) : -1
    let group = groups.get(node)
    if (!group) groups.set(node, (group = []))
    group.push(item)
  }
  return [...groups]
}

export function answeringConnection(cluster: Cluster, node: number): Promise<BrokerConnection> {
  return node < 0 ? cluster.anyConnection() : cluster.connectionTo(node)
}

/** Sends DescribeConfigs for resources that one node answers. */
export async function describeConfigsOn(broker: BrokerConnection, resources: readonly ConfigResource[],
  options: DescribeConfigsOptions): Promise<ConfigDescription[]> {
  const version = broker.versions.version(ApiKey.DescribeConfigs)
  const response = await broker.connection.request(ApiKey.DescribeConfigs, version, {
    resources: resources.map(({type, name}) => ({resourceType: RESOURCE_TYPE[type], resourceName: name, configurationKeys: options.keys ?? null})),
    includeSynonyms: options.synonyms ?? false,
    includeDocumentation: options.documentation ?? false,
  })
  return response.results.map((result) => describedResource(result, version))
}

function describedResource(result: DescribeConfigsResult, version: number): ConfigDescription {
  const type = resourceType(result.resourceType)
  return {
    resource: {type, name: result.resourceName},
    errorCode: result.errorCode,
    errorMessage: result.errorMessage,
    configs: result.configs.map((config) => {
      const wireSource = version === 0 ? (config.isDefault ? DEFAULT_SOURCE : overrideSource(type)) : config.configSource
      const source = CONFIG_SOURCES[wireSource] ?? 'UNKNOWN'
      return {
        name: config.name,
        value: config.value,
        source,
        isDefault: source === 'DEFAULT_CONFIG',
        readOnly: config.readOnly,
        sensitive: config.isSensitive,
        synonyms: config.synonyms.map((s) => ({name: s.name, value: s.value, source: CONFIG_SOURCES[s.source] ?? 'UNKNOWN'})),
        type: CONFIG_TYPES[config.configType] ?? 'UNKNOWN',
        documentation: config.documentation,
      }
    }),
  }
}

/** What set a non-default value, as well as v0 can tell: a topic override, or the broker's own setting. */
function overrideSource(type: ConfigResourceType): number {
  return type === 'topic' ? 1 : 4
}

/** AlterConfigs: each resource's whole set of overrides becomes `configs` (keys left out return to defaults). */
export async function alterConfigsOn(broker: BrokerConnection, changes: readonly {resource: ConfigResource; configs: Record<string, string>}[],
  validateOnly: boolean): Promise<ConfigResult[]> {
  const version = broker.versions.version(ApiKey.AlterConfigs)
  const response = await broker.connection.request(ApiKey.AlterConfigs, version, {
    resources: changes.map(({resource, configs}) => ({
      resourceType: RESOURCE_TYPE[resource.type],
      resourceName: resource.name,
      configs: Object.entries(configs).map(([name, value]) => ({name, value})),
    })),
    validateOnly,
  })
  return response.responses.map((r) => ({resource: {type: resourceType(r.resourceType), name: r.resourceName}, errorCode: r.errorCode, errorMessage: r.errorMessage}))
}

/** IncrementalAlterConfigs: changes single keys, leaving the others as they are. */
export async function incrementalAlterConfigsOn(broker: BrokerConnection,
  changes: readonly {resource: ConfigResource; operations: readonly ConfigOperation[]}[], validateOnly: boolean): Promise<ConfigResult[]> {
  const version = broker.versions.version(ApiKey.IncrementalAlterConfigs)
  const response = await broker.connection.request(ApiKey.IncrementalAlterConfigs, version, {
    resources: changes.map(({resource, operations}) => ({
      resourceType: RESOURCE_TYPE[resource.type],
      resourceName: resource.name,
      configs: operations.map(({name, op, value}) => ({name, configOperation: OPERATION[op], value: value ?? null})),
    })),
    validateOnly,
  })
  return response.responses.map((r) => ({resource: {type: resourceType(r.resourceType), name: r.resourceName}, errorCode: r.errorCode, errorMessage: r.errorMessage}))
}

/**
 * The overrides after applying `operations` to `current` (for brokers without IncrementalAlterConfigs):
 * set replaces, delete removes, append adds a list item once, subtract removes every copy of one.
 */
export function applyOperations(current: Readonly<Record<string, string>>, operations: readonly ConfigOperation[]): Record<string, string> {
  const next: Record<string, string> = {...current}
  for (const {name, op, value = ''} of operations) {
    const items = (next[name] ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '')
    if (op === 'set') next[name] = value
    else if (op === 'delete') delete next[name]
    else if (op === 'append') next[name] = (items.includes(value) ? items : [...items, value]).join(',')
    else next[name] = items.filter((item) => item !== value).join(',')
  }
  return next
}

/** A resource's overrides: the entries something set (a topic override, or a broker's dynamic setting). */
export function overridesOf(description: ConfigDescription): Record<string, string> {
  const {type, name} = description.resource
  const wanted: ConfigSource = type === 'topic' ? 'DYNAMIC_TOPIC_CONFIG' : name === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG'
  const overrides: Record<string, string> = {}
  for (const entry of description.configs) if (entry.source === wanted && entry.value !== null) overrides[entry.name] = entry.value
  return overrides
}
