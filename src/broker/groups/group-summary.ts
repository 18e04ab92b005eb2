/**
 * How a group looks from outside: DescribeGroups' summary, ListGroups' listing, and the snapshot the
 * offsets side reads. As in Kafka's GroupMetadata.summary, the protocol and the members' metadata
 * and assignments are shown only while the group is Stable (before that they are not settled);
 * a group the coordinator does not know is "Dead" without members.
 */
import type {ClassicGroup} from './classic-group.js'
import type {GroupSnapshot, GroupStateName} from './group-membership.js'
import {GroupState} from './group-states.js'

export interface MemberSummary {
  memberId: string
  groupInstanceId: string | null
  clientId: string
  clientHost: string
  memberMetadata: Buffer
  memberAssignment: Buffer
}

export interface GroupSummary {
  groupId: string
  groupState: GroupStateName
  protocolType: string
  /** The chosen protocol while Stable, else "". */
  protocolData: string
  members: MemberSummary[]
}

export interface GroupListing {
  groupId: string
  protocolType: string
  groupState: GroupStateName
}

/** Every group the classic coordinator runs is of this type (ListGroups v5, KIP-848). */
export const CLASSIC_GROUP_TYPE = 'classic'

const NOTHING = Buffer.alloc(0)

export function summaryOf(groupId: string, group: ClassicGroup | undefined): GroupSummary {
  if (group === undefined) return {groupId, groupState: GroupState.Dead, protocolType: '', protocolData: '', members: []}
  const stable = group.is(GroupState.Stable)
  const protocol = stable ? group.protocolName ?? '' : ''
  return {
    groupId,
    groupState: group.state,
    protocolType: group.protocolType ?? '',
    protocolData: protocol,
    members: group.allMembers().map(member => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      memberMetadata: stable ? member.metadataFor(protocol) : NOTHING,
      memberAssignment: stable ? member.assignment : NOTHING,
    })),
  }
}

/**
 * The groups ListGroups names: `states` and `types` filter when not empty (compared without case,
 * as Kafka does); every group here is "classic".
 */
export function listingOf(groups: Iterable<ClassicGroup>, states: readonly string[], types: readonly string[]): GroupListing[] {
  const wantedStates = new Set(states.map(s => s.toLowerCase()))
  if (types.length > 0 && !types.some(t => t.toLowerCase() === CLASSIC_GROUP_TYPE)) return []
  const listing: GroupListing[] = []
  for (const group of groups) {
    if (group.is(GroupState.Dead)) continue
    if (wantedStates.size > 0 && !wantedStates.has(group.state.toLowerCase())) continue
    listing.push({groupId: group.groupId, protocolType: group.protocolType ?? '', groupState: group.state})
  }
  return listing
}

export function snapshotOf(group: ClassicGroup): GroupSnapshot {
  return {
    state: group.state,
    protocolType: group.protocolType,
    stateTimestamp: group.stateTimestamp,
    subscribedTopics: group.size === 0 ? null : group.subscribedTopics,
  }
}
