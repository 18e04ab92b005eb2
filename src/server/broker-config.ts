/**
 * The broker configs a daemon runs with, from three places, each winning over the next: the
 * daemon's flags (`--config KEY=VALUE`, and --[no-]auto-create-topics / --default-partitions, which
 * are auto.create.topics.enable and num.partitions), <data-dir>/server.properties, and Kafka's
 * defaults. Flags are checked strictly: an unknown key or bad value is a usage error. The file may
 * hold keys of a real Kafka broker Weir does not have (broker.id, listeners, ...): those are
 * skipped with a warning; a bad value of a key Weir has stops the start, naming the file and line.
 */
import {BrokerSettings} from '../broker/broker-settings.js'
import {BROKER_CONFIGS} from '../broker/broker-config-definitions.js'
import {BrokerConfigError} from '../broker/errors.js'
import {readServerProperties, serverPropertiesPath} from './broker-config-file.js'
import {parseConfigPairs, type DaemonOptions} from './daemon-options.js'
import {DaemonUsageError} from './errors.js'

export interface LoadedBrokerConfig {
  settings: BrokerSettings
  /** Lines for server.log: the keys skipped, and what was set where. */
  notes: string[]
}

/** The settings for a daemon started with `opts`; throws DaemonUsageError naming the first bad config. */
export function loadBrokerConfig(opts: DaemonOptions): LoadedBrokerConfig {
  const path = serverPropertiesPath(opts.dataDir)
  const entries = readServerProperties(opts.dataDir)
  const notes: string[] = []
  const fromFile: Record<string, string> = {}
  for (const entry of entries) {
    if (BROKER_CONFIGS.has(entry.key)) {
      checkOne(entry.key, entry.value, `${path} line ${entry.line}`)
      fromFile[entry.key] = entry.value
    } else {
      notes.push(`warning: ${path} line ${entry.line}: unknown broker config "${entry.key}" is ignored`)
    }
  }
  const fromFlags = flagConfigs(opts)
  const settings = BrokerSettings.from({...fromFile, ...fromFlags})
  const set = [...describeSet(fromFile, fromFlags, 'server.properties'), ...describeSet(fromFlags, {}, 'flag')]
  if (set.length > 0) notes.push(`broker configs: ${set.join(', ')}`)
  return {settings, notes}
}

/** The broker configs given as flags, checked: throws DaemonUsageError at the first unknown key or bad value. */
export function flagConfigs(opts: Pick<DaemonOptions, 'configs' | 'autoCreateTopics' | 'defaultPartitions'>): Record<string, string> {
  const configs: Record<string, string> = {...opts.configs}
  if (opts.autoCreateTopics !== undefined) configs['auto.create.topics.enable'] = String(opts.autoCreateTopics)
  if (opts.defaultPartitions !== undefined) configs['num.partitions'] = String(opts.defaultPartitions)
  for (const [key, value] of Object.entries(configs)) checkOne(key, value, '--config')
  return configs
}

/** `weir server start --config` pairs as a record, checked: throws DaemonUsageError as flagConfigs does. */
export function checkFlagConfigs(pairs: readonly string[]): Record<string, string> {
  return flagConfigs({configs: parseConfigPairs(pairs)})
}

function checkOne(key: string, value: string, where: string): void {
  try {
    BrokerSettings.from({[key]: value})
  } catch (error) {
    if (!(error instanceof BrokerConfigError)) throw error
    throw new DaemonUsageError(`${where}: ${error.message}`)
  }
}

/** "key=value (source)" for each key of `configs` that `over` does not replace. */
function describeSet(configs: Record<string, string>, over: Record<string, string>, source: string): string[] {
  return Object.entries(configs).filter(([key]) => !Object.hasOwn(over, key)).map(([key, value]) => `${key}=${value} (${source})`)
}
