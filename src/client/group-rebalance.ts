// The rebalance loop of a group member: join, apply the new assignment (give up what moved, start what
// is new at its committed offset), heartbeat until the coordinator asks for a rebalance, join again.
//
// Rebalance protocols, decided once from the configured assignors (rebalanceProtocolOf): eager members
// commit and give up every partition before rejoining; cooperative members keep reading while they
// rejoin, give up only what the new assignment takes away, then rejoin once more so that those
// partitions reach their new owners in the next generation (KIP-429).
//
// Settled: an assignment is final, for callers stopping at the end of what they own, only once a
// heartbeat of its generation was answered NONE. A newcomer's first cooperative assignment lacks the
// partitions their old owner still has to revoke; that owner rejoins right after revoking, so the
// newcomer's first heartbeat (one interval later) sees REBALANCE_IN_PROGRESS and it stays for the round
// that hands them over.
import {ErrorCode} from '../protocol/index.js'
import {groupByTopic, type TopicPartitions} from './assignors/index.js'
import {partitionKey as key} from './cluster.js'
import type {Consumer} from './consumer.js'
import {ClosedError, KafkaProtocolError, WeirError, isTransportError} from './errors.js'
import type {GroupCommits, OwnedPartition} from './group-commits.js'
import type {Generation, GroupMember} from './group-member.js'
import {backoffMs} from './retry.js'

export type GroupEvent =
  | {kind: 'joined'; generation: Omit<Generation, 'assignment'>}
  | {kind: 'assigned'; partitions: TopicPartitions[]}
  | {kind: 'revoked'; partitions: TopicPartitions[]; lost: boolean}
  | {kind: 'commit-failed'; error: Error}

export interface RebalanceOptions {
  heartbeatIntervalMs: number
  sessionTimeoutMs: number
  offsetReset: 'earliest' | 'latest'
  onEvent: (event: GroupEvent) => void
  /** The owned partitions or the settled state changed. */
  onChange: () => void
}

/** Heartbeat answers after which the member must join again. */
const REJOIN_ERRORS: ReadonlySet<number> = new Set([ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID])

export class GroupRebalance {
  /** Whether the current assignment is final: a heartbeat of its generation was answered NONE. */
  settled = false
  private stopped = false
  private readonly stopping = new AbortController()
  private wakeHeartbeat: (() => void) | null = null

  constructor(private readonly member: GroupMember, private readonly fetcher: Consumer, private readonly commits: GroupCommits,
    private readonly options: RebalanceOptions) {}

  /** Join, apply, heartbeat until a rebalance; again, until stopped. */
  async run(): Promise<void> {
    const hooks = {owned: () => this.commits.assignment(), lost: () => this.revoke(this.commits.ids(), true)}
    while (!this.stopped) {
      this.settled = false
      if (this.member.generationId < 0) this.revoke(this.commits.ids(), true)
      if (this.member.rebalanceProtocol === 'eager') await this.giveUp(this.commits.ids())
      const generation = await this.member.join(hooks, this.stopping.signal)
      if (this.stopped) return
      const {assignment, ...joined} = generation
      this.options.onEvent({kind: 'joined', generation: joined})
      const revokedSome = await this.apply(assignment)
      // Cooperative: what was given up can go to its new owner only in the next generation.
      if (revokedSome && this.member.rebalanceProtocol === 'cooperative') continue
      await this.heartbeatUntilRebalance()
    }
  }

  /** Ends the loop: a pause between heartbeats ends now, a join under way is aborted. */
  stop(): void {
    this.stopped = true
    this.stopping.abort()
    this.wakeHeartbeat?.()
  }

  /**
   * Makes `assignment` the owned set: partitions no longer in it are committed and given up (only
   * cooperative members still hold any here), new ones start at their committed offsets, or where the
   * reset policy says. Returns whether any partition was given up.
   */
  private async apply(assignment: readonly TopicPartitions[]): Promise<boolean> {
    const next = new Map<string, OwnedPartition>()
    for (const {topic, partitions} of assignment) for (const partition of partitions) next.set(key(topic, partition), {topic, partition})
    const gone = this.commits.ids().filter((id) => !next.has(id))
    if (gone.length > 0) await this.giveUp(gone)
    const added = [...next.values()].filter((tp) => !this.commits.owns(tp.topic, tp.partition))
    if (added.length > 0) {
      const committed = await this.commits.committedOffsets(added)
      await this.fetcher.assign(added.map((tp) => ({...tp, offset: committed.get(key(tp.topic, tp.partition)) ?? this.options.offsetReset})))
      for (const tp of added) this.commits.own(tp, this.fetcher.position(tp.topic, tp.partition), committed.get(key(tp.topic, tp.partition)))
      this.options.onEvent({kind: 'assigned', partitions: groupByTopic(added)})
    }
    this.options.onChange()
    return gone.length > 0
  }

  /** Commits what was processed of these partitions, then stops reading them. */
  private async giveUp(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    try {
      await this.commits.commit(ids)
    } catch (error) {
      this.options.onEvent({kind: 'commit-failed', error: error as Error})
    }
    this.revoke(ids, false)
  }

  /** Stops reading partitions; `lost` when the member's generation is gone and nothing could be committed. */
  private revoke(ids: readonly string[], lost: boolean): void {
    const released = this.commits.release(ids)
    if (released.length === 0) return
    for (const {topic, partition} of released) this.fetcher.unassign(topic, partition)
    this.options.onEvent({kind: 'revoked', partitions: groupByTopic(released), lost})
    this.options.onChange()
  }

  /**
   * Heartbeats until the coordinator asks for a rejoin (or the loop stops). The first NONE settles the
   * assignment. An eager member's first heartbeat goes at once (its assignment is whole); a cooperative
   * one waits an interval, giving old owners time to revoke and rejoin. A coordinator that does not
   * answer for longer than the session timeout has dropped this member: that ends the loop with an error.
   */
  private async heartbeatUntilRebalance(): Promise<void> {
    const {heartbeatIntervalMs} = this.options
    let delay = this.member.rebalanceProtocol === 'eager' ? 0 : heartbeatIntervalMs
    let answeredAt = Date.now()
    for (let failures = 0; !this.stopped;) {
      await this.pause(delay)
      if (this.stopped) return
      const code = await this.heartbeatWithinSession(answeredAt)
      if (this.stopped) return
      if (code === null) {
        delay = Math.min(heartbeatIntervalMs, backoffMs(failures++, 100))
        continue
      }
      answeredAt = Date.now()
      failures = 0
      delay = heartbeatIntervalMs
      if (code === ErrorCode.NONE && !this.settled) {
        this.settled = true
        this.options.onChange()
      }
      if (REJOIN_ERRORS.has(code)) return
      if (code === ErrorCode.FENCED_INSTANCE_ID) throw new KafkaProtocolError(code, `group ${this.member.groupId}`)
    }
  }

  /**
   * One heartbeat's answer, or null when the coordinator could not be reached (the next one looks it up
   * again). Throws once the coordinator has not answered for the session timeout since `answeredAt`.
   */
  private async heartbeatWithinSession(answeredAt: number): Promise<number | null> {
    const {sessionTimeoutMs} = this.options
    const heartbeat = this.member.heartbeat()
    heartbeat.catch(() => undefined) // may be left behind by the session deadline below
    let timer: NodeJS.Timeout | undefined
    const sessionOver = new Promise<'session-over'>((resolve) => {
      timer = setTimeout(() => resolve('session-over'), Math.max(0, answeredAt + sessionTimeoutMs - Date.now()))
    })
    try {
      const answer = await Promise.race([heartbeat, sessionOver])
      if (answer !== 'session-over') return answer
    } catch (error) {
      if (this.stopped || error instanceof ClosedError) return null
      if (!isTransportError(error) && !(error instanceof KafkaProtocolError)) throw error
      if (Date.now() - answeredAt < sessionTimeoutMs) return null
    } finally {
      clearTimeout(timer)
    }
    this.member.forgetMembership()
    throw new WeirError('WEIR_ERR_COORDINATOR_LOST', `the coordinator of group ${this.member.groupId} has not answered for longer than ` +
      `session.timeout.ms (${sessionTimeoutMs} ms), so the group has dropped this member`)
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.wakeHeartbeat = done
    })
  }
}
