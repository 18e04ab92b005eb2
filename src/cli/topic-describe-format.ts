/** What `topics describe` shows of a topic (from the client's describeTopics). */
export interface TopicDescription {
  name: string
  topicId: string
  partitions: readonly {partition: number; leader: number; replicas: readonly number[]; isr: readonly number[]}[]
  /** Non-default configs; undefined when they were not fetched (the field is then left out). */
  configs?: Readonly<Record<string, string>>
}

/**
 * kafka-topics.sh --describe layout, which scripts already parse: per topic a header line,
 * then one line per partition that starts with a TAB; fields are `Key: value` joined by TABs.
 * The replication factor is the replica count of the first partition, as Kafka prints it.
 */
export function describeTopicLines(topic: TopicDescription): string[] {
  const header = [
    `Topic: ${topic.name}`,
    `TopicId: ${topic.topicId}`,
    `PartitionCount: ${topic.partitions.length}`,
    `ReplicationFactor: ${topic.partitions[0]?.replicas.length ?? 0}`,
  ]
  if (topic.configs !== undefined) {
    header.push(`Configs: ${Object.entries(topic.configs).map(([key, value]) => `${key}=${value}`).join(',')}`)
  }
  const lines = [header.join('\t')]
  const sorted = [...topic.partitions].sort((a, b) => a.partition - b.partition)
  for (const partition of sorted) {
    lines.push([
      '',
      `Topic: ${topic.name}`,
      `Partition: ${partition.partition}`,
      `Leader: ${partition.leader < 0 ? 'none' : partition.leader}`,
      `Replicas: ${partition.replicas.join(',')}`,
      `Isr: ${partition.isr.join(',')}`,
    ].join('\t'))
  }
  return lines
}
