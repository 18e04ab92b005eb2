// Kafka's RangeAssignor: topic by topic, the partitions are cut into contiguous ranges, one per
// member subscribed to the topic, members in Java's order (static instance ids, then member ids);
// the first (partitions % members) members get one partition more. Eager: members give up every
// partition before each rebalance.
import {compareMembers, groupByTopic, type MemberSubscription, type PartitionAssignor, type TopicPartitions} from './assignor.js'

export class RangeAssignor implements PartitionAssignor {
  readonly name = 'range'
  readonly rebalanceProtocol = 'eager'

  subscriptionUserData(): Buffer | null {
    return null
  }

  assign(members: readonly MemberSubscription[], partitionCounts: ReadonlyMap<string, number>): Map<string, TopicPartitions[]> {
    const owned = new Map<string, {topic: string; partition: number}[]>(members.map((member) => [member.memberId, []]))
    const topics = [...new Set(members.flatMap((member) => member.topics))].sort()
    for (const topic of topics) {
      const count = partitionCounts.get(topic)
      if (count === undefined) continue
      const subscribers = members.filter((member) => member.topics.includes(topic)).sort(compareMembers)
      const perMember = Math.floor(count / subscribers.length)
      const extra = count % subscribers.length
      subscribers.forEach((member, i) => {
        const start = perMember * i + Math.min(i, extra)
        const length = perMember + (i < extra ? 1 : 0)
        for (let partition = start; partition < start + length; partition++) owned.get(member.memberId)!.push({topic, partition})
      })
    }
    return new Map([...owned].map(([memberId, pairs]) => [memberId, groupByTopic(pairs)]))
  }
}
