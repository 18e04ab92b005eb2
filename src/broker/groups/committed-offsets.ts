/**
 * The committed offsets of every group, in memory: what replaying __consumer_offsets up to its end
 * gives, kept current as records are appended. One entry per (group, topic, partition); a group
 * with no entry left is forgotten.
 */

/** One committed offset, as an OffsetCommitValue record holds it. */
export interface CommittedOffset {
  readonly offset: number
  /** -1 when the committer named no leader epoch. */
  readonly leaderEpoch: number
  readonly metadata: string
  /** When the offset was committed (ms since the epoch). */
  readonly commitTimestamp: number
  /** An explicit expiry (OffsetCommit v2-4 RetentionTimeMs), -1 when the retention setting applies. */
  readonly expireTimestamp: number
}

export interface TopicPartitionRef {
  readonly topic: string
  readonly partition: number
}

export interface CommittedPartition extends TopicPartitionRef {
  readonly committed: CommittedOffset
}

export class CommittedOffsets {
  private readonly groups = new Map<string, Map<string, Map<number, CommittedOffset>>>()

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(groupId)?.get(topic)?.get(partition)
  }

  set(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    let topics = this.groups.get(groupId)
    if (topics === undefined) this.groups.set(groupId, topics = new Map())
    let partitions = topics.get(topic)
    if (partitions === undefined) topics.set(topic, partitions = new Map())
    partitions.set(partition, committed)
  }

  delete(groupId: string, topic: string, partition: number): void {
    const topics = this.groups.get(groupId)
    const partitions = topics?.get(topic)
    if (topics === undefined || partitions === undefined) return
    partitions.delete(partition)
    if (partitions.size === 0) topics.delete(topic)
    if (topics.size === 0) this.groups.delete(groupId)
  }

  /** Forgets every offset of the group. */
  deleteGroup(groupId: string): void {
    this.groups.delete(groupId)
  }

  hasOffsets(groupId: string): boolean {
    return this.groups.has(groupId)
  }

  /** Every group with at least one committed offset, sorted. */
  groupIds(): string[] {
    return [...this.groups.keys()].sort()
  }

  /** The group's committed offsets, by topic name then partition. */
  ofGroup(groupId: string): CommittedPartition[] {
    const topics = this.groups.get(groupId)
    if (topics === undefined) return []
    const rows: CommittedPartition[] = []
    for (const topic of [...topics.keys()].sort()) {
      const partitions = topics.get(topic)!
      for (const partition of [...partitions.keys()].sort((a, b) => a - b)) {
        rows.push({topic, partition, committed: partitions.get(partition)!})
      }
    }
    return rows
  }
}
