/**
 * The transaction coordinator (Kafka's TransactionCoordinator): producer ids for idempotent and
 * transactional producers, and the state machine of each transactional id (transaction-transitions.ts)
 * over its persisted state in __transaction_state (transaction-log-writer.ts, replayed at start-up
 * by transaction-log-replay.ts).
 *
 * Every change is written and flushed before it is answered. While one is being written the id is
 * `pending` and other requests on it answer CONCURRENT_TRANSACTIONS, as in Kafka. Ending a
 * transaction writes PrepareCommit/PrepareAbort, then the markers to every partition of the
 * transaction (transaction-markers.ts), then CompleteCommit/CompleteAbort; EndTxn is answered once
 * that is done (Kafka answers after the Prepare state, and a client's next request waits until
 * the markers are written anyway). Markers that could not be written are retried by the periodic
 * task (transaction-timers.ts), which also aborts transactions past their timeout and forgets ids
 * unused for transactional.id.expiration.ms.
 */
import {ErrorCode} from '../../protocol/index.js'
import type {LogManager} from '../../storage/index.js'
import type {TransactionSettings} from '../broker-settings.js'
import type {OffsetStore} from '../groups/offset-store.js'
import {systemScheduler, type GroupScheduler} from '../groups/group-timers.js'
import {ProducerIdManager} from './producer-id-manager.js'
import {replayTransactionPartition} from './transaction-log-replay.js'
import {transactionRecord, transactionTombstone} from './transaction-log-records.js'
import {transactionLogErrorOf, TransactionLogWriter} from './transaction-log-writer.js'
import {writeMarkers} from './transaction-markers.js'
import {isEpochExhausted, TransactionMetadata, type TransactionPartitions,
  type TransactionState} from './transaction-metadata.js'
import {TransactionStateTopic, TRANSACTION_STATE_TOPIC} from './transaction-state-topic.js'
import {TransactionTimers} from './transaction-timers.js'
import {addPartitionsTransition, completeTransition, endTransition, fenced, initProducerIdTransition, newTransactionState,
  producerError, type ExpectedProducer} from './transaction-transitions.js'

export interface TransactionCoordinatorOptions {
  logs: LogManager
  offsets: OffsetStore
  settings: TransactionSettings
  log: (line: string) => void
  /** The clock and timers (tests move them). */
  scheduler?: GroupScheduler
}

export interface ProducerIdAndEpoch {
  readonly errorCode: number
  readonly producerId: number
  readonly producerEpoch: number
}

export class TransactionCoordinator {
  readonly scheduler: GroupScheduler
  private readonly txns = new Map<string, TransactionMetadata>()
  private readonly producerIds: ProducerIdManager
  private readonly topic: TransactionStateTopic
  private readonly writer: TransactionLogWriter
  private readonly timers: TransactionTimers
  /** Ids whose markers are being written, and the partitions still without one after a failure. */
  private readonly completing = new Set<string>()
  private readonly unfinished = new Map<string, TransactionPartitions>()

  constructor(private readonly options: TransactionCoordinatorOptions) {
    this.scheduler = options.scheduler ?? systemScheduler()
    this.producerIds = new ProducerIdManager(options.logs)
    this.topic = new TransactionStateTopic(options.logs, options.settings, options.log)
    this.writer = new TransactionLogWriter(this.topic, () => this.scheduler.now())
    this.timers = new TransactionTimers(this, options.settings, this.scheduler, options.log)
  }

  /** Replays __transaction_state (after the offsets were loaded) and completes the transactions left in Prepare*. */
  async load(): Promise<void> {
    const states = new Map<string, TransactionState>()
    const partitions = this.topic.partitions()
    let records = 0
    for (const partition of partitions) records += await replayTransactionPartition(partition, {states, log: this.options.log})
    for (const [id, state] of states) this.txns.set(id, new TransactionMetadata(id, state))
    if (partitions.length > 0) this.options.log(`loaded ${states.size} transactional ids from ${records} records of ${TRANSACTION_STATE_TOPIC}`)
    for (const txn of this.txns.values()) if (isPreparing(txn.state)) await this.complete(txn)
  }

  /** Starts the timeout, retry and expiry task. */
  start(): void {
    this.timers.start()
  }

  close(): void {
    this.timers.stop()
  }

  /** The metadata of every transactional id (ListTransactions, DescribeTransactions). */
  transactions(): ReadonlyMap<string, TransactionMetadata> {
    return this.txns
  }

  /** InitProducerId; `expected` is the producer id and epoch a v3+ request names (null when it names none). */
  async initProducerId(transactionalId: string | null, timeoutMs: number, expected: ExpectedProducer | null): Promise<ProducerIdAndEpoch> {
    if (transactionalId === null) {
      const producerId = await this.newProducerId()
      return producerId === null ? failed(ErrorCode.COORDINATOR_NOT_AVAILABLE) : {errorCode: ErrorCode.NONE, producerId, producerEpoch: 0}
    }
    if (transactionalId === '') return failed(ErrorCode.INVALID_REQUEST)
    if (timeoutMs <= 0 || timeoutMs > this.options.settings.maxTimeoutMs) return failed(ErrorCode.INVALID_TRANSACTION_TIMEOUT)
    const txn = await this.getOrCreate(transactionalId, timeoutMs)
    if (txn === null) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    // A new producer id is taken before the transition only when the epoch has run out.
    const spare = isEpochExhausted(txn.state.producerEpoch) ? await this.newProducerId() : null
    const transition = initProducerIdTransition(txn, expected, timeoutMs, this.scheduler.now(), () => spare ?? -1)
    if ('error' in transition) return failed(transition.error)
    const {next} = transition
    if (next.producerId < 0) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    if (next.status === 'PrepareAbort') {
      // The open transaction of an older instance is aborted first; the client retries meanwhile.
      const error = await this.endAndComplete(txn, next)
      return failed(error === ErrorCode.NONE ? ErrorCode.CONCURRENT_TRANSACTIONS : error)
    }
    const error = await this.transit(txn, next)
    return error === ErrorCode.NONE ? {errorCode: error, producerId: next.producerId, producerEpoch: next.producerEpoch} : failed(error)
  }

  /** AddPartitionsToTxn (and AddOffsetsToTxn, with the group's __consumer_offsets partition). */
  async addPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: TransactionPartitions): Promise<number> {
    if (transactionalId === '') return ErrorCode.INVALID_REQUEST
    const txn = this.txns.get(transactionalId)
    const transition = addPartitionsTransition(txn, producerId, producerEpoch, partitions, this.scheduler.now())
    if (transition === null) return ErrorCode.NONE
    if ('error' in transition) return transition.error
    return this.transit(txn!, transition.next)
  }

  /**
   * Whether the partition is in the producer's open transaction (Kafka's
   * handleVerifyPartitionsInTransaction): AddPartitionsToTxn v4+ VerifyOnly, and Produce before a
   * transactional batch is appended. NONE when it is; INVALID_PRODUCER_ID_MAPPING / PRODUCER_FENCED
   * for another producer; CONCURRENT_TRANSACTIONS while the transaction is being completed;
   * otherwise INVALID_TXN_STATE (Kafka's TRANSACTION_ABORTABLE, which its brokers turn back into
   * INVALID_TXN_STATE for clients before Produce v11).
   */
  verifyPartitions(transactionalId: string, producerId: number, producerEpoch: number, topic: string, partition: number): number {
    const txn = this.txns.get(transactionalId)
    const error = producerError(txn, producerId, producerEpoch)
    if (error !== ErrorCode.NONE) return error
    const {state} = txn!
    if (isPreparing(state)) return ErrorCode.CONCURRENT_TRANSACTIONS
    const open = state.status === 'Ongoing' && state.partitions.get(topic)?.includes(partition) === true
    return open ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE
  }

  /** EndTxn from the producer. */
  async endTransaction(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): Promise<number> {
    if (transactionalId === '') return ErrorCode.INVALID_REQUEST
    const txn = this.txns.get(transactionalId)
    const transition = endTransition(txn, producerId, producerEpoch, commit, this.scheduler.now())
    if ('error' in transition) return transition.error
    return this.endAndComplete(txn!, transition.next)
  }

  /**
   * Whether the producer may commit offsets of the group whose __consumer_offsets partition is
   * `offsetsPartition` in its transaction: its current epoch, an open transaction, and that
   * partition added by AddOffsetsToTxn.
   */
  txnOffsetCommitError(transactionalId: string, producerId: number, producerEpoch: number, offsetsPartition: number): number {
    const txn = this.txns.get(transactionalId)
    const error = producerError(txn, producerId, producerEpoch)
    if (error !== ErrorCode.NONE) return error
    const {state} = txn!
    const added = state.partitions.get('__consumer_offsets')?.includes(offsetsPartition) === true
    return state.status === 'Ongoing' && added ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE
  }

  /** Aborts every Ongoing transaction past its timeout, bumping the epoch (fencing the producer); resolves to how many. */
  async abortTimedOut(now: number = this.scheduler.now()): Promise<number> {
    let aborted = 0
    for (const txn of [...this.txns.values()]) {
      const {state} = txn
      if (state.status !== 'Ongoing' || txn.hasPending || state.startTimestamp + state.timeoutMs >= now) continue
      this.options.log(`aborting transaction ${txn.transactionalId} (producer ${state.producerId}, epoch ${state.producerEpoch}):`
        + ` open for more than its timeout of ${state.timeoutMs} ms`)
      if (await this.endAndComplete(txn, fenced(state, now)) === ErrorCode.NONE) aborted++
    }
    return aborted
  }

  /** Writes the markers of transactions whose markers could not all be written before. */
  async retryCompletions(): Promise<void> {
    for (const txn of [...this.txns.values()]) if (isPreparing(txn.state) && !txn.hasPending) await this.complete(txn)
  }

  /** Forgets (tombstones) the ids without an open transaction unused for transactional.id.expiration.ms; resolves to how many. */
  async expireTransactionalIds(now: number = this.scheduler.now()): Promise<number> {
    let expired = 0
    for (const txn of [...this.txns.values()]) {
      const {state} = txn
      const idle = state.status === 'Empty' || state.status === 'CompleteCommit' || state.status === 'CompleteAbort'
      if (!idle || txn.hasPending || state.lastUpdateTimestamp + this.options.settings.transactionalIdExpirationMs > now) continue
      txn.pending = {...state, status: 'Dead'}
      try {
        await this.writer.write(txn.transactionalId, transactionTombstone(txn.transactionalId), () => this.txns.delete(txn.transactionalId))
        expired++
      } catch (error) {
        this.options.log(`expiring transactional id ${txn.transactionalId} failed: ${(error as Error).message}`)
      } finally {
        txn.pending = null
      }
    }
    if (expired > 0) this.options.log(`removed ${expired} transactional ids unused for ${this.options.settings.transactionalIdExpirationMs} ms`)
    return expired
  }

  private async getOrCreate(transactionalId: string, timeoutMs: number): Promise<TransactionMetadata | null> {
    const existing = this.txns.get(transactionalId)
    if (existing !== undefined) return existing
    const producerId = await this.newProducerId()
    if (producerId === null) return null
    // Another request may have created it meanwhile: its producer id stands, this one goes unused.
    let txn = this.txns.get(transactionalId)
    if (txn === undefined) this.txns.set(transactionalId, txn = new TransactionMetadata(transactionalId, newTransactionState(producerId, timeoutMs, this.scheduler.now())))
    return txn
  }

  private async newProducerId(): Promise<number | null> {
    try {
      return await this.producerIds.generate()
    } catch (error) {
      this.options.log(`allocating producer ids failed: ${(error as Error).message}`)
      return null
    }
  }

  /** Writes `next` as the id's state; the error code of a failed write. */
  private async transit(txn: TransactionMetadata, next: TransactionState): Promise<number> {
    txn.pending = next
    try {
      await this.writer.write(txn.transactionalId, transactionRecord(txn.transactionalId, next), () => {
        txn.state = next
      })
      return ErrorCode.NONE
    } catch (error) {
      this.options.log(`writing the ${next.status} state of transactional id ${txn.transactionalId} failed: ${(error as Error).message}`)
      return transactionLogErrorOf(error)
    } finally {
      txn.pending = null
    }
  }

  /** Writes the Prepare state, then completes the transaction (its markers, then Complete*). */
  private async endAndComplete(txn: TransactionMetadata, prepare: TransactionState): Promise<number> {
    const error = await this.transit(txn, prepare)
    if (error === ErrorCode.NONE) await this.complete(txn)
    return error
  }

  /** Markers to the partitions still without one, then Complete*; a failure leaves it to retryCompletions. */
  private async complete(txn: TransactionMetadata): Promise<void> {
    const id = txn.transactionalId
    if (this.completing.has(id) || !isPreparing(txn.state)) return
    this.completing.add(id)
    try {
      const state = txn.state
      const end = {transactionalId: id, producerId: state.producerId, producerEpoch: state.producerEpoch,
        type: state.status === 'PrepareCommit' ? 'COMMIT' as const : 'ABORT' as const, timestamp: this.scheduler.now()}
      const failed = await writeMarkers(this.options, end, this.unfinished.get(id) ?? state.partitions)
      this.unfinished.set(id, failed)
      if (failed.size > 0) return
      if (await this.transit(txn, completeTransition(state, this.scheduler.now())) === ErrorCode.NONE) this.unfinished.delete(id)
    } finally {
      this.completing.delete(id)
    }
  }
}

function isPreparing(state: TransactionState): boolean {
  return state.status === 'PrepareCommit' || state.status === 'PrepareAbort'
}

function failed(errorCode: number): ProducerIdAndEpoch {
  return {errorCode, producerId: -1, producerEpoch: -1}
}
