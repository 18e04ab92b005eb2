// One member of a classic consumer group, as Kafka's consumer runs it (AbstractCoordinator): JoinGroup
// (with the MEMBER_ID_REQUIRED round of v4+), the leader's assignment, SyncGroup, Heartbeat and
// LeaveGroup, each sent to the group's coordinator (coordinator-lookup.ts retries NOT_COORDINATOR and
// its kin on a fresh lookup). JoinGroup and SyncGroup can be held by the coordinator for as long as
// the rebalance timeout, so they travel on a lane of their own; heartbeats have another, so that
// neither a held join nor a fetch's long poll ever delays them.
import {ApiKey, CONSUMER_PROTOCOL_TYPE, ErrorCode, errorInfo} from '../protocol/index.js'
import {rebalanceProtocolOf, type PartitionAssignor, type RebalanceProtocol, type TopicPartitions} from './assignors/index.js'
import type {Cluster} from './cluster.js'
import {CoordinatorLookup} from './coordinator-lookup.js'
import {ClosedError, KafkaProtocolError, UnsupportedVersionError} from './errors.js'
import {assignmentsAsLeader} from './group-leader.js'
import {decodeMemberAssignment, joinProtocols} from './group-subscription.js'
import {backoffMs, sleep} from './retry.js'

export interface GroupMemberOptions {
  groupId: string
  topics: string[]
  /** Offered in this order; the group uses the one most members put first. */
  assignors: PartitionAssignor[]
  sessionTimeoutMs: number
  /** How long the coordinator waits for members to rejoin (Java: max.poll.interval.ms). */
  rebalanceTimeoutMs: number
  /** Static membership (group.instance.id), or null. */
  groupInstanceId: string | null
}

/** What the member holds going into a join round, and what it does when its generation is reset. */
export interface JoinHooks {
  /** The partitions it holds now (cooperative members keep them while they rejoin). */
  owned(): readonly TopicPartitions[]
  /**
   * The coordinator reset the member's generation or member id mid-join (UNKNOWN_MEMBER_ID,
   * ILLEGAL_GENERATION): whatever it holds may already be someone else's, so it must be dropped as
   * lost, without a commit, before the member rejoins (Java's onJoinPrepare).
   */
  lost(): void
}

/** What a completed join round gave this member. */
export interface Generation {
  generationId: number
  memberId: string
  protocol: string
  leader: boolean
  assignment: TopicPartitions[]
}

/** Errors after which the member can only stop: its configuration or identity is refused. */
const FATAL_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.FENCED_INSTANCE_ID,
  ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
  ErrorCode.INVALID_SESSION_TIMEOUT,
  ErrorCode.GROUP_MAX_SIZE_REACHED,
  ErrorCode.INVALID_GROUP_ID,
  ErrorCode.GROUP_AUTHORIZATION_FAILED,
  ErrorCode.UNSUPPORTED_VERSION,
])

/** Extra time a held JoinGroup or SyncGroup may take beyond the rebalance timeout (Java adds 5 s). */
const JOIN_GRACE_MS = 5000
/** First version with GroupInstanceId, needed for static membership. */
const STATIC_JOIN_VERSION = 5

let nextMemberNumber = 1

export class GroupMember {
  memberId = ''
  generationId = -1
  protocol: string | null = null
  /** Decided once from the configured assignors, never from the group's pick (rebalanceProtocolOf). */
  readonly rebalanceProtocol: RebalanceProtocol
  readonly coordinators: CoordinatorLookup
  private readonly joinLane: string
  private readonly heartbeatLane: string
  private closed = false

  constructor(private readonly cluster: Cluster, readonly options: GroupMemberOptions) {
    this.coordinators = new CoordinatorLookup(cluster)
    this.rebalanceProtocol = rebalanceProtocolOf(options.assignors)
    const number = nextMemberNumber++
    this.joinLane = `group-join-${number}`
    this.heartbeatLane = `group-heartbeat-${number}`
  }

  get groupId(): string {
    return this.options.groupId
  }

  /**
   * Joins (or rejoins) the group and returns the assignment of the new generation. Rejoins as Kafka's
   * consumer does after REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION and UNKNOWN_MEMBER_ID (with a new
   * member id, after `hooks.lost()`); throws a KafkaProtocolError for errors no retry mends
   * (FATAL_ERRORS) and when `signal` aborts.
   */
  async join(hooks: JoinHooks, signal: AbortSignal): Promise<Generation> {
    for (let attempt = 0; ; attempt++) {
      const code = await this.joinOnce(hooks.owned())
      if (typeof code !== 'number') return code
      if (FATAL_ERRORS.has(code)) throw new KafkaProtocolError(code, `group ${this.groupId}`)
      if (code === ErrorCode.UNKNOWN_MEMBER_ID || code === ErrorCode.ILLEGAL_GENERATION) {
        this.reset(code)
        hooks.lost()
      } else if (code !== ErrorCode.REBALANCE_IN_PROGRESS && code !== ErrorCode.MEMBER_ID_REQUIRED && !errorInfo(code).retriable) {
        throw new KafkaProtocolError(code, `group ${this.groupId}`)
      }
      if (code !== ErrorCode.MEMBER_ID_REQUIRED) await sleep(backoffMs(attempt, 100), signal, 'the group consumer')
    }
  }

  /**
   * One Heartbeat. Returns its error code: NONE while the generation is current; REBALANCE_IN_PROGRESS,
   * ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID when the member must rejoin (the last two also forget the
   * generation or member id, as Java's consumer does).
   */
  async heartbeat(): Promise<number> {
    const response = await this.coordinators.withCoordinator(this.groupId, async (broker) => {
      this.ensureOpen()
      const version = broker.versions.version(ApiKey.Heartbeat)
      return broker.connection.request(ApiKey.Heartbeat, version, {
        groupId: this.groupId, generationId: this.generationId, memberId: this.memberId, groupInstanceId: this.instanceIdFor(version, 3),
      })
    }, (r) => r.errorCode, {lane: this.heartbeatLane})
    if (response.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || response.errorCode === ErrorCode.ILLEGAL_GENERATION) this.reset(response.errorCode)
    return response.errorCode
  }

  /**
   * Leaves the group so its partitions move at once. Static members stay (their session keeps them).
   * Sent on the default lane: the join lane may be held by a JoinGroup, which this answers.
   */
  async leave(): Promise<void> {
    if (this.options.groupInstanceId !== null || this.memberId === '') return
    const memberId = this.memberId
    this.memberId = ''
    this.generationId = -1
    await this.coordinators.withCoordinator(this.groupId, async (broker) => {
      this.ensureOpen()
      const version = broker.versions.version(ApiKey.LeaveGroup)
      return broker.connection.request(ApiKey.LeaveGroup, version, {
        groupId: this.groupId, memberId, members: [{memberId, groupInstanceId: null, reason: 'the consumer is closing'}],
      })
    }, (r) => r.errorCode)
  }

  /**
   * The member's session is over without the coordinator having said so (it could not be reached for
   * longer than the session timeout): it no longer has a generation or member id to commit or leave with.
   */
  forgetMembership(): void {
    this.reset(ErrorCode.UNKNOWN_MEMBER_ID)
  }

  /** Stops the member: requests under way end (their lanes are closed) and none is sent again. */
  close(): void {
    this.closed = true
    this.cluster.closeLane(this.joinLane)
    this.cluster.closeLane(this.heartbeatLane)
  }

  /** JoinGroup then SyncGroup; the new generation, or the error code that ended the round. */
  private async joinOnce(owned: readonly TopicPartitions[]): Promise<Generation | number> {
    const {groupId, topics, assignors, sessionTimeoutMs, rebalanceTimeoutMs} = this.options
    const timeoutMs = Math.max(this.cluster.requestTimeoutMs, rebalanceTimeoutMs + JOIN_GRACE_MS)
    const joined = await this.coordinators.withCoordinator(groupId, async (broker) => {
      this.ensureOpen()
      const version = broker.versions.version(ApiKey.JoinGroup)
      return broker.connection.request(ApiKey.JoinGroup, version, {
        groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId: this.memberId, groupInstanceId: this.instanceIdFor(version, STATIC_JOIN_VERSION),
        protocolType: CONSUMER_PROTOCOL_TYPE, protocols: joinProtocols(assignors, topics, owned, this.generationId), reason: null,
      }, timeoutMs)
    }, (r) => r.errorCode, {lane: this.joinLane})
    if (joined.errorCode === ErrorCode.MEMBER_ID_REQUIRED) this.memberId = joined.memberId
    if (joined.errorCode !== ErrorCode.NONE) return joined.errorCode
    this.memberId = joined.memberId
    const protocol = joined.protocolName ?? ''
    const leader = joined.leader === joined.memberId
    const assignments = leader ? await assignmentsAsLeader(this.cluster, assignors, protocol, joined.members) : []
    const synced = await this.coordinators.withCoordinator(groupId, async (broker) => {
      this.ensureOpen()
      const version = broker.versions.version(ApiKey.SyncGroup)
      return broker.connection.request(ApiKey.SyncGroup, version, {
        groupId, generationId: joined.generationId, memberId: this.memberId, groupInstanceId: this.instanceIdFor(version, 3),
        protocolType: CONSUMER_PROTOCOL_TYPE, protocolName: protocol, assignments,
      }, timeoutMs)
    }, (r) => r.errorCode, {lane: this.joinLane})
    if (synced.errorCode !== ErrorCode.NONE) return synced.errorCode
    this.generationId = joined.generationId
    this.protocol = protocol
    return {generationId: joined.generationId, memberId: this.memberId, protocol, leader, assignment: decodeMemberAssignment(synced.assignment)}
  }

  /** A closed member sends nothing: retries of a request cut off by close() end here. */
  private ensureOpen(): void {
    if (this.closed) throw new ClosedError('the group member')
  }

  /** The group instance id for a request of `version`, which carries it from `since` on. */
  private instanceIdFor(version: number, since: number): string | null {
    const id = this.options.groupInstanceId
    if (id === null) return null
    if (version < since) throw new UnsupportedVersionError(`the coordinator is too old for static membership (group.instance.id)`)
    return id
  }

  /** UNKNOWN_MEMBER_ID: join as a new member; ILLEGAL_GENERATION: the generation is over. */
  private reset(code: number): void {
    if (code === ErrorCode.UNKNOWN_MEMBER_ID) this.memberId = ''
    this.generationId = -1
  }
}
