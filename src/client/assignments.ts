// What a consumer is asked to read, and its symbolic start offsets turned into numbers.
import type {Admin} from './admin.js'
import {partitionKey as key} from './cluster.js'
import type {IsolationLevel} from './fetch-request.js'

export interface Assignment {
  topic: string
  partition: number
  offset: number | 'earliest' | 'latest'
}

/**
 * The assignments with 'earliest' and 'latest' resolved by ListOffsets, one request per topic and kind;
 * under read_committed 'latest' is the last stable offset, as Kafka's consumer resets to.
 */
export async function resolveAssignments(admin: Admin, assignments: Assignment[],
  isolationLevel: IsolationLevel = 'read_uncommitted'): Promise<{topic: string; partition: number; offset: number}[]> {
  const byQuery = new Map<string, Assignment[]>()
  for (const assignment of assignments) {
    if (typeof assignment.offset === 'number') continue
    const query = `${assignment.offset}\u0000${assignment.topic}`
    byQuery.set(query, [...(byQuery.get(query) ?? []), assignment])
  }
  const resolved = new Map<string, number>()
  for (const group of byQuery.values()) {
    const {topic, offset} = group[0]!
    const offsets = await admin.listOffsets(topic, group.map((a) => a.partition), offset as 'earliest' | 'latest', {isolationLevel})
    for (const [partition, value] of offsets) resolved.set(key(topic, partition), value)
  }
  return assignments.map(({topic, partition, offset}) => ({
    topic,
    partition,
    offset: typeof offset === 'number' ? offset : resolved.get(key(topic, partition))!,
  }))
}
