/**
 * What the offsets side of the group coordinator needs from the membership side: the commit check,
 * a group's state for expiry and OffsetDelete, and the removal of a group whose offsets are all gone.
 * Implemented by GroupCoordinator (group-coordinator.ts); used by OffsetStore and its handlers.
 */

/** The classic protocol's group states, as DescribeGroups and ListGroups name them. */
export type GroupStateName = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead'

/** One group as the offsets side sees it. */
export interface GroupSnapshot {
  readonly state: GroupStateName
  /** "consumer" for Kafka consumers, another name for other protocols, null when the group never had members. */
  readonly protocolType: string | null
  /** When the group last changed state (ms since the epoch): for an Empty group, since when it is empty. */
  readonly stateTimestamp: number
  /**
   * Topics the members subscribe to, read from their "consumer" subscriptions; null when the group
   * is not a consumer group with members (no subscription to read).
   */
  readonly subscribedTopics: ReadonlySet<string> | null
}

export interface GroupMembership {
  /**
   * The error code OffsetCommit answers for every partition when `memberId` of generation `generationId`
   * commits to `groupId` (protocol.md section 6), ErrorCode.NONE when the commit may go ahead. A commit
   * with generation -1 and an empty member id to an unknown group creates that group, Empty (admin
   * tools and consumers using assign() commit that way); an Empty group takes any commit of
   * generation -1, whatever member or instance id it names.
   */
  offsetCommitError(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null): number
  /** Ids of the groups in state Empty (offset expiry removes those left without offsets, as Kafka does). */
  emptyGroupIds(): string[]
  /** The group, or undefined when the coordinator does not know it (Dead). */
  snapshot(groupId: string): GroupSnapshot | undefined
  /**
   * Called when the last committed offset of `groupId` expired or was deleted: an Empty group without
   * offsets is removed (it becomes Dead) and its metadata tombstoned, as Kafka does.
   */
  offsetsGone(groupId: string): Promise<void>
}
