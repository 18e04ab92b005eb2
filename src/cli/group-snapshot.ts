import type {Admin, GroupDescription, GroupOffset} from '../client/index.js'
import {type GroupLag, type OffsetRow, type PartitionBounds, type TopicBounds, groupLag, offsetRows} from './group-lag.js'

/** Everything `consumer-groups describe` shows of one group, read at one moment. */
export interface GroupSnapshot {
  description: GroupDescription
  offsets: GroupOffset[]
  rows: OffsetRow[]
  lag: GroupLag
}

/** The admin calls a snapshot needs (the client's Admin; tests may stand in). */
export type SnapshotAdmin = Pick<Admin, 'describeGroups' | 'listGroupOffsets' | 'describeTopics' | 'listOffsets'>

/**
 * Describes the groups, reads their committed offsets, and the log start and end of every partition
 * they are assigned or have committed, each topic asked once however many groups read it. A group the
 * coordinator does not know ("Dead") has no offsets to read. Without `offsets` (the members and state
 * views), only the descriptions are read.
 */
export async function groupSnapshots(admin: SnapshotAdmin, groupIds: string[], options: {offsets?: boolean} = {}): Promise<GroupSnapshot[]> {
  const descriptions = await admin.describeGroups(groupIds)
  const wanted = options.offsets ?? true
  const offsets = await Promise.all(descriptions.map((d) => (isDead(d) || !wanted ? [] : admin.listGroupOffsets(d.groupId))))
  const topics = new Set<string>()
  for (const [index, description] of descriptions.entries()) {
    for (const member of description.members) for (const {topic} of member.assignment) topics.add(topic)
    for (const {topic} of offsets[index]!) topics.add(topic)
  }
  const bounds = await topicBounds(admin, [...topics].sort())
  return descriptions.map((description, index) => {
    const rows = offsetRows(description, offsets[index]!, bounds)
    return {description, offsets: offsets[index]!, rows, lag: groupLag(description.groupId, rows)}
  })
}

/** Whether the coordinator does not know the group (DescribeGroups answers state "Dead" for it). */
export function isDead(description: GroupDescription): boolean {
  return description.state === 'Dead'
}

/** Log start and end offsets of every partition of the topics that still exist. */
export async function topicBounds(admin: Pick<Admin, 'describeTopics' | 'listOffsets'>, topics: string[]): Promise<TopicBounds> {
  const bounds = new Map<string, Map<number, PartitionBounds>>()
  if (topics.length === 0) return bounds
  const existing = (await admin.describeTopics(topics)).filter((t) => t.errorCode === 0 && t.partitions.length > 0)
  await Promise.all(existing.map(async (topic) => {
    const partitions = topic.partitions.map((p) => p.partition)
    const [start, end] = await Promise.all([admin.listOffsets(topic.name, partitions, 'earliest'), admin.listOffsets(topic.name, partitions, 'latest')])
    bounds.set(topic.name, new Map(partitions.map((p) => [p, {start: start.get(p) ?? 0, end: end.get(p) ?? 0}])))
  }))
  return bounds
}

/** A group as `describe --json` gives it: stable keys, numbers as numbers, null for unknown. */
export interface GroupJson {
  group: string
  state: string
  protocolType: string
  assignmentStrategy: string
  coordinator: {id: number; address: string}
  totalLag: number | null
  topics: {topic: string; lag: number | null; partitions: number; uncommitted: number}[]
  members: {consumerId: string; groupInstanceId: string | null; host: string; clientId: string;
    assignment: {topic: string; partitions: number[]}[]; subscribedTopics: string[]}[]
  offsets: (Omit<OffsetRow, 'group' | 'topic' | 'partition'> & {topic: string; partition: number})[]
}

export function groupJson(snapshot: GroupSnapshot): GroupJson {
  const {description: d, rows, lag} = snapshot
  return {
    group: d.groupId,
    state: d.state,
    protocolType: d.protocolType,
    assignmentStrategy: d.protocol,
    coordinator: {id: d.coordinator, address: d.coordinatorAddress},
    totalLag: lag.lag,
    topics: lag.topics.map((t) => ({...t})),
    members: d.members.map((m) => ({consumerId: m.memberId, groupInstanceId: m.groupInstanceId, host: m.clientHost, clientId: m.clientId,
      assignment: m.assignment.map((a) => ({topic: a.topic, partitions: [...a.partitions]})), subscribedTopics: [...m.subscribedTopics]})),
    offsets: rows.filter((r) => r.topic !== null).map(({group: _group, ...row}) => ({...row, topic: row.topic!, partition: row.partition!})),
  }
}
