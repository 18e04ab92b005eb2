// The assignors a Weir consumer offers, by Kafka's names for them (partition.assignment.strategy).
import type {PartitionAssignor, RebalanceProtocol} from './assignor.js'
import {CooperativeStickyAssignor} from './cooperative-sticky.js'
import {RangeAssignor} from './range.js'

export {compareMembers, groupByTopic, type MemberSubscription, type PartitionAssignor, type RebalanceProtocol, type TopicPartitions} from './assignor.js'
export {CooperativeStickyAssignor} from './cooperative-sticky.js'
export {RangeAssignor} from './range.js'

/** Java's default order: range first, cooperative-sticky second (so a group can move to it). */
export const DEFAULT_ASSIGNORS = ['range', 'cooperative-sticky'] as const

const FACTORIES: Record<string, () => PartitionAssignor> = {
  range: () => new RangeAssignor(),
  'cooperative-sticky': () => new CooperativeStickyAssignor(),
}

/**
 * The member's rebalance protocol, decided once from the assignors it is configured with, as Java's
 * consumer does: cooperative only when every one of them is cooperative (a cooperative assignor can run
 * eagerly, an eager one never cooperatively). So Java's default "range, cooperative-sticky" and Kafka's
 * upgrade step "cooperative-sticky, range" both run eager, whichever assignor the group picks: a member
 * that switched protocol with the group's pick would keep partitions an eager leader hands to others.
 */
export function rebalanceProtocolOf(assignors: readonly PartitionAssignor[]): RebalanceProtocol {
  return assignors.length > 0 && assignors.every((a) => a.rebalanceProtocol === 'cooperative') ? 'cooperative' : 'eager'
}

/** Names the consumer knows, for error messages. */
export const KNOWN_ASSIGNORS = Object.keys(FACTORIES)

/**
 * Assignors by name, in the order given (JoinGroup offers them in this order: members vote for
 * their first). Java's class names (org.apache.kafka.clients.consumer.RangeAssignor) are accepted.
 * Returns null for a name it does not know.
 */
export function assignorFor(name: string): PartitionAssignor | null {
  const short = JAVA_CLASS_NAMES[name.trim()] ?? name.trim()
  return FACTORIES[short]?.() ?? null
}

const JAVA_CLASS_NAMES: Record<string, string> = {
  'org.apache.kafka.clients.consumer.RangeAssignor': 'range',
  'org.apache.kafka.clients.consumer.CooperativeStickyAssignor': 'cooperative-sticky',
}
