// A consumer group as the admin client reports it: DescribeGroups' answer with each member's
// assignment and subscription decoded from Kafka's consumer protocol (for protocol type "consumer").
import {
  CONSUMER_PROTOCOL_TYPE, decodeAssignment, decodeSubscription, type DescribedGroup, type DescribedGroupMember,
} from '../protocol/index.js'

export interface GroupListing {
  groupId: string
  /** Kafka's state name ("Stable", "Empty" …); "" from brokers before ListGroups v4. */
  state: string
  /** "consumer" for consumer groups, "" for groups that only hold offsets committed by tools. */
  protocolType: string
}

export interface TopicPartitions {
  topic: string
  partitions: number[]
}

export interface GroupMemberDescription {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  /** Decoded for protocol type "consumer" (empty otherwise, or while the group is not Stable). */
  assignment: TopicPartitions[]
  /** From the member's subscription, for protocol type "consumer" while the group is Stable. */
  subscribedTopics: string[]
}

export interface GroupDescription {
  groupId: string
  errorCode: number
  /** "Dead" for a group the coordinator does not know. */
  state: string
  protocolType: string
  /** The assignor chosen (consumer groups), "" while rebalancing. */
  protocol: string
  /** Node id of the group's coordinator. */
  coordinator: number
  /** Its advertised "host:port" ("" when the cluster's metadata does not list it). */
  coordinatorAddress: string
  members: GroupMemberDescription[]
}

export function describedGroup(group: DescribedGroup, coordinator: number, coordinatorAddress: string): GroupDescription {
  const consumer = group.protocolType === CONSUMER_PROTOCOL_TYPE
  return {
    groupId: group.groupId,
    errorCode: group.errorCode,
    state: group.groupState,
    protocolType: group.protocolType,
    protocol: group.protocolData,
    coordinator,
    coordinatorAddress,
    members: group.members.map((member) => describedMember(member, consumer)),
  }
}

function describedMember(member: DescribedGroupMember, consumer: boolean): GroupMemberDescription {
  return {
    memberId: member.memberId,
    groupInstanceId: member.groupInstanceId ?? null,
    clientId: member.clientId,
    clientHost: member.clientHost,
    assignment: consumer ? assignedPartitions(member.memberAssignment) : [],
    subscribedTopics: consumer ? subscribedTopics(member.memberMetadata) : [],
  }
}

/** A member's decoded assignment, topics and partitions sorted; bytes that are not an assignment read as none. */
export function assignedPartitions(bytes: Buffer): TopicPartitions[] {
  try {
    const merged = new Map<string, Set<number>>()
    for (const {topic, partitions} of decodeAssignment(bytes).value.assignedPartitions) {
      const set = merged.get(topic) ?? new Set<number>()
      for (const partition of partitions) set.add(partition)
      merged.set(topic, set)
    }
    return [...merged].sort(([a], [b]) => compareStrings(a, b)).map(([topic, set]) => ({topic, partitions: [...set].sort((a, b) => a - b)}))
  } catch {
    return []
  }
}

/** The topics of a member's subscription, sorted; no metadata (outside Stable) or bytes that are not one read as none. */
export function subscribedTopics(bytes: Buffer): string[] {
  if (bytes.length === 0) return []
  try {
    return [...new Set(decodeSubscription(bytes).value.topics)].sort(compareStrings)
  } catch {
    return []
  }
}

/** Code-unit order, as Java sorts strings (localeCompare would not). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
