/**
 * SyncGroup inside a group (Kafka's doSyncGroup). In CompletingRebalance every member's SyncGroup
 * is held until the leader's arrives with the assignments; the group's record is then written and,
 * once the write is flushed, every held SyncGroup is answered with its member's assignment and the
 * group is Stable. In Stable a member just gets its assignment again. A failed write answers the
 * held SyncGroups with its error (as Kafka maps it) and starts a new rebalance.
 */
import {ErrorCode} from '../../protocol/index.js'
import type {ClassicGroup} from './classic-group.js'
import type {GroupMember, SyncResult} from './group-member.js'
import {groupMetadataErrorOf} from './group-log-writer.js'
import {metadataValue} from './group-persistence.js'
import {GroupState} from './group-states.js'
import type {GroupStore} from './group-store.js'
import {syncError, type Rebalancer} from './rebalance.js'

/** A SyncGroup as the coordinator sees it, whatever its version. */
export interface SyncRequest {
  groupId: string
  generationId: number
  memberId: string
  groupInstanceId: string | null
  /** v5+: must be the group's when given. */
  protocolType: string | null
  protocolName: string | null
  assignments: {memberId: string; assignment: Buffer}[]
}

export function syncGroup(r: Rebalancer, store: GroupStore, group: ClassicGroup, request: SyncRequest): Promise<SyncResult> {
  const refusal = syncRefusal(group, request)
  if (refusal !== ErrorCode.NONE) return Promise.resolve(syncError(refusal))
  const member = group.get(request.memberId)!
  if (group.is(GroupState.Stable)) {
    group.removePendingSync(member.memberId)
    r.heartbeat(group, member)
    return Promise.resolve({errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName,
      assignment: member.assignment})
  }
  const answer = new Promise<SyncResult>(resolve => {
    // A SyncGroup still held for this member is from a request the client has given up on.
    member.answerSync(syncError(ErrorCode.REBALANCE_IN_PROGRESS))
    member.awaitSync(resolve)
  })
  group.removePendingSync(member.memberId)
  if (group.isLeader(member.memberId)) void storeAssignment(r, store, group, member, request.assignments)
  return answer
}

/** The error a SyncGroup gets before it can be held or answered, NONE when it may go on. */
function syncRefusal(group: ClassicGroup, request: SyncRequest): number {
  if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE
  if (group.isStaticMemberFenced(request.groupInstanceId, request.memberId)) return ErrorCode.FENCED_INSTANCE_ID
  if (!group.has(request.memberId)) return ErrorCode.UNKNOWN_MEMBER_ID
  if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION
  if (request.protocolType !== null && request.protocolType !== group.protocolType) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL
  if (request.protocolName !== null && request.protocolName !== group.protocolName) return ErrorCode.INCONSISTENT_GROUP_PROTOCOL
  if (group.is(GroupState.Empty)) return ErrorCode.UNKNOWN_MEMBER_ID
  if (group.is(GroupState.PreparingRebalance)) return ErrorCode.REBALANCE_IN_PROGRESS
  return ErrorCode.NONE
}

/** Writes the generation's record with the leader's assignments, then hands them out (or the write's error). */
async function storeAssignment(r: Rebalancer, store: GroupStore, group: ClassicGroup, leader: GroupMember,
  given: SyncRequest['assignments']): Promise<void> {
  const generationId = group.generationId
  const assignments = new Map<string, Buffer>()
  for (const {memberId, assignment} of given) if (group.has(memberId)) assignments.set(memberId, assignment)
  let errorCode: number = ErrorCode.NONE
  try {
    await store.storeGroupMetadata(group.groupId, metadataValue(group, assignments))
  } catch (error) {
    errorCode = groupMetadataErrorOf(error)
    r.log(`writing the assignment of group ${group.groupId} generation ${generationId} failed: ${(error as Error).message}`)
  }
  // Another member may have joined (or the group gone, or the coordinator closed and answered every
  // held SyncGroup) while the record was written: then nothing is handed out.
  if (r.closed || !group.is(GroupState.CompletingRebalance) || group.generationId !== generationId) return
  if (errorCode !== ErrorCode.NONE) {
    r.resetAssignments(group, errorCode)
    r.maybePrepareRebalance(group, `storing the assignment from leader ${leader.memberId} failed`)
  } else {
    r.setAssignments(group, assignments)
  }
}
