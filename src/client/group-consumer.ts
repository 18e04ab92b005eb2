// A consumer in a consumer group (Kafka's subscribe()): the group decides which partitions this member
// reads, the member starts each from the group's committed offset (or the reset policy without one),
// and commits what its caller reports as processed: every autoCommitIntervalMs, before giving up
// partitions in a rebalance, and on close. Fetching is the assign-mode Consumer's; membership is
// GroupMember's; this file runs the member's life: join, apply the assignment, heartbeat until a
// rebalance, give up what moves, join again.
//
// Rebalance protocols: with an eager assignor (range) every partition is committed and given up before
// rejoining; with a cooperative one (cooperative-sticky) the member keeps reading while it rejoins,
// gives up only what the new assignment takes away, and then rejoins once more so those partitions can
// go to their new owners (KIP-429).
import {ErrorCode} from '../protocol/index.js'
import {DEFAULT_ASSIGNORS, assignorFor, groupByTopic, type TopicPartitions} from './assignors/index.js'
import {partitionKey as key, type Cluster} from './cluster.js'
import {Consumer, type ConsumerOptions, type FetchedBatch} from './consumer.js'
import {ClosedError, KafkaProtocolError, WeirError, isTransportError} from './errors.js'
import {GroupMember, type Generation} from './group-member.js'
import {OffsetCommitter} from './offset-committer.js'

export interface GroupConsumerOptions extends Omit<ConsumerOptions, 'offsetReset'> {
  groupId: string
  topics: string[]
  /** Assignor names in order of preference. Default: range, cooperative-sticky (Java's default). */
  assignors?: string[]
  /** Default 45000, as Java's consumer. */
  sessionTimeoutMs?: number
  /** Java's max.poll.interval.ms, sent as the rebalance timeout. Default 300000. */
  rebalanceTimeoutMs?: number
  /** Default 3000. */
  heartbeatIntervalMs?: number
  /** Default 5000. */
  autoCommitIntervalMs?: number
  /** Static membership (group.instance.id). */
  groupInstanceId?: string | null
  /** Where a partition without a committed offset starts, and where an out-of-range one goes. */
  offsetReset: 'earliest' | 'latest'
  /** Progress notes: joins, assignments, revocations, failed commits. */
  onEvent?: (event: GroupEvent) => void
}

export type GroupEvent =
  | {kind: 'joined'; generation: Omit<Generation, 'assignment'>}
  | {kind: 'assigned'; partitions: TopicPartitions[]}
  | {kind: 'revoked'; partitions: TopicPartitions[]; lost: boolean}
  | {kind: 'commit-failed'; error: Error}

/** Heartbeat answers after which the member must join again. */
const REJOIN_ERRORS: ReadonlySet<number> = new Set([ErrorCode.REBALANCE_IN_PROGRESS, ErrorCode.ILLEGAL_GENERATION, ErrorCode.UNKNOWN_MEMBER_ID])

interface Owned {
  topic: string
  partition: number
}

export class GroupConsumer {
  private readonly fetcher: Consumer
  private readonly member: GroupMember
  private readonly committer: OffsetCommitter
  private readonly heartbeatIntervalMs: number
  private readonly autoCommitIntervalMs: number
  private readonly offsetReset: 'earliest' | 'latest'
  private readonly onEvent: (event: GroupEvent) => void
  private readonly owned = new Map<string, Owned>()
  /** Next offset to commit per owned partition, as the caller reported it processed. */
  private readonly processed = new Map<string, number>()
  private readonly committedOffsets = new Map<string, number>()
  private readonly closing = new AbortController()
  private readonly changeListeners: (() => void)[] = []
  private wakeHeartbeat: (() => void) | null = null
  private commitChain: Promise<void> = Promise.resolve()
  private commitTimer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private settled = false
  private closed = false

  constructor(cluster: Cluster, options: GroupConsumerOptions) {
    const assignors = (options.assignors ?? [...DEFAULT_ASSIGNORS]).map((name) => {
      const assignor = assignorFor(name)
      if (!assignor) throw new WeirError('WEIR_ERR_ASSIGNOR', `unknown partition assignment strategy '${name}' (known: range, cooperative-sticky)`)
      return assignor
    })
    const rebalanceProtocols = new Set(assignors.map((a) => a.rebalanceProtocol))
    if (rebalanceProtocols.size > 1 && assignors[0]!.rebalanceProtocol === 'cooperative') {
      // Java refuses this too: a cooperative first choice must not fall back to an eager one mid-rebalance.
      throw new WeirError('WEIR_ERR_ASSIGNOR', 'a cooperative assignor first cannot be combined with eager ones')
    }
    this.fetcher = new Consumer(cluster, {...options, offsetReset: options.offsetReset})
    this.member = new GroupMember(cluster, {
      groupId: options.groupId,
      topics: options.topics,
      assignors,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 45_000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 300_000,
      groupInstanceId: options.groupInstanceId ?? null,
    })
    this.committer = new OffsetCommitter(this.member.coordinators, options.groupId)
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000
    this.autoCommitIntervalMs = options.autoCommitIntervalMs ?? 5000
    this.offsetReset = options.offsetReset
    this.onEvent = options.onEvent ?? (() => {})
  }

  /** Records of the partitions this member is given, as Consumer.batches() yields them; joins the group on first call. */
  batches(): AsyncGenerator<FetchedBatch, void, undefined> {
    this.start()
    return this.fetcher.batches()
  }

  /** The partitions this member reads now. */
  assignment(): TopicPartitions[] {
    return groupByTopic(this.owned.values())
  }

  /** Next offset the caller will be given for an owned partition, or null when it is not owned (any more). */
  position(topic: string, partition: number): number | null {
    return this.owned.has(key(topic, partition)) ? this.fetcher.position(topic, partition) : null
  }

  /**
   * The caller processed the partition up to `nextOffset` (exclusive): it is committed with the next
   * commit. Ignored for a partition this member no longer owns: its new owner starts from the last commit.
   */
  processedUpTo(topic: string, partition: number, nextOffset: number): void {
    const id = key(topic, partition)
    if (!this.owned.has(id)) return
    this.processed.set(id, Math.max(this.processed.get(id) ?? 0, nextOffset))
  }

  /**
   * Whether the member holds a settled assignment and has read every partition of it up to the high
   * watermark the broker last reported (with no partition, that holds at once).
   */
  atEnd(): boolean {
    if (!this.settled) return false
    for (const {topic, partition} of this.owned.values()) {
      const highWatermark = this.fetcher.highWatermark(topic, partition)
      if (highWatermark < 0 || this.fetcher.position(topic, partition) < highWatermark) return false
    }
    return true
  }

  /** Called after every assignment change (for callers that wait on atEnd() with nothing to read). */
  onAssignmentChange(listener: () => void): void {
    this.changeListeners.push(listener)
  }

  /** Commits what was processed and not yet committed (to partitions still owned). */
  commit(): Promise<void> {
    const run = this.commitChain.then(() => this.commitOwned([...this.owned.keys()]))
    this.commitChain = run.catch(() => undefined)
    return run
  }

  /**
   * Commits what was processed, leaves the group (static members stay) and stops fetching. A join or
   * heartbeat under way is cut off (its connections closed), not waited for.
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.commitTimer) clearInterval(this.commitTimer)
    this.closing.abort()
    this.wakeHeartbeat?.()
    await this.fetcher.close()
    try {
      await this.commit()
    } catch (error) {
      this.onEvent({kind: 'commit-failed', error: error as Error})
    }
    await this.member.leave().catch(() => undefined)
    this.member.close()
  }

  private start(): void {
    if (this.running || this.closed) return
    this.running = this.run().catch((error: unknown) => {
      if (this.closed || error instanceof ClosedError) return
      this.fetcher.fail(error as Error)
    })
    this.commitTimer = setInterval(() => {
      if (this.settled) this.commit().catch((error: unknown) => this.onEvent({kind: 'commit-failed', error: error as Error}))
    }, this.autoCommitIntervalMs)
    this.commitTimer.unref()
  }

  /** Join, apply, heartbeat until a rebalance; again, until closed. */
  private async run(): Promise<void> {
    while (!this.closed) {
      this.settled = false
      if (this.member.generationId < 0 && this.owned.size > 0) this.revoke([...this.owned.keys()], true)
      if (this.member.rebalanceProtocol === 'eager' && this.owned.size > 0) await this.giveUp([...this.owned.keys()])
      const generation = await this.member.join(groupByTopic(this.owned.values()), this.closing.signal)
      if (this.closed) return
      const {assignment, ...joined} = generation
      this.onEvent({kind: 'joined', generation: joined})
      const revokedSome = await this.apply(assignment)
      // Cooperative: what was given up can go to its new owner only in the next generation.
      if (revokedSome && this.member.rebalanceProtocol === 'cooperative') continue
      this.settled = true
      this.notifyChange()
      await this.heartbeatUntilRebalance()
    }
  }

  /**
   * Makes `assignment` the owned set: partitions no longer in it are committed and given up (only
   * cooperative members still hold any here), new ones start at their committed offsets. Returns
   * whether any partition was given up.
   */
  private async apply(assignment: TopicPartitions[]): Promise<boolean> {
    const next = new Map<string, Owned>()
    for (const {topic, partitions} of assignment) for (const partition of partitions) next.set(key(topic, partition), {topic, partition})
    const gone = [...this.owned.keys()].filter((id) => !next.has(id))
    if (gone.length > 0) await this.giveUp(gone)
    const added = [...next].filter(([id]) => !this.owned.has(id)).map(([, tp]) => tp)
    if (added.length > 0) {
      const committed = await this.committer.committed(groupByTopic(added))
      for (const tp of added) {
        const id = key(tp.topic, tp.partition)
        this.owned.set(id, tp)
        const offset = committed.get(id)
        if (offset !== undefined) this.committedOffsets.set(id, offset)
      }
      await this.fetcher.assign(added.map(({topic, partition}) => ({topic, partition, offset: committed.get(key(topic, partition)) ?? this.offsetReset})))
      this.onEvent({kind: 'assigned', partitions: groupByTopic(added)})
    }
    return gone.length > 0
  }

  /** Commits what was processed of these partitions, then stops reading them. */
  private async giveUp(ids: string[]): Promise<void> {
    try {
      await this.commitChain
      await this.commitOwned(ids)
    } catch (error) {
      this.onEvent({kind: 'commit-failed', error: error as Error})
    }
    this.revoke(ids, false)
  }

  /** Stops reading partitions; `lost` when the member's generation is gone and nothing could be committed. */
  private revoke(ids: string[], lost: boolean): void {
    const partitions = groupByTopic(ids.map((id) => this.owned.get(id)!))
    for (const id of ids) {
      const {topic, partition} = this.owned.get(id)!
      this.fetcher.unassign(topic, partition)
      this.owned.delete(id)
      this.processed.delete(id)
      this.committedOffsets.delete(id)
    }
    this.onEvent({kind: 'revoked', partitions, lost})
    this.notifyChange()
  }

  private async commitOwned(ids: string[]): Promise<void> {
    const offsets = ids
      .filter((id) => this.owned.has(id) && this.processed.has(id) && this.processed.get(id) !== this.committedOffsets.get(id))
      .map((id) => ({...this.owned.get(id)!, offset: this.processed.get(id)!}))
    if (offsets.length === 0 || this.member.generationId < 0) return
    const identity = {generationId: this.member.generationId, memberId: this.member.memberId, groupInstanceId: this.member.options.groupInstanceId}
    const outcomes = await this.committer.commit(offsets, identity)
    const failed = outcomes.find((o) => o.errorCode !== ErrorCode.NONE)
    for (const outcome of outcomes) if (outcome.errorCode === ErrorCode.NONE) this.committedOffsets.set(key(outcome.topic, outcome.partition), outcome.offset)
    if (failed) {
      throw new KafkaProtocolError(failed.errorCode, `commit of ${failed.topic}/${failed.partition} for group ${this.member.groupId}`)
    }
  }

  /** Heartbeats every heartbeatIntervalMs until the coordinator asks for a rejoin (or the consumer closes). */
  private async heartbeatUntilRebalance(): Promise<void> {
    while (!this.closed) {
      await this.pause(this.heartbeatIntervalMs)
      if (this.closed) return
      let code: number
      try {
        code = await this.member.heartbeat()
      } catch (error) {
        if (this.closed || error instanceof ClosedError) return
        if (!isTransportError(error) && !(error instanceof KafkaProtocolError)) throw error
        return // the coordinator is gone for longer than the request timeout: rejoin, finding it again
      }
      if (code === ErrorCode.NONE) continue
      if (REJOIN_ERRORS.has(code)) return
      if (code === ErrorCode.FENCED_INSTANCE_ID) {
        throw new KafkaProtocolError(code, `group ${this.member.groupId}`)
      }
    }
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

  private notifyChange(): void {
    for (const listener of this.changeListeners) listener()
  }
}
