import {partitionKey as key} from '../client/cluster.js'
import type {GroupDescription, GroupOffset} from '../client/index.js'

/** A partition's log start and end offsets; null when the topic or partition no longer exists. */
export interface PartitionBounds {
  start: number
  end: number
}

/** Where each partition of the topics a group touches begins and ends, keyed by topic then partition. */
export type TopicBounds = ReadonlyMap<string, ReadonlyMap<number, PartitionBounds>>

/**
 * One row of `describe --offsets`, in Kafka's columns (null prints as `-`). A member that has no
 * partition gets a row of its own with topic and partition null, as kafka-consumer-groups shows it.
 */
export interface OffsetRow {
  group: string
  topic: string | null
  partition: number | null
  currentOffset: number | null
  logStartOffset: number | null
  logEndOffset: number | null
  lag: number | null
  consumerId: string | null
  host: string | null
  clientId: string | null
}

/** A topic's lag in one group: the sum over its partitions that have a commit. */
export interface TopicLag {
  topic: string
  lag: number | null
  partitions: number
  /** Partitions without a committed offset: their lag is unknown and not in the sum. */
  uncommitted: number
}

export interface GroupLag {
  group: string
  /** null when no partition of the group has a committed offset. */
  lag: number | null
  topics: TopicLag[]
}

/**
 * Records a group has yet to read in a partition: from its committed offset, or from the log start
 * when retention or trimming has moved past the commit (those records are gone and will never be
 * read), to the log end. Unknown (null) without a commit or when the partition's end is unknown.
 */
export function lagOf(committed: number | null, bounds: PartitionBounds | null): number | null {
  if (committed === null || bounds === null) return null
  return Math.max(0, bounds.end - Math.max(committed, bounds.start))
}

/**
 * The rows of one group: every partition assigned to a member or holding a committed offset, sorted
 * by topic and partition, then members without partitions.
 */
export function offsetRows(description: GroupDescription, offsets: readonly GroupOffset[], bounds: TopicBounds): OffsetRow[] {
  const group = description.groupId
  const owners = new Map<string, GroupDescription['members'][number]>()
  for (const member of description.members) {
    for (const {topic, partitions} of member.assignment) for (const partition of partitions) owners.set(key(topic, partition), member)
  }
  const committed = new Map(offsets.map((o) => [key(o.topic, o.partition), o.offset]))
  const partitions = new Map<string, {topic: string; partition: number}>()
  for (const o of offsets) partitions.set(key(o.topic, o.partition), {topic: o.topic, partition: o.partition})
  for (const member of description.members) {
    for (const {topic, partitions: assigned} of member.assignment) for (const partition of assigned) partitions.set(key(topic, partition), {topic, partition})
  }
  const rows = [...partitions.values()]
    .sort((a, b) => compare(a.topic, b.topic) || a.partition - b.partition)
    .map(({topic, partition}): OffsetRow => {
      const current = committed.get(key(topic, partition)) ?? null
      const limits = bounds.get(topic)?.get(partition) ?? null
      const owner = owners.get(key(topic, partition))
      return {
        group, topic, partition, currentOffset: current, logStartOffset: limits?.start ?? null, logEndOffset: limits?.end ?? null,
        lag: lagOf(current, limits), consumerId: owner?.memberId ?? null, host: owner?.clientHost ?? null, clientId: owner?.clientId ?? null,
      }
    })
  const idle = description.members.filter((m) => m.assignment.every((a) => a.partitions.length === 0))
  return [...rows, ...idle.map((m): OffsetRow => ({
    group, topic: null, partition: null, currentOffset: null, logStartOffset: null, logEndOffset: null, lag: null,
    consumerId: m.memberId, host: m.clientHost, clientId: m.clientId,
  }))]
}

/** Total lag per topic and for the group, over the rows of one group. */
export function groupLag(group: string, rows: readonly OffsetRow[]): GroupLag {
  const topics = new Map<string, TopicLag>()
  for (const row of rows) {
    if (row.topic === null) continue
    const topic = topics.get(row.topic) ?? {topic: row.topic, lag: null, partitions: 0, uncommitted: 0}
    topic.partitions++
    if (row.currentOffset === null) topic.uncommitted++
    if (row.lag !== null) topic.lag = (topic.lag ?? 0) + row.lag
    topics.set(row.topic, topic)
  }
  const list = [...topics.values()]
  const known = list.filter((t) => t.lag !== null)
  return {group, lag: known.length === 0 ? null : known.reduce((sum, t) => sum + t.lag!, 0), topics: list}
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
