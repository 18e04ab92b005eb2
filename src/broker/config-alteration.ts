/**
 * What AlterConfigs and IncrementalAlterConfigs share: each resource of a request is answered on
 * its own. A topic's new set of overrides (worked out by the handler: AlterConfigs replaces the
 * set, IncrementalAlterConfigs edits it) is checked by the broker (every key a topic config, every
 * value valid) and by storage (the values it acts on), then stored and applied at once, unless the
 * request only validates. Broker configs are read-only while the daemon runs: a broker resource is
 * refused with a line saying where to set them, unless it changes nothing.
 */
import {ErrorCode, type AlterConfigsResourceResponse} from '../protocol/index.js'
import {InvalidConfigError, UnknownTopicError} from '../storage/index.js'
import {BROKER_CONFIGS} from './broker-config-definitions.js'
import {brokerRefusal, refusal, repeatedResources, resourceKey, ResourceType, SUCCESS, topicRefusal,
  unsupportedResource, type ResourceOutcome} from './config-resources.js'
import type {BrokerContext} from './context.js'
import {validateTopicConfigs} from './topic-config-validation.js'

export interface AlteredResource<C extends {name: string}> {
  resourceType: number
  resourceName: string
  configs: C[]
}

/** A requested override; a null value is refused by validation, naming the key. */
export interface RequestedConfig {
  name: string
  value: string | null
}

/** A topic's new overrides from its current ones and the request's configs, or why there are none. */
export type NewOverrides<C> = (current: Readonly<Record<string, string>>, configs: readonly C[], ctx: BrokerContext)
  => RequestedConfig[] | ResourceOutcome

/** Answers every resource of an AlterConfigs or IncrementalAlterConfigs request, in order. */
export async function alterResources<C extends {name: string}>(resources: readonly AlteredResource<C>[], validateOnly: boolean,
  ctx: BrokerContext, newOverrides: NewOverrides<C>): Promise<AlterConfigsResourceResponse[]> {
  const repeated = repeatedResources(resources)
  const responses: AlterConfigsResourceResponse[] = []
  for (const resource of resources) {
    const outcome = repeated.has(resourceKey(resource))
      ? refusal(ErrorCode.INVALID_REQUEST, 'resource is named more than once in the request')
      : await alterResource(resource, validateOnly, ctx, newOverrides)
    responses.push({...outcome, resourceType: resource.resourceType, resourceName: resource.resourceName})
  }
  return responses
}

/** The first config name given twice in `configs`, or null. */
export function repeatedConfig(configs: readonly {name: string}[]): string | null {
  const names = configs.map(config => config.name)
  return names.find((name, i) => names.indexOf(name) !== i) ?? null
}

async function alterResource<C extends {name: string}>(resource: AlteredResource<C>, validateOnly: boolean,
  ctx: BrokerContext, newOverrides: NewOverrides<C>): Promise<ResourceOutcome> {
  const repeated = repeatedConfig(resource.configs)
  if (repeated !== null) return refusal(ErrorCode.INVALID_REQUEST, `config ${repeated} is named more than once`)
  switch (resource.resourceType) {
    case ResourceType.TOPIC:
      return alterTopic(resource, validateOnly, ctx, newOverrides)
    case ResourceType.BROKER:
      return brokerRefusal(resource.resourceName, ctx) ?? refuseBrokerChange(resource.configs)
    default:
      return unsupportedResource(resource.resourceType)
  }
}

function alterTopic<C extends {name: string}>(resource: AlteredResource<C>, validateOnly: boolean, ctx: BrokerContext,
  newOverrides: NewOverrides<C>): Promise<ResourceOutcome> {
  return ctx.topicAlterations.run(resource.resourceName, () => alterTopicInTurn(resource, validateOnly, ctx, newOverrides))
}

/** alterTopic once no other alteration of the topic runs: the overrides read here are the latest. */
async function alterTopicInTurn<C extends {name: string}>(resource: AlteredResource<C>, validateOnly: boolean, ctx: BrokerContext,
  newOverrides: NewOverrides<C>): Promise<ResourceOutcome> {
  const name = resource.resourceName
  const refused = topicRefusal(name, ctx)
  if (refused !== null) return refused
  const overrides = newOverrides(ctx.logs.topic(name)!.configs, resource.configs, ctx)
  if (!Array.isArray(overrides)) return overrides
  const checked = validateTopicConfigs(overrides)
  if (!checked.ok) return refusal(ErrorCode.INVALID_CONFIG, checked.message)
  try {
    ctx.logs.validateConfigs(checked.configs)
    if (validateOnly) return SUCCESS
    await ctx.logs.alterTopicConfigs(name, checked.configs)
  } catch (error) {
    if (error instanceof InvalidConfigError) return refusal(ErrorCode.INVALID_CONFIG, error.message)
    if (error instanceof UnknownTopicError) return refusal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`)
    ctx.log(`altering the configs of topic ${name} failed: ${(error as Error).stack ?? String(error)}`)
    return refusal(ErrorCode.UNKNOWN_SERVER_ERROR, `altering the configs failed: ${(error as Error).message}`)
  }
  ctx.log(`topic ${name} configs are now ${describeOverrides(checked.configs)}`)
  return SUCCESS
}

function refuseBrokerChange(configs: readonly {name: string}[]): ResourceOutcome {
  if (configs.length === 0) return SUCCESS
  const unknown = configs.find(config => !BROKER_CONFIGS.has(config.name))
  if (unknown !== undefined) return refusal(ErrorCode.INVALID_CONFIG, `unknown broker config "${unknown.name}"`)
  return refusal(ErrorCode.INVALID_REQUEST, `broker configs cannot change while the daemon runs: set ${configs[0].name} with `
    + `weir server start --config ${configs[0].name}=VALUE or in <data-dir>/server.properties, then restart`)
}

function describeOverrides(configs: Record<string, string>): string {
  const pairs = Object.entries(configs).map(([key, value]) => `${key}=${value}`)
  return pairs.length === 0 ? 'all defaults' : pairs.join(',')
}
