// What a group's leader needs to divide partitions among the members of a consumer group: each
// member's subscription (as decoded from its JoinGroup metadata) and the partition count of every
// topic any member subscribes to. Assignors are pure functions of these, so any member, Weir or
// another client, elected leader hands out the same kind of assignment.

/** A topic and some of its partitions, as the consumer protocol lists them. */
export interface TopicPartitions {
  topic: string
  partitions: number[]
}

/** One member as the leader sees it in the JoinGroup answer. */
export interface MemberSubscription {
  memberId: string
  groupInstanceId: string | null
  topics: string[]
  /** What the member held in the generation it says (subscription v1+; empty before). */
  ownedPartitions: TopicPartitions[]
  /** The generation its owned partitions come from; -1 when it did not say (v0-1, or a new member). */
  generationId: number
}

/**
 * Kafka's two rebalance protocols: eager members give up every partition before rejoining;
 * cooperative members keep what stays theirs and give up only what moves, then rejoin once more.
 */
export type RebalanceProtocol = 'eager' | 'cooperative'

export interface PartitionAssignor {
  /** The protocol name members vote with in JoinGroup ("range", "cooperative-sticky"). */
  readonly name: string
  /** The most it supports: a cooperative assignor works eagerly too (rebalanceProtocolOf). */
  readonly rebalanceProtocol: RebalanceProtocol
  /**
   * Bytes the member adds to its subscription's UserData for this assignor (null for none).
   * `generationId` is the member's current generation, -1 before it has one.
   */
  subscriptionUserData(generationId: number): Buffer | null
  /**
   * Each member's partitions, by member id; every member is present, maybe with nothing.
   * `partitionCounts` holds each subscribed topic that exists; others are left out.
   */
  assign(members: readonly MemberSubscription[], partitionCounts: ReadonlyMap<string, number>): Map<string, TopicPartitions[]>
}

/** Map key for a topic partition inside an assignor. */
export function partitionId(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}

/** Groups (topic, partition) pairs into TopicPartitions, topics and partitions sorted. */
export function groupByTopic(pairs: Iterable<{topic: string; partition: number}>): TopicPartitions[] {
  const byTopic = new Map<string, number[]>()
  for (const {topic, partition} of pairs) {
    let list = byTopic.get(topic)
    if (!list) byTopic.set(topic, (list = []))
    list.push(partition)
  }
  return [...byTopic.keys()].sort().map((topic) => ({topic, partitions: byTopic.get(topic)!.sort((a, b) => a - b)}))
}

/**
 * Java's member order (MemberInfo.compareTo): static members first, by instance id; then dynamic
 * members by member id. Every assignor that walks members in order uses it, so ties break alike.
 */
export function compareMembers(a: Pick<MemberSubscription, 'memberId' | 'groupInstanceId'>,
  b: Pick<MemberSubscription, 'memberId' | 'groupInstanceId'>): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareStrings(a.groupInstanceId, b.groupInstanceId)
  if (a.groupInstanceId !== null) return -1
  if (b.groupInstanceId !== null) return 1
  return compareStrings(a.memberId, b.memberId)
}

/** Java's String.compareTo for the ASCII ids clients make (UTF-16 code unit order, as JS compares). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
