import type {GroupDescription} from '../client/index.js'
import type {GroupLag, OffsetRow} from './group-lag.js'
import {formatTable} from './table.js'

/** kafka-consumer-groups --describe --offsets columns. */
export const OFFSET_COLUMNS = ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'] as const

/** The offsets table of one group: Kafka's columns and `-` for what is unknown. */
export function offsetTableLines(rows: readonly OffsetRow[]): string[] {
  return formatTable(OFFSET_COLUMNS, rows.map((row) => [
    row.group, cell(row.topic), cell(row.partition), cell(row.currentOffset), cell(row.logEndOffset), cell(row.lag),
    cell(row.consumerId), cell(row.host), cell(row.clientId),
  ]))
}

/**
 * The group's total lag, then each topic's when it reads several, naming partitions whose lag is
 * unknown because nothing was committed for them (their lag is not in the totals):
 *
 *     Total lag of group orders: 12
 *       audit   -   (1 of 1 partition without a committed offset)
 *       events  12
 */
export function lagSummaryLines(lag: GroupLag): string[] {
  if (lag.topics.length === 0) return []
  const only = lag.topics.length === 1 ? lag.topics[0]! : null
  const first = `Total lag of group ${lag.group}: ${cell(lag.lag)}${only ? uncommittedNote(only.uncommitted, only.partitions, ' ') : ''}`
  if (only) return [first]
  const rows = lag.topics.map((topic) => [topic.topic, cell(topic.lag), uncommittedNote(topic.uncommitted, topic.partitions, '')].filter((c, i) => i < 2 || c !== ''))
  return [first, ...formatTable(null, rows).map((line) => `  ${line}`)]
}

function uncommittedNote(uncommitted: number, partitions: number, before: string): string {
  if (uncommitted === 0) return ''
  return `${before}(${uncommitted} of ${partitions} partition${partitions === 1 ? '' : 's'} without a committed offset)`
}

/** kafka-consumer-groups --describe --members, with each member's assignment decoded. */
export function memberTableLines(description: GroupDescription): string[] {
  const instances = description.members.some((m) => m.groupInstanceId !== null)
  const header = ['GROUP', 'CONSUMER-ID', ...(instances ? ['GROUP-INSTANCE-ID'] : []), 'HOST', 'CLIENT-ID', '#PARTITIONS', 'ASSIGNMENT']
  const members = [...description.members].sort((a, b) => compare(a.clientId, b.clientId) || compare(a.memberId, b.memberId))
  return formatTable(header, members.map((m) => [
    description.groupId, m.memberId, ...(instances ? [cell(m.groupInstanceId)] : []), m.clientHost, m.clientId,
    String(m.assignment.reduce((sum, a) => sum + a.partitions.length, 0)), assignmentText(m.assignment),
  ]))
}

/** Kafka's compact assignment form: `orders(0,1,2),audit(0)`, `-` for none. */
export function assignmentText(assignment: readonly {topic: string; partitions: readonly number[]}[]): string {
  const parts = assignment.filter((a) => a.partitions.length > 0).map((a) => `${a.topic}(${a.partitions.join(',')})`)
  return parts.length === 0 ? '-' : parts.join(',')
}

/** kafka-consumer-groups --describe --state: one row per group. */
export function stateTableLines(descriptions: readonly GroupDescription[]): string[] {
  return formatTable(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'], descriptions.map((d) => [
    d.groupId, `${d.coordinatorAddress === '' ? '-' : d.coordinatorAddress} (${d.coordinator})`, d.protocol === '' ? '-' : d.protocol,
    d.state, String(d.members.length),
  ]))
}

/**
 * What kafka-consumer-groups says about a group's state before its table (to stderr): no active
 * members, or a rebalance under way (members and assignments are then not known). Null otherwise.
 */
export function stateNote(description: GroupDescription): string | null {
  if (description.state === 'Empty') return `Consumer group '${description.groupId}' has no active members.`
  if (description.state === 'PreparingRebalance' || description.state === 'CompletingRebalance') {
    return `Warning: Consumer group '${description.groupId}' is rebalancing.`
  }
  return null
}

function cell(value: string | number | null): string {
  return value === null || value === '' ? '-' : String(value)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
