/**
 * The classic consumer-group coordinator: every group this broker coordinates (all of them: one
 * node), looked up by id, with the checks every group request makes first (the coordinator is
 * open, the group id is valid, the group exists) before the per-group logic of join-group.ts,
 * sync-group.ts, leave-group.ts and rebalance.ts. Implements GroupMembership for the offsets side.
 *
 * After close() (the daemon shutting down) every held JoinGroup and SyncGroup is answered with
 * COORDINATOR_NOT_AVAILABLE, on which clients look the coordinator up again and retry, and so is
 * every later request; no timer is left running.
 */
import {ErrorCode, type GroupMetadataValue} from '../../protocol/index.js'
import type {GroupSettings} from '../broker-settings.js'
import {ClassicGroup} from './classic-group.js'
import {deleteGroup} from './group-deletion.js'
import type {JoinResult, SyncResult} from './group-member.js'
import type {GroupMembership, GroupSnapshot} from './group-membership.js'
import {restoredGroup} from './group-persistence.js'
import {GroupState} from './group-states.js'
import type {GroupStore} from './group-store.js'
import {listingOf, snapshotOf, summaryOf, type GroupListing, type GroupSummary} from './group-summary.js'
import {systemScheduler, type GroupScheduler} from './group-timers.js'
import {joinError, Rebalancer, syncError} from './rebalance.js'
import {joinGroup} from './join-group.js'
import type {JoinRequest} from './join-request.js'
import {leaveGroup, type LeaveResult, type LeavingMember} from './leave-group.js'
import {syncGroup, type SyncRequest} from './sync-group.js'

export interface GroupCoordinatorOptions {
  store: GroupStore
  settings: GroupSettings
  log: (line: string) => void
  /** The clock (tests move it). */
  now?: () => number
  /** Timers (tests run them by hand); default the system's, on `now`. */
  scheduler?: GroupScheduler
}

export class GroupCoordinator implements GroupMembership {
  private readonly groups = new Map<string, ClassicGroup>()
  private readonly scheduler: GroupScheduler
  private readonly rebalancer: Rebalancer
  private closed = false

  constructor(private readonly options: GroupCoordinatorOptions) {
    this.scheduler = options.scheduler ?? systemScheduler(options.now)
    this.rebalancer = new Rebalancer({scheduler: this.scheduler, settings: options.settings, store: options.store, log: options.log})
  }

  /** At start-up: the groups as __consumer_offsets holds them, and the groups that only have offsets. */
  restore(groups: ReadonlyMap<string, GroupMetadataValue>, offsetGroups: Iterable<string>): void {
    const now = this.scheduler.now()
    for (const [groupId, value] of groups) {
      const group = restoredGroup(groupId, value, now)
      this.groups.set(groupId, group)
      // Members come back on a fresh session: they must heartbeat (or rejoin) to stay.
      for (const member of group.allMembers()) this.rebalancer.heartbeat(group, member)
      if (group.size > this.options.settings.maxSize) {
        this.rebalancer.prepareRebalance(group, `it has more members than group.max.size ${this.options.settings.maxSize}`)
      }
    }
    for (const groupId of offsetGroups) if (!this.groups.has(groupId)) this.groups.set(groupId, new ClassicGroup(groupId, now))
  }

  /** Answers every held request and stops every timer; safe to call more than once. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.rebalancer.close()
    for (const group of this.groups.values()) {
      group.cancelTimers()
      for (const member of group.allMembers()) this.rebalancer.release(member, ErrorCode.COORDINATOR_NOT_AVAILABLE)
    }
  }

  joinGroup(request: JoinRequest): Promise<JoinResult> {
    const refusal = this.refusal(request.groupId)
    if (refusal !== ErrorCode.NONE) return Promise.resolve(joinError(request.memberId, refusal))
    const {minSessionTimeoutMs, maxSessionTimeoutMs, maxSize} = this.options.settings
    if (request.sessionTimeoutMs < minSessionTimeoutMs || request.sessionTimeoutMs > maxSessionTimeoutMs) {
      return Promise.resolve(joinError(request.memberId, ErrorCode.INVALID_SESSION_TIMEOUT))
    }
    // A group is created by its first member's join; a member id for a group nobody knows is stale.
    const group = request.memberId === '' ? this.getOrCreate(request.groupId) : this.groups.get(request.groupId)
    if (group === undefined) return Promise.resolve(joinError(request.memberId, ErrorCode.UNKNOWN_MEMBER_ID))
    return joinGroup({rebalancer: this.rebalancer, store: this.options.store, maxSize}, group, request)
  }

  syncGroup(request: SyncRequest): Promise<SyncResult> {
    const refusal = this.refusal(request.groupId)
    if (refusal !== ErrorCode.NONE) return Promise.resolve(syncError(refusal))
    const group = this.groups.get(request.groupId)
    if (group === undefined) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID))
    return syncGroup(this.rebalancer, this.options.store, group, request)
  }

  /** Heartbeat's error code: 0 while the member is in the current generation and no rebalance runs. */
  heartbeat(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null): number {
    const refusal = this.refusal(groupId)
    if (refusal !== ErrorCode.NONE) return refusal
    const group = this.groups.get(groupId)
    if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    if (group.isStaticMemberFenced(groupInstanceId, memberId)) return ErrorCode.FENCED_INSTANCE_ID
    const member = group.get(memberId)
    if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
    if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION
    if (group.is(GroupState.Empty)) return ErrorCode.UNKNOWN_MEMBER_ID
    this.rebalancer.heartbeat(group, member)
    return group.is(GroupState.PreparingRebalance) ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE
  }

  leaveGroup(groupId: string, members: readonly LeavingMember[]): LeaveResult {
    const refusal = this.refusal(groupId)
    if (refusal !== ErrorCode.NONE) return {errorCode: refusal, members: []}
    return leaveGroup(this.rebalancer, this.groups.get(groupId), members)
  }

  describeGroup(groupId: string): GroupSummary {
    return summaryOf(groupId, this.groups.get(groupId))
  }

  listGroups(states: readonly string[], types: readonly string[]): GroupListing[] {
    return listingOf(this.groups.values(), states, types)
  }

  /** Deletes Empty groups (their metadata and offsets); per group its error code. */
  async deleteGroups(groupIds: readonly string[]): Promise<{groupId: string; errorCode: number}[]> {
    return Promise.all(groupIds.map(async groupId => {
      const refusal = this.refusal(groupId)
      if (refusal !== ErrorCode.NONE) return {groupId, errorCode: refusal}
      return {groupId, errorCode: await deleteGroup(this.groups, this.options.store, groupId, this.scheduler.now())}
    }))
  }

  offsetCommitError(groupId: string, memberId: string, generationId: number, groupInstanceId: string | null): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    let group = this.groups.get(groupId)
    if (group === undefined) {
      // Not managed by the coordinator (admin tools, assign()): allowed, and the group exists from now on.
      if (generationId >= 0) return ErrorCode.ILLEGAL_GENERATION
      group = this.getOrCreate(groupId)
    }
    if (group.is(GroupState.Dead)) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    // An Empty group only keeps offsets: a commit outside any generation is allowed whatever member
    // or instance id it names (librdkafka sends its group.instance.id with assign()-mode commits).
    if (generationId < 0 && group.is(GroupState.Empty)) return ErrorCode.NONE
    if (generationId >= 0 || memberId !== '' || groupInstanceId !== null) {
      const memberError = this.currentMemberError(group, memberId, groupInstanceId)
      if (memberError !== ErrorCode.NONE) return memberError
      if (generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION
    } else if (!group.is(GroupState.Empty)) {
      return ErrorCode.UNKNOWN_MEMBER_ID
    }
    if (group.is(GroupState.CompletingRebalance)) return ErrorCode.REBALANCE_IN_PROGRESS
    // A commit shows the member is alive, like a heartbeat.
    const member = group.get(memberId)
    if (member !== undefined) this.rebalancer.heartbeat(group, member)
    return ErrorCode.NONE
  }

  emptyGroupIds(): string[] {
    return [...this.groups.values()].filter(group => group.is(GroupState.Empty)).map(group => group.groupId)
  }

  snapshot(groupId: string): GroupSnapshot | undefined {
    const group = this.groups.get(groupId)
    return group === undefined || group.is(GroupState.Dead) ? undefined : snapshotOf(group)
  }

  async offsetsGone(groupId: string): Promise<void> {
    const group = this.groups.get(groupId)
    if (this.closed || group === undefined || !group.is(GroupState.Empty) || this.options.store.hasOffsets(groupId)) return
    const errorCode = await deleteGroup(this.groups, this.options.store, groupId, this.scheduler.now())
    if (errorCode === ErrorCode.NONE) this.options.log(`removed group ${groupId}: it is empty and has no committed offsets`)
  }

  /** The error every request about `groupId` gets before its group is looked at, NONE when it may go on. */
  private refusal(groupId: string): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE
    if (groupId === '') return ErrorCode.INVALID_GROUP_ID
    return ErrorCode.NONE
  }

  /** FENCED_INSTANCE_ID for a replaced static member, UNKNOWN_MEMBER_ID for one the group does not have. */
  private currentMemberError(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = group.staticMemberId(groupInstanceId)
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID
      if (current !== memberId) return ErrorCode.FENCED_INSTANCE_ID
    }
    return group.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID
  }

  private getOrCreate(groupId: string): ClassicGroup {
    let group = this.groups.get(groupId)
    if (group === undefined) {
      group = new ClassicGroup(groupId, this.scheduler.now())
      this.groups.set(groupId, group)
    }
    return group
  }
}
