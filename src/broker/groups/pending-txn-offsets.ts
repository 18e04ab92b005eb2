/**
 * Offsets committed inside transactions that have not ended yet (Kafka's
 * GroupMetadata.pendingTransactionalOffsetCommits): per producer id, per group, per partition, the
 * offset its TxnOffsetCommit wrote to __consumer_offsets. The transaction's COMMIT marker in the
 * group's __consumer_offsets partition makes them the committed offsets; its ABORT marker drops
 * them. Until then OffsetFetch with RequireStable answers UNSTABLE_OFFSET_COMMIT for them.
 *
 * A plain OffsetCommit of the same partition written after the transactional one wins over it, as
 * in Kafka (which compares the records' offsets in the log): such an entry is marked `superseded`
 * and not applied by the COMMIT.
 */
import type {CommittedOffset, TopicPartitionRef} from './committed-offsets.js'

export interface PendingOffset extends TopicPartitionRef {
  readonly committed: CommittedOffset
  superseded: boolean
}

export class PendingTxnOffsets {
  /** producerId -> groupId -> "topic\0partition" -> the pending offset */
  private readonly producers = new Map<number, Map<string, Map<string, PendingOffset>>>()

  add(producerId: number, groupId: string, entries: readonly (TopicPartitionRef & {committed: CommittedOffset})[]): void {
    let groups = this.producers.get(producerId)
    if (groups === undefined) this.producers.set(producerId, groups = new Map())
    let offsets = groups.get(groupId)
    if (offsets === undefined) groups.set(groupId, offsets = new Map())
    for (const {topic, partition, committed} of entries) offsets.set(keyOf(topic, partition), {topic, partition, committed, superseded: false})
  }

  /** A plain commit of the partition was written: pending offsets of it written before lose to it. */
  supersede(groupId: string, topic: string, partition: number): void {
    for (const groups of this.producers.values()) {
      const pending = groups.get(groupId)?.get(keyOf(topic, partition))
      if (pending !== undefined) pending.superseded = true
    }
  }

  /** Removes and returns the producer's pending offsets of the groups `inPartition` accepts. */
  take(producerId: number, inPartition: (groupId: string) => boolean): Map<string, PendingOffset[]> {
    const taken = new Map<string, PendingOffset[]>()
    const groups = this.producers.get(producerId)
    if (groups === undefined) return taken
    for (const [groupId, offsets] of groups) {
      if (!inPartition(groupId)) continue
      taken.set(groupId, [...offsets.values()])
      groups.delete(groupId)
    }
    if (groups.size === 0) this.producers.delete(producerId)
    return taken
  }

  /** Whether some transaction holds a pending offset of the group: of this partition, or of any when none is named. */
  has(groupId: string, topic?: string, partition?: number): boolean {
    for (const groups of this.producers.values()) {
      const offsets = groups.get(groupId)
      if (offsets === undefined) continue
      if (topic === undefined || offsets.has(keyOf(topic, partition!))) return true
    }
    return false
  }

  /** Forgets the group's pending offsets (the group was deleted). */
  deleteGroup(groupId: string): void {
    for (const [producerId, groups] of this.producers) {
      groups.delete(groupId)
      if (groups.size === 0) this.producers.delete(producerId)
    }
  }

  /** Moves every entry of `other` in (replay: what one partition left pending). */
  addAll(other: PendingTxnOffsets): void {
    for (const [producerId, groups] of other.producers) {
      for (const [groupId, offsets] of groups) {
        let mine = this.producers.get(producerId)
        if (mine === undefined) this.producers.set(producerId, mine = new Map())
        const into = mine.get(groupId) ?? new Map<string, PendingOffset>()
        for (const [key, pending] of offsets) into.set(key, pending)
        mine.set(groupId, into)
      }
    }
  }

  get producerCount(): number {
    return this.producers.size
  }
}

function keyOf(topic: string, partition: number): string {
  return `${topic}\0${partition}`
}
