// `consume --consumer-property KEY=VALUE` (kafka-console-consumer's spelling; --command-property in
// Kafka 4.2): the group consumer's Kafka settings Weir understands, checked here so that a typo or a
// bad number is a usage error (exit 2) before anything connects.
import {KNOWN_ASSIGNORS, assignorFor} from '../client/assignors/index.js'
import {DEFAULT_HEARTBEAT_INTERVAL_MS, DEFAULT_SESSION_TIMEOUT_MS} from '../client/group-consumer.js'
import {UsageError} from './cli-errors.js'
import {parseKeyValueList, requireKnownKeys} from './key-value-pairs.js'

export const CONSUMER_PROPERTIES = [
  'partition.assignment.strategy', 'session.timeout.ms', 'heartbeat.interval.ms', 'max.poll.interval.ms',
  'auto.commit.interval.ms', 'group.instance.id', 'client.id',
] as const

export interface GroupSettings {
  assignors?: string[]
  sessionTimeoutMs?: number
  heartbeatIntervalMs?: number
  rebalanceTimeoutMs?: number
  autoCommitIntervalMs?: number
  groupInstanceId?: string
  clientId?: string
}

export function groupSettings(list: readonly string[] | undefined): GroupSettings {
  const props = parseKeyValueList(list, 'consumer-property')
  requireKnownKeys(props, CONSUMER_PROPERTIES, 'consumer-property')
  const settings: GroupSettings = {}
  const strategy = props['partition.assignment.strategy']
  if (strategy !== undefined) {
    const names = strategy.split(',').map((name) => name.trim()).filter((name) => name !== '')
    const unknown = names.find((name) => assignorFor(name) === null)
    if (names.length === 0 || unknown !== undefined) {
      throw new UsageError(`unknown partition.assignment.strategy '${unknown ?? strategy}' (supported: ${KNOWN_ASSIGNORS.join(', ')})`)
    }
    settings.assignors = names
  }
  const number = (key: string): number | undefined => {
    const text = props[key]
    if (text === undefined) return undefined
    if (!/^\d+$/.test(text.trim()) || Number(text) <= 0) throw new UsageError(`--consumer-property ${key} must be a positive number of milliseconds, got '${text}'`)
    return Number(text)
  }
  settings.sessionTimeoutMs = number('session.timeout.ms')
  settings.heartbeatIntervalMs = number('heartbeat.interval.ms')
  settings.rebalanceTimeoutMs = number('max.poll.interval.ms')
  const heartbeat = settings.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS
  const session = settings.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS
  // Java refuses this too: a member would miss its session between two heartbeats.
  if (heartbeat >= session) throw new UsageError(`--consumer-property heartbeat.interval.ms (${heartbeat}) must be lower than session.timeout.ms (${session})`)
  settings.autoCommitIntervalMs = number('auto.commit.interval.ms')
  for (const [key, field] of [['group.instance.id', 'groupInstanceId'], ['client.id', 'clientId']] as const) {
    const value = props[key]
    if (value === undefined) continue
    if (value.trim() === '') throw new UsageError(`--consumer-property ${key} cannot be empty`)
    settings[field] = value
  }
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as GroupSettings
}
