/**
 * A group as its GroupMetadata record holds it (Kafka's GroupMetadataManager.groupMetadataValue and
 * loadGroup), and the error a failed write answers with.
 *
 * Written when a generation completes (with the leader's assignment) and when the group becomes
 * Empty. Read back at start-up: a group with members comes back Stable with its generation, leader,
 * protocol and assignments, each member supporting just the chosen protocol (with the subscription
 * it joined with) and on a fresh session, so members that do not heartbeat are removed as usual.
 */
import type {GroupMetadataValue} from '../../protocol/index.js'
import {ClassicGroup} from './classic-group.js'
import {groupMetadataErrorOf} from './group-log-writer.js'
import {GroupMember} from './group-member.js'
import {GroupState} from './group-states.js'

/** The record of `group`, members with the assignments in `assignments` (none for a member left out). */
export function metadataValue(group: ClassicGroup, assignments: ReadonlyMap<string, Buffer>): GroupMetadataValue {
  const protocol = group.protocolName
  return {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol,
    leader: group.leaderId,
    currentStateTimestamp: group.stateTimestamp,
    members: group.allMembers().map(member => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      rebalanceTimeout: member.rebalanceTimeoutMs,
      sessionTimeout: member.sessionTimeoutMs,
      subscription: protocol === null ? Buffer.alloc(0) : member.metadataFor(protocol),
      assignment: assignments.get(member.memberId) ?? Buffer.alloc(0),
    })),
  }
}

/** The group a record describes: Stable with its members, or Empty without any. */
export function restoredGroup(groupId: string, value: GroupMetadataValue, now: number): ClassicGroup {
  const group = new ClassicGroup(groupId, value.currentStateTimestamp >= 0 ? value.currentStateTimestamp : now)
  group.generationId = value.generation
  group.protocolType = value.protocolType === '' ? null : value.protocolType
  group.protocolName = value.protocol
  const protocolName = value.protocol ?? ''
  for (const record of value.members) {
    const member = new GroupMember(
      {memberId: record.memberId, groupInstanceId: record.groupInstanceId, clientId: record.clientId, clientHost: record.clientHost},
      {rebalanceTimeoutMs: record.rebalanceTimeout >= 0 ? record.rebalanceTimeout : record.sessionTimeout, sessionTimeoutMs: record.sessionTimeout},
      [{name: protocolName, metadata: Buffer.from(record.subscription)}])
    member.assignment = Buffer.from(record.assignment)
    group.add(member, value.protocolType)
  }
  group.leaderId = value.members.some(m => m.memberId === value.leader) ? value.leader : group.leaderId
  // Set, not transitioned: a restored group resumes the state its record was written in, which
  // Empty -> Stable is not a move of the protocol.
  if (group.size > 0) group.state = GroupState.Stable
  group.subscribedTopics = group.computeSubscribedTopics()
  return group
}

