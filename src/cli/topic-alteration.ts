import type {ConfigOperation} from '../client/index.js'
import {UsageError} from './cli-errors.js'
import {parseKeyValueList} from './key-value-pairs.js'

/** What `topics alter` was asked to change. */
export interface TopicAlteration {
  /** Overrides to set. */
  set: Record<string, string>
  /** Overrides to remove (the default applies again). */
  deleted: string[]
  /** New total partition count. */
  partitions: number | null
}

/** The flags as given; refuses an empty alteration and a key both set and deleted. */
export function topicAlteration(flags: {config?: string[]; 'delete-config'?: string[]; partitions?: number}): TopicAlteration {
  const set = parseKeyValueList(flags.config, 'config')
  const deleted = [...new Set(flags['delete-config'] ?? [])]
  const both = deleted.find((key) => key in set)
  if (both !== undefined) throw new UsageError(`config ${both} is both set with --config and removed with --delete-config`)
  const blank = deleted.find((key) => key.trim() === '' || key.includes('='))
  if (blank !== undefined) throw new UsageError(`--delete-config takes a config name, got '${blank}'`)
  const partitions = flags.partitions ?? null
  if (Object.keys(set).length === 0 && deleted.length === 0 && partitions === null) {
    throw new UsageError('nothing to alter', 'give --config KEY=VALUE, --delete-config KEY or --partitions N')
  }
  return {set, deleted, partitions}
}

/** The config changes as IncrementalAlterConfigs operations, in the order given. */
export function configOperations(alteration: TopicAlteration): ConfigOperation[] {
  return [
    ...Object.entries(alteration.set).map(([name, value]): ConfigOperation => ({name, op: 'set', value})),
    ...alteration.deleted.map((name): ConfigOperation => ({name, op: 'delete'})),
  ]
}

/**
 * One line per change, as made or (dry run) as it would be made. `fromPartitions` is the count
 * before the change.
 */
export function alterationLines(topic: string, alteration: TopicAlteration, fromPartitions: number, dryRun: boolean): string[] {
  const lines = [
    ...Object.entries(alteration.set).map(([key, value]) => `${dryRun ? 'Would set' : 'Set'} ${key}=${value} on topic ${topic}.`),
    ...alteration.deleted.map((key) => dryRun ? `Would reset ${key} of topic ${topic} to its default.` : `${key} of topic ${topic} is now its default.`),
  ]
  if (alteration.partitions !== null) {
    const verb = dryRun ? 'Would increase' : 'Increased'
    lines.push(`${verb} the partitions of topic ${topic} from ${fromPartitions} to ${alteration.partitions}.`)
  }
  return lines
}
