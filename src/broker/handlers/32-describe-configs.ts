/**
 * DescribeConfigs (key 32), versions 0-4 (librdkafka sends up to 1, kafkajs 2, Java 4; AK 4.0
 * starts at 1).
 *
 * Behaviour per resource: a topic (type 2) lists every Kafka topic config with its value in force
 * and its source: TOPIC_CONFIG (1) for the topic's override, STATIC_BROKER_CONFIG (4) for a broker
 * default set at start (`weir server start --config`, server.properties), DEFAULT_CONFIG (5)
 * otherwise. Unknown topic -> 3, illegal name -> 17. A broker (type 4) named "1" (this node) lists
 * the broker configs Weir has, all read-only while it runs; named "" (the cluster-wide default) it
 * lists the dynamic defaults, which Weir has none of, as Kafka does: an empty list. Another broker
 * id -> 42; other resource types -> 42; a resource named twice -> 42 for each.
 * ConfigurationKeys null or empty = every key; unknown keys are left out. Synonyms (v1+, with
 * IncludeSynonyms) go from the override to the broker configs set to their defaults (see
 * config-entries.ts). Documentation (v3+) only with IncludeDocumentation. Nothing is sensitive.
 *
 * Version notes: v0 IsDefault; v1 IncludeSynonyms, ConfigSource and Synonyms replace IsDefault;
 * v2 same as v1; v3 IncludeDocumentation, ConfigType and Documentation; v4 flexible.
 */
import {ApiKey, ErrorCode, type DescribeConfigsRequest, type DescribeConfigsResource, type DescribeConfigsResourceResult,
  type DescribeConfigsResponse, type DescribeConfigsResult} from '../../protocol/index.js'
import {ConfigSource} from '../config-definition.js'
import {brokerConfigEntries, topicConfigEntries, type ConfigEntry} from '../config-entries.js'
import {brokerRefusal, refusal, repeatedResources, resourceKey, ResourceType, SUCCESS, topicRefusal,
  unsupportedResource, type ResourceOutcome} from '../config-resources.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

interface Detail {
  synonyms: boolean
  documentation: boolean
}

export const describeConfigsHandler = registerHandler({
  apiKey: ApiKey.DescribeConfigs,
  name: 'DescribeConfigs',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: DescribeConfigsRequest, _version: number, ctx: BrokerContext): Promise<DescribeConfigsResponse> {
    const repeated = repeatedResources(request.resources)
    const detail = {synonyms: request.includeSynonyms, documentation: request.includeDocumentation}
    const results = request.resources.map(resource => repeated.has(resourceKey(resource))
      ? result(resource, refusal(ErrorCode.INVALID_REQUEST, 'resource is named more than once in the request'), [])
      : describe(resource, detail, ctx))
    return {throttleTimeMs: 0, results}
  },
})

function describe(resource: DescribeConfigsResource, detail: Detail, ctx: BrokerContext): DescribeConfigsResult {
  const {outcome, entries} = entriesOf(resource, ctx)
  const wanted = resource.configurationKeys === null || resource.configurationKeys.length === 0
    ? entries : entries.filter(entry => resource.configurationKeys!.includes(entry.name))
  return result(resource, outcome, wanted.map(entry => answerEntry(entry, detail)))
}

function entriesOf(resource: DescribeConfigsResource, ctx: BrokerContext): {outcome: ResourceOutcome; entries: ConfigEntry[]} {
  switch (resource.resourceType) {
    case ResourceType.TOPIC: {
      const refused = topicRefusal(resource.resourceName, ctx)
      if (refused !== null) return {outcome: refused, entries: []}
      return {outcome: SUCCESS, entries: topicConfigEntries(ctx.logs.topic(resource.resourceName)!.configs, ctx.settings)}
    }
    case ResourceType.BROKER: {
      const refused = brokerRefusal(resource.resourceName, ctx)
      if (refused !== null) return {outcome: refused, entries: []}
      return {outcome: SUCCESS, entries: resource.resourceName === '' ? [] : brokerConfigEntries(ctx.settings)}
    }
    default:
      return {outcome: unsupportedResource(resource.resourceType), entries: []}
  }
}

function answerEntry(entry: ConfigEntry, detail: Detail): DescribeConfigsResourceResult {
  return {
    name: entry.name,
    value: entry.value,
    readOnly: entry.readOnly,
    isDefault: entry.source === ConfigSource.DEFAULT_CONFIG,
    configSource: entry.source,
    isSensitive: false,
    synonyms: detail.synonyms ? entry.synonyms : [],
    configType: entry.type,
    documentation: detail.documentation ? entry.documentation : null,
  }
}

function result(resource: DescribeConfigsResource, outcome: ResourceOutcome, configs: DescribeConfigsResourceResult[]): DescribeConfigsResult {
  return {...outcome, resourceType: resource.resourceType, resourceName: resource.resourceName, configs}
}
