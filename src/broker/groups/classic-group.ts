/**
 * One classic group's data (Kafka's GroupMetadata): state, generation, protocol, leader, members
 * (and static members by instance id), members that were given an id and must rejoin with it
 * (pending), and members that have not sent their SyncGroup yet. The rules that move a group
 * between states live in rebalance.ts; this class keeps the bookkeeping consistent.
 */
import {CONSUMER_PROTOCOL_TYPE, decodeSubscription} from '../../protocol/index.js'
import type {GroupStateName} from './group-membership.js'
import type {GroupMember, JoinedMember} from './group-member.js'
import {checkTransition, GroupState} from './group-states.js'
import {TimerSlot} from './group-timers.js'
import {selectProtocol} from './protocol-selection.js'

export class ClassicGroup {
  state: GroupStateName = GroupState.Empty
  /** When the group last changed state (ms since the epoch). */
  stateTimestamp: number
  generationId = 0
  protocolType: string | null = null
  protocolName: string | null = null
  leaderId: string | null = null
  /** Topics the members subscribed to in the current generation; null when unknown or not a consumer group. */
  subscribedTopics: ReadonlySet<string> | null = null
  /** Set when a member joins during the first rebalance: the initial delay is extended once more. */
  newMemberAdded = false
  /** The join phase's timer: the initial delay or the rebalance timeout. */
  readonly joinTimer = new TimerSlot()
  /** True while the initial rebalance delay runs: the join phase does not end early then. */
  initialDelay = false
  /** The sync phase's timer: members that have not sent SyncGroup by then are removed. */
  readonly syncTimer = new TimerSlot()
  private readonly members = new Map<string, GroupMember>()
  private readonly staticMembers = new Map<string, string>()
  /** Member ids handed out with MEMBER_ID_REQUIRED, each with its expiry. */
  private readonly pending = new Map<string, TimerSlot>()
  private readonly pendingSync = new Set<string>()

  constructor(readonly groupId: string, now: number) {
    this.stateTimestamp = now
  }

  is(state: GroupStateName): boolean {
    return this.state === state
  }

  transitionTo(state: GroupStateName, now: number): void {
    checkTransition(this.groupId, this.state, state)
    this.state = state
    this.stateTimestamp = now
  }

  get size(): number {
    return this.members.size
  }

  allMembers(): GroupMember[] {
    return [...this.members.values()]
  }

  has(memberId: string): boolean {
    return this.members.has(memberId)
  }

  get(memberId: string): GroupMember | undefined {
    return this.members.get(memberId)
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId
  }

  /** Adds a member that joined with `protocolType` (which a group without members takes as its own). */
  add(member: GroupMember, protocolType: string): void {
    if (this.members.size === 0) this.protocolType = protocolType === '' ? null : protocolType
    this.members.set(member.memberId, member)
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId)
    this.leaderId ??= member.memberId
    this.removePending(member.memberId)
  }

  /** Removes a member (its held answers are the caller's to give); a removed leader is replaced by any member. */
  remove(memberId: string): GroupMember | undefined {
    const member = this.members.get(memberId)
    if (member === undefined) return undefined
    this.members.delete(memberId)
    member.session.cancel()
    this.pendingSync.delete(memberId)
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId)
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null
    return member
  }

  /** The member id registered for a static instance id. */
  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId)
  }

  /** True when `groupInstanceId` is registered under another member id: `memberId` was replaced. */
  isStaticMemberFenced(groupInstanceId: string | null, memberId: string): boolean {
    if (groupInstanceId === null) return false
    const current = this.staticMembers.get(groupInstanceId)
    return current !== undefined && current !== memberId
  }

  /** Moves a static member to a new member id (its old id is fenced from now on). */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): GroupMember {
    const member = this.members.get(oldMemberId)
    if (member === undefined) throw new Error(`group ${this.groupId} has no member ${oldMemberId} for instance ${groupInstanceId}`)
    this.members.delete(oldMemberId)
    member.memberId = newMemberId
    this.members.set(newMemberId, member)
    this.staticMembers.set(groupInstanceId, newMemberId)
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId
    if (this.pendingSync.delete(oldMemberId)) this.pendingSync.add(newMemberId)
    return member
  }

  addPending(memberId: string, expiry: TimerSlot): void {
    this.pending.set(memberId, expiry)
  }

  isPending(memberId: string): boolean {
    return this.pending.has(memberId)
  }

  removePending(memberId: string): boolean {
    const expiry = this.pending.get(memberId)
    expiry?.cancel()
    return this.pending.delete(memberId)
  }


  /** Members that joined during this rebalance and wait for its end. */
  get numAwaitingJoin(): number {
    return this.allMembers().filter(m => m.isAwaitingJoin).length
  }

  /** Every known member rejoined and no member given an id is still expected. */
  get hasAllMembersJoined(): boolean {
    return this.numAwaitingJoin === this.members.size && this.pending.size === 0
  }

  notYetRejoined(): GroupMember[] {
    return this.allMembers().filter(m => !m.isAwaitingJoin)
  }

  /** The longest rebalance timeout of the members: how long the join and sync phases may take. */
  get rebalanceTimeoutMs(): number {
    return Math.max(0, ...this.allMembers().map(m => m.rebalanceTimeoutMs))
  }

  /** Keeps the leader when it rejoined, else makes any rejoined member leader; false when none rejoined. */
  electJoinedLeader(): boolean {
    if (this.leaderId === null) return false
    if (this.members.get(this.leaderId)?.isAwaitingJoin === true) return true
    const joined = this.allMembers().find(m => m.isAwaitingJoin)
    if (joined === undefined) return false
    this.leaderId = joined.memberId
    return true
  }

  /** Starts the next generation: CompletingRebalance with the chosen protocol, or Empty without members. */
  initNextGeneration(now: number): void {
    this.generationId += 1
    this.protocolName = this.members.size === 0 ? null : selectProtocol(this.allMembers()) ?? null
    this.subscribedTopics = this.computeSubscribedTopics()
    this.transitionTo(this.members.size === 0 ? GroupState.Empty : GroupState.CompletingRebalance, now)
    this.pendingSync.clear()
  }

  /** The members (with their metadata for the chosen protocol) that the leader assigns to. */
  currentMemberMetadata(): JoinedMember[] {
    const protocol = this.protocolName ?? ''
    return this.allMembers().map(m => ({memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadataFor(protocol)}))
  }

  addPendingSync(memberId: string): void {
    this.pendingSync.add(memberId)
  }

  removePendingSync(memberId: string): void {
    this.pendingSync.delete(memberId)
  }

  pendingSyncMembers(): string[] {
    return [...this.pendingSync]
  }

  /** Topics named in the members' consumer subscriptions; null when not a consumer group or one does not decode. */
  computeSubscribedTopics(): ReadonlySet<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || this.protocolName === null || this.members.size === 0) return null
    const topics = new Set<string>()
    try {
      for (const member of this.members.values()) {
        for (const topic of decodeSubscription(member.metadataFor(this.protocolName)).value.topics) topics.add(topic)
      }
    } catch {
      return null
    }
    return topics
  }

  /** Stops every timer of the group and its members. */
  cancelTimers(): void {
    this.joinTimer.cancel()
    this.syncTimer.cancel()
    for (const expiry of this.pending.values()) expiry.cancel()
    this.pending.clear()
    for (const member of this.members.values()) member.session.cancel()
  }
}
