import type {ConfigEntry} from '../client/index.js'
import {formatTable} from './table.js'

/** A topic config as `topics describe` shows it, in text and in --json (a null value is a sensitive one). */
export type TopicConfig = Pick<ConfigEntry, 'name' | 'value' | 'source' | 'isDefault' | 'readOnly' | 'sensitive'>

export function topicConfig(entry: ConfigEntry): TopicConfig {
  const {name, value, source, isDefault, readOnly, sensitive} = entry
  return {name, value, source, isDefault, readOnly, sensitive}
}

/**
 * kafka-topics' `Configs:` field: every value something set, whether the topic itself or the
 * broker's settings (a broker's log.retention.hours shows as retention.ms), not built-in defaults.
 * A value the broker hides prints as `null`, as Kafka prints it.
 */
export function setConfigs(configs: readonly TopicConfig[]): Record<string, string> {
  const set: Record<string, string> = {}
  for (const config of configs) if (!config.isDefault) set[config.name] = config.value ?? 'null'
  return set
}

/** `--all-configs`: NAME, VALUE and SOURCE of every config, sorted by name. */
export function configTableLines(configs: readonly TopicConfig[]): string[] {
  const rows = [...configs]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((config) => [config.name, config.value ?? (config.sensitive ? '(sensitive)' : ''), config.source])
  return formatTable(['NAME', 'VALUE', 'SOURCE'], rows)
}
