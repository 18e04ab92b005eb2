/**
 * The rebalance protocol's moves (Kafka's GroupCoordinator prepareRebalance / onCompleteJoin /
 * onExpireHeartbeat / pending-sync expiry): starting a rebalance, ending the join phase, member
 * sessions, removing members, and answering the held JoinGroups and SyncGroups. Every move that
 * changes a group's state goes through here, so the state machine is in one place.
 *
 * Join phase: a group that was Empty waits group.initial.rebalance.delay.ms, extended while new
 * members keep arriving, up to the rebalance timeout; otherwise it ends as soon as every known
 * member rejoined (and no member given an id is still expected), or after the longest rebalance
 * timeout, when members that did not rejoin are removed (static members are kept: they may come back).
 * Sync phase: members that have not sent SyncGroup within the rebalance timeout are removed.
 */
import {ErrorCode} from '../../protocol/index.js'
import type {GroupSettings} from '../broker-settings.js'
import type {ClassicGroup} from './classic-group.js'
import {NO_ASSIGNMENT, type GroupMember, type JoinResult, type SyncResult} from './group-member.js'
import {GroupState} from './group-states.js'
import type {GroupStore} from './group-store.js'
import {TimerSlot, type GroupScheduler} from './group-timers.js'
import {metadataValue} from './group-persistence.js'

/**
 * A new member's join may be held this long before the member is dropped (Kafka's
 * NewMemberJoinTimeoutMs): a client that gave up on its JoinGroup does not stay a member forever.
 */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000

export interface RebalanceContext {
  readonly scheduler: GroupScheduler
  readonly settings: GroupSettings
  readonly store: GroupStore
  readonly log: (line: string) => void
}

export function joinError(memberId: string, errorCode: number): JoinResult {
  return {errorCode, memberId, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, members: []}
}

export function syncError(errorCode: number): SyncResult {
  return {errorCode, protocolType: null, protocolName: null, assignment: NO_ASSIGNMENT}
}

export class Rebalancer {
  private closedFlag = false

  constructor(private readonly ctx: RebalanceContext) {}

  /**
   * Once closed (the coordinator shutting down), no move starts a timer or changes a group: a write
   * that settles afterwards (a leader's assignment, a static member's takeover) changes nothing.
   */
  close(): void {
    this.closedFlag = true
  }

  get closed(): boolean {
    return this.closedFlag
  }

  now(): number {
    return this.ctx.scheduler.now()
  }

  log(line: string): void {
    this.ctx.log(line)
  }

  /** Restarts the member's session: it is removed unless it is heard from within `timeoutMs`. */
  heartbeat(group: ClassicGroup, member: GroupMember, timeoutMs = member.sessionTimeoutMs): void {
    if (this.closedFlag) return
    member.session.set(this.ctx.scheduler, timeoutMs, () => this.onSessionExpired(group, member))
  }

  /** Registers an id handed out with MEMBER_ID_REQUIRED; forgotten unless the member rejoins within its session. */
  addPendingMember(group: ClassicGroup, memberId: string, sessionTimeoutMs: number): void {
    const expiry = new TimerSlot()
    group.addPending(memberId, expiry)
    expiry.set(this.ctx.scheduler, sessionTimeoutMs, () => {
      if (!group.removePending(memberId)) return
      this.ctx.log(`pending member ${memberId} of group ${group.groupId} did not rejoin within ${sessionTimeoutMs} ms`)
      this.checkJoinComplete(group)
    })
  }

  /** A member joins for the first time (its JoinGroup is held until the join phase ends). */
  addMemberAndRebalance(group: ClassicGroup, member: GroupMember, protocolType: string,
    answer: (result: JoinResult) => void, reason: string): void {
    member.isNew = true
    if (group.is(GroupState.PreparingRebalance) && group.generationId === 0) group.newMemberAdded = true
    member.awaitJoin(answer)
    group.add(member, protocolType)
    this.heartbeat(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS)
    this.maybePrepareRebalance(group, reason)
  }

  /** A known member rejoins (its JoinGroup is held until the join phase ends). */
  updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, answer: (result: JoinResult) => void, reason: string): void {
    // A join still held for this member is from a request the client has given up on.
    member.answerJoin(joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS))
    member.awaitJoin(answer)
    this.maybePrepareRebalance(group, reason)
  }

  /** Starts a rebalance unless one is under way; during one, ends the join phase if everyone is in. */
  maybePrepareRebalance(group: ClassicGroup, reason: string): void {
    if (this.closedFlag) return
    if (group.is(GroupState.PreparingRebalance)) this.checkJoinComplete(group)
    else if (!group.is(GroupState.Dead)) this.prepareRebalance(group, reason)
  }

  prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is(GroupState.CompletingRebalance)) this.resetAssignments(group, ErrorCode.REBALANCE_IN_PROGRESS)
    group.syncTimer.cancel()
    const wasEmpty = group.is(GroupState.Empty)
    group.transitionTo(GroupState.PreparingRebalance, this.now())
    this.ctx.log(`preparing to rebalance group ${group.groupId} with old generation ${group.generationId} (${reason})`)
    if (wasEmpty) {
      const delayMs = this.ctx.settings.initialRebalanceDelayMs
      this.scheduleInitialJoin(group, delayMs, Math.max(group.rebalanceTimeoutMs - delayMs, 0))
    } else {
      this.scheduleJoinTimeout(group)
      this.checkJoinComplete(group)
    }
  }

  /** Ends the join phase when every member is in, unless the initial delay still runs. */
  checkJoinComplete(group: ClassicGroup): void {
    if (group.is(GroupState.PreparingRebalance) && !group.initialDelay && group.hasAllMembersJoined) this.completeJoin(group)
  }

  /** Removes a member (leave, session expiry, fenced) and rebalances the others. */
  removeMember(group: ClassicGroup, member: GroupMember, reason: string): void {
    this.release(member, ErrorCode.UNKNOWN_MEMBER_ID)
    group.remove(member.memberId)
    this.ctx.log(`removed member ${member.memberId} from group ${group.groupId} (${reason})`)
    if (group.is(GroupState.Stable) || group.is(GroupState.CompletingRebalance)) this.maybePrepareRebalance(group, reason)
    else if (group.is(GroupState.PreparingRebalance)) this.checkJoinComplete(group)
  }

  /** Answers the member's held JoinGroup and SyncGroup, if any, with `errorCode`. */
  release(member: GroupMember, errorCode: number): void {
    member.answerJoin(joinError(member.memberId, errorCode))
    member.answerSync(syncError(errorCode))
  }

  /** The JoinGroup answer of a member of the current generation. */
  joinResultFor(group: ClassicGroup, member: GroupMember, leader = group.leaderId ?? '', skipAssignment = false): JoinResult {
    return {
      errorCode: ErrorCode.NONE, memberId: member.memberId, generationId: group.generationId,
      protocolType: group.protocolType, protocolName: group.protocolName, leader, skipAssignment,
      members: group.isLeader(member.memberId) && leader === member.memberId ? group.currentMemberMetadata() : [],
    }
  }

  /** The leader's assignment: every member gets its own (those the leader left out get none) and the group is Stable. */
  setAssignments(group: ClassicGroup, assignments: ReadonlyMap<string, Buffer>): void {
    for (const member of group.allMembers()) {
      member.assignment = assignments.get(member.memberId) ?? NO_ASSIGNMENT
      const answered = member.answerSync({errorCode: ErrorCode.NONE, protocolType: group.protocolType,
        protocolName: group.protocolName, assignment: member.assignment})
      if (answered) this.heartbeat(group, member)
    }
    group.transitionTo(GroupState.Stable, this.now())
  }

  /** Clears every assignment and answers the held SyncGroups with `errorCode`. */
  resetAssignments(group: ClassicGroup, errorCode: number): void {
    for (const member of group.allMembers()) {
      member.assignment = NO_ASSIGNMENT
      member.answerSync(syncError(errorCode))
    }
  }

  private scheduleInitialJoin(group: ClassicGroup, delayMs: number, remainingMs: number): void {
    group.initialDelay = true
    group.joinTimer.set(this.ctx.scheduler, delayMs, () => {
      if (group.newMemberAdded && remainingMs !== 0) {
        group.newMemberAdded = false
        const next = Math.min(this.ctx.settings.initialRebalanceDelayMs, remainingMs)
        this.scheduleInitialJoin(group, next, Math.max(remainingMs - delayMs, 0))
      } else {
        this.completeJoin(group)
      }
    })
  }

  private scheduleJoinTimeout(group: ClassicGroup): void {
    group.joinTimer.set(this.ctx.scheduler, group.rebalanceTimeoutMs, () => this.completeJoin(group))
  }

  /** Ends the join phase: drops dynamic members that did not rejoin, starts the next generation, answers the joins. */
  private completeJoin(group: ClassicGroup): void {
    if (!group.is(GroupState.PreparingRebalance)) return
    group.joinTimer.cancel()
    group.initialDelay = false
    for (const member of group.notYetRejoined().filter(m => !m.isStatic)) {
      group.remove(member.memberId)
      this.ctx.log(`removed member ${member.memberId} from group ${group.groupId} (it did not rejoin in time)`)
    }
    if (!group.electJoinedLeader() && group.size > 0) {
      // Only static members that have not rejoined are left: wait for them or for their sessions to end.
      this.ctx.log(`group ${group.groupId} could not complete its rebalance because no member rejoined`)
      this.scheduleJoinTimeout(group)
      return
    }
    group.initNextGeneration(this.now())
    if (group.is(GroupState.Empty)) {
      this.ctx.log(`group ${group.groupId} with generation ${group.generationId} is now empty`)
      void this.storeQuietly(group)
      return
    }
    this.ctx.log(`stabilized group ${group.groupId} generation ${group.generationId} (protocol ${group.protocolName}) with ${group.size} members`)
    for (const member of group.allMembers()) {
      member.answerJoin(this.joinResultFor(group, member))
      this.heartbeat(group, member)
      member.isNew = false
      group.addPendingSync(member.memberId)
    }
    const generationId = group.generationId
    group.syncTimer.set(this.ctx.scheduler, group.rebalanceTimeoutMs, () => this.expirePendingSync(group, generationId))
  }

  private expirePendingSync(group: ClassicGroup, generationId: number): void {
    if (generationId !== group.generationId) return
    if (!group.is(GroupState.CompletingRebalance) && !group.is(GroupState.Stable)) return
    const missing = group.pendingSyncMembers()
    if (missing.length === 0) return
    this.ctx.log(`group ${group.groupId} removed members that sent no SyncGroup in time: ${missing.join(', ')}`)
    for (const memberId of missing) {
      const member = group.remove(memberId)
      if (member !== undefined) this.release(member, ErrorCode.UNKNOWN_MEMBER_ID)
    }
    this.maybePrepareRebalance(group, 'members did not send SyncGroup in time')
  }

  private onSessionExpired(group: ClassicGroup, member: GroupMember): void {
    if (group.get(member.memberId) !== member) return
    // A member held in a rebalance is waiting on the coordinator, not silent; the rebalance timeout covers it.
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return
    this.removeMember(group, member, `its session timed out${member.isNew ? ' while joining' : ''}`)
  }

  /** Writes the group's metadata when it became Empty; a failed write is logged (the next write replaces it). */
  private async storeQuietly(group: ClassicGroup): Promise<void> {
    try {
      await this.ctx.store.storeGroupMetadata(group.groupId, metadataValue(group, new Map()))
    } catch (error) {
      this.ctx.log(`writing the metadata of empty group ${group.groupId} failed: ${(error as Error).message}`)
    }
  }
}
