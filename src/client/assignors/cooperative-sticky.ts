// Kafka's CooperativeStickyAssignor: the sticky balance (sticky-balance.ts) with the cooperative
// rebalance protocol (KIP-429). Members keep consuming what stays theirs during a rebalance; a
// partition that moves from one member to another is left out of the new owner's assignment in the
// generation that moves it, so its old owner gives it up (and commits) first, then rejoins, and the
// next generation hands it over. Only partitions claimed by members of the highest generation count
// as owned (a member back from an older generation may hold stale ones); a partition claimed twice
// in that generation counts as owned by neither.
import {groupByTopic, partitionId, type MemberSubscription, type PartitionAssignor, type TopicPartitions} from './assignor.js'
import {stickyBalance, type TopicPartition} from './sticky-balance.js'

export class CooperativeStickyAssignor implements PartitionAssignor {
  readonly name = 'cooperative-sticky'
  readonly rebalanceProtocol = 'cooperative'

  /** Java's cooperative-sticky user data: the generation as one int32, for subscriptions before v2. */
  subscriptionUserData(generationId: number): Buffer | null {
    const bytes = Buffer.alloc(4)
    bytes.writeInt32BE(generationId)
    return bytes
  }

  assign(members: readonly MemberSubscription[], partitionCounts: ReadonlyMap<string, number>): Map<string, TopicPartitions[]> {
    const {owned, previousOwner} = validOwnership(members)
    const balanced = stickyBalance(members, partitionCounts, owned)
    const result = new Map<string, TopicPartitions[]>()
    for (const [memberId, partitions] of balanced) {
      // Moving away from a member that still holds it: not yet, that member revokes it first.
      const now = partitions.filter((tp) => {
        const before = previousOwner.get(partitionId(tp.topic, tp.partition))
        return before === undefined || before === memberId
      })
      result.set(memberId, groupByTopic(now))
    }
    return result
  }
}

/** The owned partitions that count, per member, and who owned each one. */
export function validOwnership(members: readonly MemberSubscription[]): {
  owned: Map<string, TopicPartition[]>
  previousOwner: Map<string, string>
} {
  const maxGeneration = Math.max(-1, ...members.map((member) => member.generationId))
  const previousOwner = new Map<string, string>()
  const claimedTwice = new Set<string>()
  for (const member of members) {
    if (member.generationId !== maxGeneration) continue
    for (const {topic, partitions} of member.ownedPartitions) {
      if (!member.topics.includes(topic)) continue
      for (const partition of partitions) {
        const id = partitionId(topic, partition)
        if (previousOwner.has(id) && previousOwner.get(id) !== member.memberId) claimedTwice.add(id)
        else previousOwner.set(id, member.memberId)
      }
    }
  }
  for (const id of claimedTwice) previousOwner.delete(id)
  const owned = new Map<string, TopicPartition[]>(members.map((member) => [member.memberId, []]))
  for (const member of members) {
    for (const {topic, partitions} of member.ownedPartitions) {
      for (const partition of partitions) {
        if (previousOwner.get(partitionId(topic, partition)) === member.memberId) owned.get(member.memberId)!.push({topic, partition})
      }
    }
  }
  return {owned, previousOwner}
}
