// The transactional producer's side of Kafka's transaction protocol (Java's TransactionManager, reduced to
// what a producer needs): the coordinator of the transactional id (FindCoordinator key type 1), its
// producer id and epoch (InitProducerId, fencing older instances), each partition added to the open
// transaction before its first batch is sent (AddPartitionsToTxn, several partitions a request), consumer
// offsets committed inside the transaction (transaction-offsets.ts), and EndTxn once every record is
// acknowledged (commit) or the unsent ones are dropped (abort).
//
// Errors: the coordinator moving or loading and CONCURRENT_TRANSACTIONS (a previous transaction still
// completing) are retried until the request timeout; fencing (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH) is
// fatal: the producer can only be closed. A batch that failed for good leaves the transaction abortable:
// commit throws, abort works, and afterwards the producer takes a new epoch if its sequences went astray.
import {ApiKey, ErrorCode, type AddPartitionsToTxnResponse} from '../protocol/index.js'
import type {BrokerConnection, Cluster} from './cluster.js'
import {CoordinatorLookup, CoordinatorType} from './coordinator-lookup.js'
import {KafkaProtocolError, WeirError, isTransportError} from './errors.js'
import type {Idempotence} from './idempotence.js'
import {isInitRetriable, sendInitProducerId, canBumpEpoch, NO_PRODUCER, type ProducerIdAndEpoch} from './producer-id.js'
import type {PartitionQueue} from './record-accumulator.js'
import {backoffMs, sleep} from './retry.js'
import {commitTransactionOffsets, type TransactionOffset, type TransactionGroup} from './transaction-offsets.js'

/** What the transaction manager needs of its producer. */
export interface TransactionHost {
  /** Waits until every record sent is acknowledged or failed; throws the first delivery error. */
  flush(): Promise<void>
  /** Fails every record not yet sent (abort), so that only requests in flight remain; true when one had been sent. */
  discardUnsent(error: Error): boolean
  /** Forgets delivery errors of the transaction just aborted. */
  clearErrors(): void
  /** A new producer id or epoch (every waiting batch numbered again). */
  adoptIdentity(identity: ProducerIdAndEpoch): void
  /** Fails the waiting batches of one partition (it could not join the transaction). */
  failPartition(queue: PartitionQueue, error: Error): void
  schedulePump(): void
  queues(): Iterable<PartitionQueue>
}

/** 'commit-failed': EndTxn(commit) got no answer; only commitTransaction may follow (as Java's retried commit). */
export type TransactionState = 'uninitialized' | 'ready' | 'in-transaction' | 'ending' | 'commit-failed' | 'fatal'

/** Answers to AddPartitionsToTxn after which the partitions are simply asked for again. */
const ADD_RETRY_ERRORS: ReadonlySet<number> = new Set([ErrorCode.CONCURRENT_TRANSACTIONS, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION])
const FENCING: ReadonlySet<number> = new Set([ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED])
/** Java retries CONCURRENT_TRANSACTIONS quickly: the previous transaction's markers are being written. */
const RETRY_BASE_MS = 20

export class TransactionManager {
  state: TransactionState = 'uninitialized'
  private readonly coordinators: CoordinatorLookup
  /** Partitions waiting for AddPartitionsToTxn, and whether a request for them is under way. */
  private readonly toAdd = new Set<PartitionQueue>()
  private adding = false
  /** The AddPartitionsToTxn under way: ending the transaction waits for it. */
  private pendingAdd: Promise<void> | null = null
  /** Something joined the open transaction (a partition or a group): EndTxn is needed. */
  private started = false

  constructor(
    private readonly cluster: Cluster,
    readonly transactionalId: string,
    private readonly timeoutMs: number,
    private readonly idempotence: Idempotence,
    private readonly host: TransactionHost,
  ) {
    this.coordinators = new CoordinatorLookup(cluster)
  }

  /** Records may be sent (between beginTransaction and commit or abort). */
  get open(): boolean {
    return this.state === 'in-transaction'
  }

  /**
   * The producer id and epoch of the transactional id, from its coordinator. Fences older producers of
   * the same id; a transaction they left open is aborted by the coordinator first (CONCURRENT_TRANSACTIONS
   * until then, retried here). Again after an abortable error: the current epoch is bumped (v3+).
   */
  async init(current: ProducerIdAndEpoch = NO_PRODUCER): Promise<void> {
    if (this.state === 'fatal') throw this.idempotence.fatalError!
    this.idempotence.state = 'initializing'
    const response = await this.retrying(() =>
      this.coordinators.withCoordinator(this.transactionalId, (broker) =>
        sendInitProducerId(broker, this.transactionalId, this.timeoutMs, canBumpEpoch(broker) ? current : NO_PRODUCER),
      (r) => r.errorCode, {type: CoordinatorType.TRANSACTION}),
      (r) => r.errorCode, isInitRetriable)
    this.host.adoptIdentity({producerId: response.producerId, epoch: response.producerEpoch})
    this.state = 'ready'
  }

  begin(): void {
    this.expectState('ready', 'beginTransaction')
    this.state = 'in-transaction'
    this.started = false
  }

  /** A partition with a batch to send that is not yet in the transaction (called by the producer's pump). */
  addPartition(queue: PartitionQueue): void {
    if (this.toAdd.has(queue)) return
    this.toAdd.add(queue)
    if (!this.adding) queueMicrotask(() => this.startAdding())
  }

  /** AddOffsetsToTxn, then TxnOffsetCommit at the group's coordinator: the offsets commit with the transaction. */
  async sendOffsets(offsets: TransactionOffset[], group: TransactionGroup): Promise<void> {
    this.expectState('in-transaction', 'sendOffsetsToTransaction')
    if (this.idempotence.abortableError) throw this.idempotence.abortableError
    const {producerId, epoch} = this.idempotence.identity
    try {
      await this.retrying(() =>
        this.coordinators.withCoordinator(this.transactionalId, (broker) =>
          broker.connection.request(ApiKey.AddOffsetsToTxn, broker.versions.version(ApiKey.AddOffsetsToTxn),
            {transactionalId: this.transactionalId, producerId, producerEpoch: epoch, groupId: group.groupId}),
        (r) => r.errorCode, {type: CoordinatorType.TRANSACTION}),
        (r) => r.errorCode, (code) => code === ErrorCode.CONCURRENT_TRANSACTIONS)
    } catch (error) {
      if (isTransportError(error)) this.started = true // sent: the group may have joined
      this.abortable(error as Error)
    }
    this.started = true
    await commitTransactionOffsets(this.coordinators, this.transactionalId, this.idempotence.identity, group, offsets)
      .catch((error: unknown) => this.abortable(error as Error))
  }

  /** Flushes, then EndTxn(commit). Throws (leaving the transaction to abort) if a record was not delivered. */
  async commit(): Promise<void> {
    if (this.state !== 'commit-failed') {
      this.expectState('in-transaction', 'commitTransaction')
      this.state = 'ending'
      try {
        await this.host.flush()
        if (this.idempotence.abortableError) throw this.idempotence.abortableError
      } catch (error) {
        this.abortable(error as Error)
      }
    }
    this.state = 'ending'
    try {
      await this.end(true)
    } catch (error) {
      // The coordinator may have committed: only the same EndTxn may follow (a repeat is answered alike).
      if (this.state === 'ending') this.state = 'commit-failed'
      throw error
    }
  }

  /** Drops the records not yet sent, waits for those in flight, then EndTxn(abort). */
  async abort(): Promise<void> {
    if (this.state === 'fatal') throw this.idempotence.fatalError!
    if (this.state === 'ready') return
    if (this.state === 'commit-failed') {
      throw new WeirError('WEIR_ERR_TRANSACTION_STATE', 'cannot abortTransaction: the commit was sent and its outcome is not known; retry commitTransaction()')
    }
    this.expectState('in-transaction', 'abortTransaction')
    this.state = 'ending'
    const sentDropped = this.host.discardUnsent(new WeirError('WEIR_ERR_TRANSACTION_ABORTED', 'the transaction was aborted before this record was sent'))
    await this.host.flush().catch(() => undefined)
    if (this.idempotence.fatalError) this.fatal(this.idempotence.fatalError)
    try {
      await this.end(false)
    } catch (error) {
      // Not ended: still open and abortable, so the abort may be tried again.
      if (this.state === 'ending') this.state = 'in-transaction'
      this.idempotence.abortableError ??= error as Error
      throw error
    }
    const astray = sentDropped || this.idempotence.abortableError !== null
    this.host.clearErrors()
    // A batch failed, or one that may be written was dropped: the broker's sequences and ours may differ,
    // so take the next epoch.
    if (astray) await this.init(this.idempotence.identity)
  }

  private async end(committed: boolean): Promise<void> {
    // An AddPartitionsToTxn under way may join partitions to this transaction: wait for it before deciding.
    while (this.pendingAdd) await this.pendingAdd
    this.toAdd.clear()
    if (this.started) {
      const {producerId, epoch} = this.idempotence.identity
      await this.retrying(() =>
        this.coordinators.withCoordinator(this.transactionalId, (broker) =>
          broker.connection.request(ApiKey.EndTxn, broker.versions.version(ApiKey.EndTxn),
            {transactionalId: this.transactionalId, producerId, producerEpoch: epoch, committed}),
        (r) => r.errorCode, {type: CoordinatorType.TRANSACTION}),
        (r) => r.errorCode, (code) => code === ErrorCode.CONCURRENT_TRANSACTIONS)
    }
    for (const queue of this.host.queues()) queue.inTransaction = false
    this.started = false
    this.state = 'ready'
  }

  /** Sends AddPartitionsToTxn for the partitions waiting, one request at a time; nothing once the transaction must abort. */
  private startAdding(): void {
    if (this.adding || this.toAdd.size === 0) return
    if (this.idempotence.abortableError || this.state === 'fatal') {
      this.toAdd.clear()
      this.host.schedulePump()
      return
    }
    this.adding = true
    this.pendingAdd = this.addWaitingPartitions().finally(() => {
      this.adding = false
      this.pendingAdd = null
      this.host.schedulePump()
      this.startAdding()
    })
  }

  private async addWaitingPartitions(): Promise<void> {
    const queues = [...this.toAdd]
    this.toAdd.clear()
    try {
      const failed = await this.sendAddPartitions(queues)
      for (const queue of queues) {
        const error = failed.get(queue)
        if (!error) {
          queue.inTransaction = true
          this.started = true
        } else {
          this.host.failPartition(queue, this.abortableOrFatal(error))
        }
      }
    } catch (error) {
      this.started = true // sent without an answer: the coordinator may have added them
      for (const queue of queues) this.host.failPartition(queue, this.abortableOrFatal(error as Error))
    }
  }

  /** AddPartitionsToTxn (v0-3, as clients send it) until no partition needs asking again; the partitions that failed. */
  private async sendAddPartitions(queues: PartitionQueue[]): Promise<Map<PartitionQueue, Error>> {
    const failed = new Map<PartitionQueue, Error>()
    const deadline = Date.now() + this.cluster.requestTimeoutMs
    let remaining = queues
    for (let attempt = 0; remaining.length > 0; attempt++) {
      const {producerId, epoch} = this.idempotence.identity
      const request = {transactions: [], v3AndBelowTransactionalId: this.transactionalId, v3AndBelowProducerId: producerId,
        v3AndBelowProducerEpoch: epoch, v3AndBelowTopics: byTopic(remaining)}
      const response = await this.coordinators.withCoordinator(this.transactionalId, (broker: BrokerConnection) =>
        broker.connection.request(ApiKey.AddPartitionsToTxn, Math.min(3, broker.versions.version(ApiKey.AddPartitionsToTxn)), request),
      firstAddError, {type: CoordinatorType.TRANSACTION})
      const retry: PartitionQueue[] = []
      for (const queue of remaining) {
        const code = partitionError(response, queue)
        if (code === ErrorCode.NONE) continue
        const error = new KafkaProtocolError(code, `transaction ${this.transactionalId}: ${queue.topic}/${queue.partition}`)
        if ((ADD_RETRY_ERRORS.has(code) || code === ErrorCode.OPERATION_NOT_ATTEMPTED) && Date.now() < deadline) retry.push(queue)
        else failed.set(queue, error)
      }
      remaining = retry
      if (remaining.length > 0) await sleep(backoffMs(attempt, RETRY_BASE_MS), this.cluster.signal)
    }
    return failed
  }

  /** Runs `send` again while its answer's error is retriable here, until the request timeout; throws other errors. */
  private async retrying<T>(send: () => Promise<T>, errorOf: (response: T) => number, retriable: (code: number) => boolean): Promise<T> {
    const deadline = Date.now() + this.cluster.requestTimeoutMs
    for (let attempt = 0; ; attempt++) {
      const response = await send()
      const code = errorOf(response)
      if (code === ErrorCode.NONE) return response
      const error = new KafkaProtocolError(code, `transaction ${this.transactionalId}`)
      if (!retriable(code) || Date.now() >= deadline) throw this.abortableOrFatal(error)
      await sleep(backoffMs(attempt, RETRY_BASE_MS), this.cluster.signal)
    }
  }

  /** Records the error: fencing ends the producer, anything else makes the open transaction abortable. */
  private abortableOrFatal(error: Error): Error {
    if (error instanceof KafkaProtocolError && FENCING.has(error.kafkaCode)) {
      this.idempotence.fail(error)
      this.state = 'fatal'
    } else {
      this.idempotence.abortableError ??= error
    }
    return error
  }

  /** Marks the open transaction abortable and throws the error (commit, sendOffsets). */
  private abortable(error: Error): never {
    this.abortableOrFatal(error)
    if (this.state === 'ending') this.state = 'in-transaction'
    throw error
  }

  private fatal(error: Error): never {
    this.idempotence.fail(error)
    this.state = 'fatal'
    throw error
  }

  private expectState(expected: TransactionState, operation: string): void {
    if (this.state === 'fatal') throw this.idempotence.fatalError!
    if (this.state === expected) return
    const why = this.state === 'uninitialized' ? 'initTransactions() first' : this.state === 'in-transaction' ? 'a transaction is open'
      : this.state === 'commit-failed' ? 'the commit\'s outcome is not known; retry commitTransaction()' : 'no transaction is open'
    throw new WeirError('WEIR_ERR_TRANSACTION_STATE', `cannot ${operation}: ${why}`)
  }
}

function byTopic(queues: PartitionQueue[]): {name: string; partitions: number[]}[] {
  const topics = new Map<string, number[]>()
  for (const queue of queues) {
    const partitions = topics.get(queue.topic) ?? []
    partitions.push(queue.partition)
    topics.set(queue.topic, partitions)
  }
  return [...topics].map(([name, partitions]) => ({name, partitions}))
}

function partitionError(response: AddPartitionsToTxnResponse, queue: PartitionQueue): number {
  const topic = response.resultsByTopicV3AndBelow.find((t) => t.name === queue.topic)
  const result = topic?.resultsByPartition.find((p) => p.partitionIndex === queue.partition)
  return result ? result.partitionErrorCode : ErrorCode.UNKNOWN_SERVER_ERROR
}

/** A coordinator error on any partition means the whole request went to the wrong broker. */
function firstAddError(response: AddPartitionsToTxnResponse): number {
  for (const topic of response.resultsByTopicV3AndBelow) for (const p of topic.resultsByPartition) if (p.partitionErrorCode !== 0) return p.partitionErrorCode
  return ErrorCode.NONE
}
