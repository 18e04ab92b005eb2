// The consumer reads assigned partitions from given offsets. Group membership (subscribe) is built on it
// in group-consumer.ts, which assigns and unassigns partitions as the group decides.
//
// Fetching: partitions are grouped by leader; each leader has at most one Fetch in flight, on a
// connection of this consumer's own (a long poll must not hold up other requests). A response's data is
// queued for the caller and the next Fetch goes out as soon as the caller starts on it, so the network
// wait overlaps the caller's work; at most one response per leader waits unread, which bounds memory.
//
// Delivery: batches() yields one item per partition per Fetch response, in order, carrying the records
// at or above the partition's position and the high watermark the broker reported. Partitions the
// response returned nothing for are yielded too, with no records: a caller stopping at the end of the
// log (--exit-at-end) stops once position(topic, partition) >= highWatermark for every partition it has
// seen an item for, and it sees one for every assigned partition within maxWaitMs.
//
// Isolation: read_uncommitted (the default, as Kafka's) yields the records of open and aborted
// transactions too; read_committed asks the broker to stop at the last stable offset and drops the
// batches of aborted transactions (aborted-transactions.ts). Transaction markers are never yielded, and
// endOffset() is where a reader at the consumer's level stops: the last stable offset under read_committed.
import {ApiKey, ErrorCode, ZERO_UUID, errorInfo, splitBatches} from '../protocol/index.js'
import {AbortedTransactions} from './aborted-transactions.js'
import {Admin} from './admin.js'
import {resolveAssignments, type Assignment} from './assignments.js'
import {partitionKey as key, type Cluster} from './cluster.js'
import {ClosedError, KafkaProtocolError, WeirError, isTransportError} from './errors.js'
import {
  buildFetchRequest, fetchVersion, fetchedPartitions, type FetchTarget, type FetchedPartition, type IsolationLevel,
} from './fetch-request.js'
import {
  partitionState, type Delivery, type LeaderState, type OffsetReset, type OffsetResetPolicy, type PartitionState, type ResponseTicket,
} from './consumer-state.js'
import {FetchedBatch, endOffsetFor, nextOffsetAfter, recordsFrom} from './fetched-records.js'
import {DueTimer, backoffMs} from './retry.js'

export interface ConsumerOptions {
  /** How long the broker may hold a Fetch waiting for minBytes. Default 500. */
  maxWaitMs?: number
  minBytes?: number
  /** Bytes per Fetch response. Default 50 MiB. */
  maxBytes?: number
  /** Bytes per partition per Fetch response. Default 1 MiB. */
  partitionMaxBytes?: number
  /**
   * Kafka's auto.offset.reset: where a partition goes when a Fetch answers OFFSET_OUT_OF_RANGE (retention
   * moved the log start past its position, say). 'none' reports the error and stops the partition.
   * Default 'none'.
   */
  offsetReset?: OffsetResetPolicy
  /** Told of each reset, in order with the records: the reset takes effect after what was fetched before it. */
  onOffsetReset?: (reset: OffsetReset) => void
  /** Kafka's isolation.level (Fetch v4+, the oldest this client speaks). Default 'read_uncommitted'. */
  isolationLevel?: IsolationLevel
}

export {FetchedBatch, type Assignment, type IsolationLevel, type OffsetReset, type OffsetResetPolicy}

/** Failed fetches in a row (transport errors for a broker, retriable errors for a partition) before the
 * consumer reports the error and stops fetching what failed. */
const FETCH_ATTEMPTS = 8

let nextLaneId = 1

export class Consumer {
  private readonly maxWaitMs: number
  private readonly minBytes: number
  private readonly maxBytes: number
  private readonly partitionMaxBytes: number
  private readonly offsetReset: OffsetResetPolicy
  private readonly onOffsetReset: (reset: OffsetReset) => void
  private readonly isolationLevel: IsolationLevel
  private readonly lane = `fetch-${nextLaneId++}`
  private readonly admin: Admin
  private readonly partitions = new Map<string, PartitionState>()
  private readonly leaders = new Map<number, LeaderState>()
  private readonly deliveries: Delivery[] = []
  private wakeReader: (() => void) | null = null
  private refreshing = false
  private readonly retryTimer = new DueTimer(() => this.fill())
  private started = false
  private closed = false

  constructor(
    private readonly cluster: Cluster,
    options: ConsumerOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 500
    this.minBytes = options.minBytes ?? 1
    this.maxBytes = options.maxBytes ?? 50 * 1024 * 1024
    this.partitionMaxBytes = options.partitionMaxBytes ?? 1024 * 1024
    this.offsetReset = options.offsetReset ?? 'none'
    this.onOffsetReset = options.onOffsetReset ?? (() => {})
    this.isolationLevel = options.isolationLevel ?? 'read_uncommitted'
    this.admin = new Admin(cluster)
  }

  /**
   * Reads these partitions (in addition to those already assigned; a partition assigned again restarts
   * from its new offset). 'earliest' and 'latest' are resolved now with ListOffsets.
   */
  async assign(assignments: Assignment[]): Promise<void> {
    if (this.closed) throw new ClosedError('the consumer')
    const resolved = await resolveAssignments(this.admin, assignments, this.isolationLevel)
    for (const {topic, partition, offset} of resolved) {
      this.partitions.set(key(topic, partition), partitionState(topic, partition, offset, this.partitionMaxBytes))
    }
    if (this.started) this.fill()
  }

  /** Stops reading a partition; what was fetched for it and not yet read is dropped. */
  unassign(topic: string, partition: number): void {
    this.partitions.delete(key(topic, partition))
  }

  /** Next offset the caller will be given for a partition (its first unread one). */
  position(topic: string, partition: number): number {
    const state = this.partitions.get(key(topic, partition))
    if (!state) throw new WeirError('WEIR_ERR_NOT_ASSIGNED', `${topic}/${partition} is not assigned to this consumer`)
    return state.position
  }

  /** The partition's high watermark as the last Fetch response read reported it; -1 before one. */
  highWatermark(topic: string, partition: number): number {
    return this.partitions.get(key(topic, partition))?.highWatermark ?? -1
  }

  /**
   * Where the partition ends for this consumer, as the last Fetch response read reported it: the last
   * stable offset under read_committed (the high watermark when the broker gave none), else the high
   * watermark; -1 before a response.
   */
  endOffset(topic: string, partition: number): number {
    const state = this.partitions.get(key(topic, partition))
    return state ? endOffsetFor(this.isolationLevel, state.highWatermark, state.lastStableOffset) : -1
  }

  /** Reports an error to the reader of batches() after what is already queued (a group member's fatal error). */
  fail(error: Error): void {
    if (!this.closed) this.deliver({kind: 'error', error})
  }

  /** Fetched records, one item per partition per Fetch response; ends when the consumer is closed. */
  async *batches(): AsyncGenerator<FetchedBatch, void, undefined> {
    this.started = true
    this.fill()
    for (;;) {
      const delivery = await this.nextDelivery()
      if (!delivery) return
      if (delivery.kind === 'error') throw delivery.error
      if (delivery.kind === 'reset') {
        this.applyReset(delivery.state, delivery.reset)
        continue
      }
      const item = await this.open(delivery)
      if (item) yield item
    }
  }

  /** Stops fetching; a pending batches() iteration ends. Nothing is left running. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.retryTimer.cancel()
    this.cluster.closeLane(this.lane)
    this.deliveries.length = 0
    this.wakeReader?.()
  }

  private nextDelivery(): Promise<Delivery | null> {
    if (this.closed) return Promise.resolve(null)
    const delivery = this.deliveries.shift()
    if (delivery) return Promise.resolve(delivery)
    return new Promise((resolve) => {
      this.wakeReader = () => {
        this.wakeReader = null
        resolve(this.closed ? null : this.deliveries.shift()!)
      }
    })
  }

  private deliver(delivery: Delivery): void {
    this.deliveries.push(delivery)
    this.wakeReader?.()
  }

  /** Decodes a delivery for the caller and advances the partition's position. */
  private async open(delivery: Extract<Delivery, {kind: 'data'}>): Promise<FetchedBatch | null> {
    const {state, batches, highWatermark, lastStableOffset, ticket} = delivery
    if (!ticket.opened) {
      ticket.opened = true
      this.leaderState(ticket.leader).unopened--
      this.fill() // the leader may fetch ahead while the caller works on this response
    }
    if (this.partitions.get(key(state.topic, state.partition)) !== state) return null // reassigned meanwhile
    const aborted = this.isolationLevel === 'read_committed' && delivery.abortedTransactions?.length
      ? new AbortedTransactions(delivery.abortedTransactions) : null
    const endOffset = endOffsetFor(this.isolationLevel, highWatermark, lastStableOffset)
    let fetched: FetchedBatch
    try {
      fetched = await recordsFrom(state.topic, state.partition, {highWatermark, endOffset, aborted}, batches, state.position)
    } catch (error) {
      throw new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, `${state.topic}/${state.partition} at offset ${state.position}`, (error as Error).message)
    }
    if (batches.length > 0) state.position = Math.max(state.position, nextOffsetAfter(batches[batches.length - 1]!))
    state.highWatermark = highWatermark
    state.lastStableOffset = lastStableOffset
    return fetched
  }

  /** Sends a Fetch to every leader that has none in flight and no unread response waiting. */
  private fill(): void {
    if (this.closed) return
    const now = Date.now()
    const byLeader = new Map<number, PartitionState[]>()
    let leaderUnknown = false
    for (const state of this.partitions.values()) {
      if (state.inFlight || state.stopped || state.resetting || state.retryAt > now) continue
      const leader = this.cluster.leaderFor(state.topic, state.partition)
      if (leader < 0) {
        // a lookup under way calls fill() again when it is answered: only its answer counts as a miss
        if (!this.refreshing) leaderUnknown = this.leaderUnknown(state, now) || leaderUnknown
        continue
      }
      let group = byLeader.get(leader)
      if (!group) byLeader.set(leader, (group = []))
      group.push(state)
    }
    for (const [leader, states] of byLeader) {
      const status = this.leaderState(leader)
      if (status.inFlight || status.unopened > 0 || status.retryAt > now) continue
      void this.fetch(leader, states)
    }
    if (leaderUnknown) this.refreshMetadata()
    this.armRetryTimer(now)
  }

  private async fetch(leader: number, states: PartitionState[]): Promise<void> {
    const status = this.leaderState(leader)
    status.inFlight = true
    for (const state of states) state.inFlight = true
    const targets: FetchTarget[] = states.map((state) => ({
      topic: state.topic,
      topicId: this.cluster.topic(state.topic)?.topicId ?? ZERO_UUID,
      partition: state.partition,
      fetchOffset: state.fetchOffset,
      partitionMaxBytes: state.maxBytes,
    }))
    let fetched: FetchedPartition[] | null = null
    let failure: unknown = null
    try {
      const broker = await this.cluster.connectionTo(leader, this.lane)
      const version = fetchVersion(broker.versions.version(ApiKey.Fetch), targets)
      const {maxWaitMs, minBytes, maxBytes, isolationLevel} = this
      const request = buildFetchRequest(targets, {maxWaitMs, minBytes, maxBytes, isolationLevel})
      const response = await broker.connection.request(ApiKey.Fetch, version, request, this.cluster.requestTimeoutMs + this.maxWaitMs)
      if (response.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(response.errorCode, `Fetch from broker ${leader}`)
      fetched = fetchedPartitions(response, version, targets)
    } catch (error) {
      failure = error
    }
    status.inFlight = false
    for (const state of states) state.inFlight = false
    if (this.closed) return
    if (fetched) this.absorb(leader, status, states, fetched)
    else this.fetchFailed(status, states, failure)
    this.fill()
  }

  private absorb(leader: number, status: LeaderState, states: PartitionState[], fetched: FetchedPartition[]): void {
    status.failures = 0
    const ticket: ResponseTicket = {leader, opened: false}
    let delivered = false
    for (const result of fetched) {
      const state = states.find((s) => s.topic === result.topic && s.partition === result.partition)
      if (!state || this.partitions.get(key(state.topic, state.partition)) !== state) continue
      if (result.errorCode === ErrorCode.NONE) {
        state.failures = 0
        const batches = this.takeBatches(state, result)
        if (batches === null) continue
        const {highWatermark, lastStableOffset, abortedTransactions} = result
        this.deliver({kind: 'data', state, batches, highWatermark, lastStableOffset, abortedTransactions, ticket})
        delivered = true
      } else {
        this.partitionFailed(state, result.errorCode)
      }
    }
    if (delivered) status.unopened++
  }

  /** Whole batches of a partition's data, advancing its fetch offset; null when it must be fetched again. */
  private takeBatches(state: PartitionState, result: FetchedPartition): Buffer[] | null {
    const records = result.records ?? Buffer.alloc(0)
    let batches: Buffer[]
    try {
      batches = splitBatches(records)
    } catch (error) {
      const where = `${state.topic}/${state.partition} at offset ${state.fetchOffset}`
      this.stop([state], new KafkaProtocolError(ErrorCode.CORRUPT_MESSAGE, where, (error as Error).message))
      return null
    }
    if (batches.length > 0) {
      state.fetchOffset = nextOffsetAfter(batches[batches.length - 1]!)
      state.maxBytes = this.partitionMaxBytes
      return batches
    }
    if (records.length === 0) return batches
    // Only part of one batch came back: older brokers cut at partitionMaxBytes. Ask for more next time.
    if (state.maxBytes >= this.maxBytes) {
      this.stop([state], new WeirError('WEIR_ERR_BATCH_TOO_LARGE',
        `${state.topic}/${state.partition}: the record batch at offset ${state.fetchOffset} is larger than maxBytes (${this.maxBytes})`))
      return null
    }
    state.maxBytes = Math.min(state.maxBytes * 2, this.maxBytes)
    return null
  }

  private partitionFailed(state: PartitionState, errorCode: number): void {
    const where = `${state.topic}/${state.partition}`
    if (errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
      this.outOfRange(state)
    } else if (errorCode === ErrorCode.CORRUPT_MESSAGE) {
      // Retriable in Kafka's table, but a damaged batch on the broker does not mend: Kafka's consumer
      // fails at once with the offset, and so does this one.
      this.stop([state], new KafkaProtocolError(errorCode, `${where} at offset ${state.fetchOffset}`))
    } else if (errorInfo(errorCode).retriable && ++state.failures < FETCH_ATTEMPTS) {
      state.retryAt = Date.now() + backoffMs(state.failures - 1, 100)
      this.refreshMetadata()
    } else {
      this.stop([state], new KafkaProtocolError(errorCode, where))
    }
  }

  /**
   * The broker refused the partition's fetch offset: below its log start or past its end. The policy
   * says where to go; the new place is looked up now and takes effect, for the reader, after the data
   * fetched before (queued as a 'reset' delivery).
   */
  private outOfRange(state: PartitionState): void {
    const from = state.fetchOffset
    const where = `${state.topic}/${state.partition}`
    const policy = this.offsetReset
    if (policy === 'none') {
      const detail = `offset ${from} is outside the partition's log; reassign it from 'earliest' or 'latest', or set offsetReset`
      this.stop([state], new KafkaProtocolError(ErrorCode.OFFSET_OUT_OF_RANGE, where, detail))
      return
    }
    state.resetting = true
    this.admin.listOffsets(state.topic, [state.partition], policy, {isolationLevel: this.isolationLevel}).then(
      (offsets) => {
        state.resetting = false
        if (this.closed || this.partitions.get(key(state.topic, state.partition)) !== state) return
        const to = offsets.get(state.partition)!
        state.fetchOffset = to
        this.deliver({kind: 'reset', state, reset: {topic: state.topic, partition: state.partition, from, to, policy}})
        this.fill()
      },
      (error: unknown) => {
        state.resetting = false
        if (!this.closed) this.stop([state], error as Error)
      },
    )
  }

  /** The reader reached a reset: the partition's position moves there (unless it was reassigned since). */
  private applyReset(state: PartitionState, reset: OffsetReset): void {
    if (this.partitions.get(key(state.topic, state.partition)) !== state) return
    state.position = reset.to
    this.onOffsetReset(reset)
  }

  /**
   * No leader is known for a partition: its metadata was never loaded, its leader is moving, or its topic
   * is gone. The first miss asks for metadata at once; misses in a row back off like retriable fetch
   * errors (a deleted topic would otherwise be looked up in a tight loop), and after FETCH_ATTEMPTS the
   * partition stops with the error. Returns whether metadata should be refreshed.
   */
  private leaderUnknown(state: PartitionState, now: number): boolean {
    if (++state.failures >= FETCH_ATTEMPTS) {
      const known = this.cluster.topic(state.topic)?.partitions.some((p) => p.partition === state.partition) ?? false
      const code = known ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
      this.stop([state], new KafkaProtocolError(code, `${state.topic}/${state.partition}`))
      return false
    }
    if (state.failures > 1) state.retryAt = now + backoffMs(state.failures - 2, 100)
    return true
  }

  /** The whole Fetch failed: a transport error backs this leader off, until FETCH_ATTEMPTS in a row. */
  private fetchFailed(status: LeaderState, states: PartitionState[], error: unknown): void {
    if (error instanceof ClosedError) return
    if (!isTransportError(error) || ++status.failures >= FETCH_ATTEMPTS) {
      status.failures = 0
      this.stop(states, error as Error)
      return
    }
    status.retryAt = Date.now() + backoffMs(status.failures - 1, 100)
    this.refreshMetadata()
  }

  /** Reports an error to the caller (in order with the data before it) and stops fetching `states`. */
  private stop(states: PartitionState[], error: Error): void {
    for (const state of states) state.stopped = true
    this.deliver({kind: 'error', error})
  }

  private refreshMetadata(): void {
    if (this.refreshing || this.closed) return
    this.refreshing = true
    const topics = [...new Set([...this.partitions.values()].map((state) => state.topic))]
    this.cluster
      .metadata(topics)
      .catch(() => undefined) // fetches keep failing, and report it, if the cluster stays unreachable
      .finally(() => {
        this.refreshing = false
        this.fill()
      })
  }

  private armRetryTimer(now: number): void {
    if (this.closed) return
    let dueAt = Infinity
    for (const state of this.partitions.values()) if (!state.inFlight && !state.stopped && state.retryAt > now) dueAt = Math.min(dueAt, state.retryAt)
    for (const status of this.leaders.values()) if (status.retryAt > now) dueAt = Math.min(dueAt, status.retryAt)
    this.retryTimer.arm(dueAt, now)
  }

  private leaderState(leader: number): LeaderState {
    let status = this.leaders.get(leader)
    if (!status) this.leaders.set(leader, (status = {inFlight: false, unopened: 0, failures: 0, retryAt: 0}))
    return status
  }
}
