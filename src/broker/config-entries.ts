/**
 * Configs as DescribeConfigs (and CreateTopics v5+) report them: each key's value in force, where
 * it comes from, and its synonyms in Kafka's order of precedence: the topic's override, then the
 * broker configs set at start, then the broker configs' defaults. The first synonym is the one in
 * force, so an entry's source is its first synonym's source (DEFAULT_CONFIG when it has none).
 */
import {BROKER_CONFIG_DEFINITIONS, BROKER_CONFIGS} from './broker-config-definitions.js'
import type {BrokerSettings} from './broker-settings.js'
import {ConfigSource, type ConfigSourceValue, type ConfigTypeValue} from './config-definition.js'
import {TOPIC_CONFIG_DEFINITIONS, TOPIC_CONFIGS, type TopicConfigDefinition} from './topic-config-definitions.js'

export interface ConfigSynonym {
  name: string
  value: string | null
  source: ConfigSourceValue
}

export interface ConfigEntry {
  name: string
  value: string | null
  source: ConfigSourceValue
  readOnly: boolean
  type: ConfigTypeValue
  documentation: string
  synonyms: ConfigSynonym[]
}

/** Every topic config of a topic with these overrides, sorted by name. */
export function topicConfigEntries(overrides: Readonly<Record<string, string>>, settings: BrokerSettings): ConfigEntry[] {
  return TOPIC_CONFIG_DEFINITIONS.map(definition => topicEntry(definition, overrides, settings))
}

/** The value in force of one topic config for a topic with these overrides. */
export function topicConfigValue(name: string, overrides: Readonly<Record<string, string>>, settings: BrokerSettings): string {
  if (Object.hasOwn(overrides, name)) return overrides[name]
  return settings.topicDefaults()[name] ?? TOPIC_CONFIGS.get(name)!.defaultValue
}

/** Every broker config of this broker, sorted by name; all are read-only while it runs. */
export function brokerConfigEntries(settings: BrokerSettings): ConfigEntry[] {
  return BROKER_CONFIG_DEFINITIONS.map(definition => {
    const group = definition.topicConfig === null ? [definition.name]
      : TOPIC_CONFIGS.get(definition.topicConfig.name)!.brokerSynonyms.map(s => s.name)
    // As in Kafka, an entry lists its group's synonyms from its own on: log.retention.ms set at start
    // shows itself, then log.retention.hours' default; log.retention.hours does not show log.retention.ms.
    const synonyms = brokerSynonyms(group, settings)
    const own = synonyms.findIndex(s => s.name === definition.name)
    const listed = own === -1 ? [] : synonyms.slice(own)
    return {
      name: definition.name,
      value: settings.value(definition.name),
      source: settings.setValue(definition.name) === undefined ? ConfigSource.DEFAULT_CONFIG : ConfigSource.STATIC_BROKER_CONFIG,
      readOnly: true,
      type: definition.type,
      documentation: definition.documentation,
      synonyms: listed,
    }
  })
}

function topicEntry(definition: TopicConfigDefinition, overrides: Readonly<Record<string, string>>,
  settings: BrokerSettings): ConfigEntry {
  const synonyms = brokerSynonyms(definition.brokerSynonyms.map(s => s.name), settings)
  if (Object.hasOwn(overrides, definition.name)) {
    synonyms.unshift({name: definition.name, value: overrides[definition.name], source: ConfigSource.TOPIC_CONFIG})
  }
  return {
    name: definition.name,
    value: topicConfigValue(definition.name, overrides, settings),
    source: synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG,
    readOnly: false,
    type: definition.type,
    documentation: definition.documentation,
    synonyms,
  }
}

/** The broker configs among `names` that have a value: those set at start, then the defaults. */
function brokerSynonyms(names: string[], settings: BrokerSettings): ConfigSynonym[] {
  const set = names.flatMap(name => {
    const value = settings.setValue(name)
    return value === undefined ? [] : [{name, value, source: ConfigSource.STATIC_BROKER_CONFIG}]
  })
  const defaults = names.flatMap(name => {
    const value = BROKER_CONFIGS.get(name)?.defaultValue ?? null
    return value === null ? [] : [{name, value, source: ConfigSource.DEFAULT_CONFIG}]
  })
  return [...set, ...defaults]
}
