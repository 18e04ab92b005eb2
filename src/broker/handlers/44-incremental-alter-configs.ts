/**
 * IncrementalAlterConfigs (key 44), versions 0-1 (Java's Admin and kafka-configs use it; librdkafka
 * 2.x and kafka-python 2.1+ too).
 *
 * Behaviour per resource: each config names an operation on the topic's overrides, applied in
 * order: SET (0) sets the key (a null value deletes it, as Kafka does), DELETE (1) removes the
 * override so the default applies again, APPEND (2) adds the value's comma-separated items not
 * already present and SUBTRACT (3) removes them, both on list configs only (cleanup.policy, the
 * throttled replica lists), starting from the value in force when the topic has no override.
 * An unknown operation or a null APPEND/SUBTRACT value -> 42, a key given twice -> 42, an unknown
 * key, APPEND/SUBTRACT on a non-list key, or a bad resulting value -> 40 (naming the key). The rest
 * (unknown topic 3, ValidateOnly, broker resources read-only) as AlterConfigs: see
 * config-alteration.ts.
 *
 * Version notes: v1 flexible.
 */
import {ApiKey, ErrorCode, type IncrementalAlterableConfig, type IncrementalAlterConfigsRequest,
  type IncrementalAlterConfigsResponse} from '../../protocol/index.js'
import {alterResources, type RequestedConfig} from '../config-alteration.js'
import {splitList} from '../config-checks.js'
import {ConfigType} from '../config-definition.js'
import {topicConfigValue} from '../config-entries.js'
import {refusal, type ResourceOutcome} from '../config-resources.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {TOPIC_CONFIGS} from '../topic-config-definitions.js'

const SET = 0
const DELETE = 1
const APPEND = 2
const SUBTRACT = 3

export const incrementalAlterConfigsHandler = registerHandler({
  apiKey: ApiKey.IncrementalAlterConfigs,
  name: 'IncrementalAlterConfigs',
  minVersion: 0,
  maxVersion: 1,
  async handle(request: IncrementalAlterConfigsRequest, _version: number, ctx: BrokerContext): Promise<IncrementalAlterConfigsResponse> {
    const responses = await alterResources(request.resources, request.validateOnly, ctx, applyOperations)
    return {throttleTimeMs: 0, responses}
  },
})

function applyOperations(current: Readonly<Record<string, string>>, configs: readonly IncrementalAlterableConfig[],
  ctx: BrokerContext): RequestedConfig[] | ResourceOutcome {
  const overrides: Record<string, string> = {...current}
  for (const config of configs) {
    const failed = applyOperation(overrides, config, ctx)
    if (failed !== null) return failed
  }
  return Object.entries(overrides).map(([name, value]) => ({name, value}))
}

/** Applies one operation to `overrides` in place; returns why it cannot, or null. */
function applyOperation(overrides: Record<string, string>, {name, configOperation, value}: IncrementalAlterableConfig,
  ctx: BrokerContext): ResourceOutcome | null {
  if (configOperation < SET || configOperation > SUBTRACT) {
    return refusal(ErrorCode.INVALID_REQUEST, `unknown config operation ${configOperation} for ${name} (0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT)`)
  }
  const definition = TOPIC_CONFIGS.get(name)
  if (definition === undefined) return refusal(ErrorCode.INVALID_CONFIG, `unknown topic config "${name}"`)
  if (configOperation === DELETE || (configOperation === SET && value === null)) {
    delete overrides[name]
    return null
  }
  if (value === null) return refusal(ErrorCode.INVALID_REQUEST, `config ${name} needs a value to ${operationName(configOperation)}`)
  if (configOperation === SET) {
    overrides[name] = value
    return null
  }
  if (definition.type !== ConfigType.LIST) {
    return refusal(ErrorCode.INVALID_CONFIG, `cannot ${operationName(configOperation)} to ${name}: it is not a list config`)
  }
  const items = splitList(topicConfigValue(name, overrides, ctx.settings))
  const operand = splitList(value)
  const changed = configOperation === APPEND
    ? [...items, ...operand.filter((item, i) => !items.includes(item) && operand.indexOf(item) === i)]
    : items.filter(item => !operand.includes(item))
  overrides[name] = changed.join(',')
  return null
}

function operationName(operation: number): string {
  return operation === APPEND ? 'APPEND' : operation === SUBTRACT ? 'SUBTRACT' : 'SET'
}
