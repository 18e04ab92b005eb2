// A consumer in a consumer group (Kafka's subscribe()): the group decides which partitions this member
// reads, the member starts each from the group's committed offset (or the reset policy without one),
// and commits what its caller reports as processed: every autoCommitIntervalMs, before giving up
// partitions in a rebalance, and on close. Fetching is the assign-mode Consumer's; membership is
// GroupMember's; the rebalance loop is GroupRebalance's; the commit bookkeeping is GroupCommits'. This
// file puts them together and closes them within one deadline.
import {DEFAULT_ASSIGNORS, assignorFor, type TopicPartitions} from './assignors/index.js'
import type {Cluster} from './cluster.js'
import {Consumer, type ConsumerOptions, type FetchedBatch} from './consumer.js'
import {ClosedError, TimeoutError, WeirError, isTransportError} from './errors.js'
import {GroupCommits} from './group-commits.js'
import {GroupMember} from './group-member.js'
import {GroupRebalance, type GroupEvent} from './group-rebalance.js'
import {OffsetCommitter} from './offset-committer.js'

export type {GroupEvent} from './group-rebalance.js'

/** Java's defaults for session.timeout.ms and heartbeat.interval.ms. */
export const DEFAULT_SESSION_TIMEOUT_MS = 45_000
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 3000
/** Java's default close timeout: the commit and the LeaveGroup on close share it. */
const CLOSE_TIMEOUT_MS = 30_000

export interface GroupConsumerOptions extends Omit<ConsumerOptions, 'offsetReset'> {
  groupId: string
  topics: string[]
  /**
   * Assignor names in order of preference. Default: range, cooperative-sticky (Java's default). The
   * member rebalances cooperatively only when every one of them is cooperative (rebalanceProtocolOf).
   */
  assignors?: string[]
  /** Default 45000, as Java's consumer. */
  sessionTimeoutMs?: number
  /** Java's max.poll.interval.ms, sent as the rebalance timeout. Default 300000. */
  rebalanceTimeoutMs?: number
  /** Default 3000; must be lower than the session timeout. */
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

export class GroupConsumer {
  private readonly fetcher: Consumer
  private readonly member: GroupMember
  private readonly committer: OffsetCommitter
  private readonly commits: GroupCommits
  private readonly rebalance: GroupRebalance
  private readonly autoCommitIntervalMs: number
  private readonly onEvent: (event: GroupEvent) => void
  private readonly changeListeners: (() => void)[] = []
  private commitTimer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private closed = false

  constructor(private readonly cluster: Cluster, options: GroupConsumerOptions) {
    const assignors = (options.assignors ?? [...DEFAULT_ASSIGNORS]).map((name) => {
      const assignor = assignorFor(name)
      if (!assignor) throw new WeirError('WEIR_ERR_ASSIGNOR', `unknown partition assignment strategy '${name}' (known: range, cooperative-sticky)`)
      return assignor
    })
    const sessionTimeoutMs = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS
    const heartbeatIntervalMs = options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS
    if (heartbeatIntervalMs >= sessionTimeoutMs) {
      throw new WeirError('WEIR_ERR_GROUP_CONFIG', `heartbeat interval (${heartbeatIntervalMs} ms) must be lower than the session timeout (${sessionTimeoutMs} ms)`)
    }
    const {maxWaitMs, minBytes, maxBytes, partitionMaxBytes, onOffsetReset, offsetReset, isolationLevel} = options
    this.fetcher = new Consumer(cluster, {maxWaitMs, minBytes, maxBytes, partitionMaxBytes, onOffsetReset, offsetReset, isolationLevel})
    this.member = new GroupMember(cluster, {
      groupId: options.groupId,
      topics: options.topics,
      assignors,
      sessionTimeoutMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 300_000,
      groupInstanceId: options.groupInstanceId ?? null,
    })
    this.committer = new OffsetCommitter(this.member.coordinators, options.groupId)
    this.commits = new GroupCommits(this.committer, this.member)
    this.autoCommitIntervalMs = options.autoCommitIntervalMs ?? 5000
    this.onEvent = options.onEvent ?? (() => {})
    this.rebalance = new GroupRebalance(this.member, this.fetcher, this.commits, {
      heartbeatIntervalMs, sessionTimeoutMs, offsetReset, onEvent: this.onEvent,
      onChange: () => {
        for (const listener of this.changeListeners) listener()
      },
    })
  }

  /** Records of the partitions this member is given, as Consumer.batches() yields them; joins the group on first call. */
  batches(): AsyncGenerator<FetchedBatch, void, undefined> {
    this.start()
    return this.fetcher.batches()
  }

  /** The partitions this member reads now. */
  assignment(): TopicPartitions[] {
    return this.commits.assignment()
  }

  /** Next offset the caller will be given for an owned partition, or null when it is not owned (any more). */
  position(topic: string, partition: number): number | null {
    return this.commits.owns(topic, partition) ? this.fetcher.position(topic, partition) : null
  }

  /**
   * The caller processed the partition up to `nextOffset` (exclusive): it is committed with the next
   * commit. Ignored for a partition this member no longer owns: its new owner starts from the last commit.
   */
  processedUpTo(topic: string, partition: number, nextOffset: number): void {
    this.commits.processedUpTo(topic, partition, nextOffset)
  }

  /**
   * Whether the member holds a settled assignment (a heartbeat of its generation was answered) and has
   * read every partition of it up to the end the broker last reported (the high watermark, or the last
   * stable offset under read_committed; with no partition, that holds once settled).
   */
  atEnd(): boolean {
    if (!this.rebalance.settled) return false
    for (const {topic, partitions} of this.commits.assignment()) {
      for (const partition of partitions) {
        const endOffset = this.fetcher.endOffset(topic, partition)
        if (endOffset < 0 || this.fetcher.position(topic, partition) < endOffset) return false
      }
    }
    return true
  }

  /** Called after every assignment change and once it settles (for callers that wait on atEnd() with nothing to read). */
  onAssignmentChange(listener: () => void): void {
    this.changeListeners.push(listener)
  }

  /** Commits what was processed and not yet committed (to partitions still owned). */
  commit(): Promise<void> {
    return this.commits.commit()
  }

  /**
   * Commits what was processed, leaves the group (static members stay) and stops fetching, all within
   * one deadline (the request timeout, at most 30 s as Java's close). A commit that could not reach the
   * coordinator is not followed by a LeaveGroup, which could not reach it either. A join or heartbeat
   * under way is cut off (its connections closed), not waited for.
   */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.commitTimer) clearInterval(this.commitTimer)
    this.rebalance.stop()
    await this.fetcher.close()
    const deadline = Date.now() + Math.min(this.cluster.requestTimeoutMs, CLOSE_TIMEOUT_MS)
    let reachable = true
    try {
      await beforeDeadline(this.commits.commit(), deadline, 'the commit on close')
    } catch (error) {
      this.onEvent({kind: 'commit-failed', error: error as Error})
      reachable = !isTransportError(error)
    }
    if (reachable) await beforeDeadline(this.member.leave(), deadline, 'leaving the group').catch(() => undefined)
    this.committer.close()
    this.member.close()
  }

  private start(): void {
    if (this.running || this.closed) return
    this.running = this.rebalance.run().catch((error: unknown) => {
      if (this.closed || error instanceof ClosedError) return
      this.fetcher.fail(error as Error)
    })
    this.commitTimer = setInterval(() => {
      if (this.rebalance.settled) this.commit().catch((error: unknown) => this.onEvent({kind: 'commit-failed', error: error as Error}))
    }, this.autoCommitIntervalMs)
    this.commitTimer.unref()
  }
}

/** `work`, or a TimeoutError once `deadline` passes (the work is left to the closing connections). */
async function beforeDeadline<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  work.catch(() => undefined)
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} did not finish before the close deadline`)), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([work, expired])
  } finally {
    clearTimeout(timer)
  }
}
