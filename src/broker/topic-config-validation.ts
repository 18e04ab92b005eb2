/**
 * Checks of topic configs a client asks for (CreateTopics, AlterConfigs, IncrementalAlterConfigs):
 * every key must be a Kafka topic config and every value pass its check. Storage checks the
 * values it acts on once more (LogManager.validateConfigs); both refusals are INVALID_CONFIG.
 */
import {TOPIC_CONFIGS} from './topic-config-definitions.js'

export type ConfigValidation = {ok: true; configs: Record<string, string>} | {ok: false; message: string}

/**
 * Checks requested overrides; returns them as a record (values trimmed) or the first refusal as a
 * message naming the key.
 */
export function validateTopicConfigs(configs: readonly {name: string; value: string | null}[]): ConfigValidation {
  const accepted: Record<string, string> = {}
  for (const {name, value} of configs) {
    const definition = TOPIC_CONFIGS.get(name)
    if (definition === undefined) return {ok: false, message: `unknown topic config "${name}"`}
    if (value === null) return {ok: false, message: `topic config "${name}" needs a value`}
    if (Object.hasOwn(accepted, name)) return {ok: false, message: `topic config "${name}" is given twice`}
    const refusal = definition.check(value)
    if (refusal !== null) return {ok: false, message: `topic config ${name}=${value} ${refusal}`}
    accepted[name] = value.trim()
  }
  return {ok: true, configs: accepted}
}
