/**
 * The resources DescribeConfigs, AlterConfigs and IncrementalAlterConfigs name, and the refusals
 * they share: a topic must exist under a legal name; a broker resource is this node ("1") or the
 * cluster-wide default (""), as Kafka accepts; other resource types have nothing in Weir.
 */
import {ErrorCode} from '../protocol/index.js'
import type {BrokerContext} from './context.js'
import {invalidTopicName} from './topic-names.js'

/** Kafka's ConfigResource types. */
export const ResourceType = {
  TOPIC: 2,
  BROKER: 4,
} as const

/** A resource's answer: its error code (0 on success) and message (null on success). */
export interface ResourceOutcome {
  errorCode: number
  errorMessage: string | null
}

export const SUCCESS: ResourceOutcome = Object.freeze({errorCode: ErrorCode.NONE, errorMessage: null})

export function refusal(errorCode: number, errorMessage: string): ResourceOutcome {
  return {errorCode, errorMessage}
}

/** Why the topic resource `name` cannot be described or altered, or null when it exists. */
export function topicRefusal(name: string, ctx: BrokerContext): ResourceOutcome | null {
  const invalid = invalidTopicName(name)
  if (invalid !== null) return refusal(ErrorCode.INVALID_TOPIC_EXCEPTION, invalid)
  if (ctx.logs.topic(name) === undefined) return refusal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`)
  return null
}

/** Why the broker resource `name` is not this broker ("1") or the default (""), or null. */
export function brokerRefusal(name: string, ctx: BrokerContext): ResourceOutcome | null {
  if (name === '' || name === String(ctx.nodeId)) return null
  return refusal(ErrorCode.INVALID_REQUEST, `unexpected broker id "${name}": this broker is ${ctx.nodeId} ("" names the defaults of all brokers)`)
}

export function unsupportedResource(resourceType: number): ResourceOutcome {
  return refusal(ErrorCode.INVALID_REQUEST, `resource type ${resourceType} is not supported: Weir has topic (2) and broker (4) configs`)
}

/** The resources named more than once in one request, by "type/name" key; Kafka refuses each of them. */
export function repeatedResources(resources: readonly {resourceType: number; resourceName: string}[]): Set<string> {
  const seen = new Set<string>()
  const repeated = new Set<string>()
  for (const key of resources.map(resourceKey)) (seen.has(key) ? repeated : seen).add(key)
  return repeated
}

export function resourceKey(resource: {resourceType: number; resourceName: string}): string {
  return `${resource.resourceType}/${resource.resourceName}`
}
