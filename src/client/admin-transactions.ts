// Transaction administration, as Kafka's Admin listTransactions / describeTransactions /
// describeProducers: ListTransactions (66) goes to every broker, since each lists only the transactional
// ids it coordinates; DescribeTransactions (65) to each id's transaction coordinator (FindCoordinator key
// type 1, which may move); DescribeProducers (61) to each partition's leader, which keeps the producer state.
import {ApiKey, ErrorCode} from '../protocol/index.js'
import {groupByLeader} from './admin.js'
import type {Cluster} from './cluster.js'
import {CoordinatorLookup, CoordinatorType, isCoordinatorError} from './coordinator-lookup.js'
import {KafkaProtocolError, UnsupportedVersionError, unknownPartitionError} from './errors.js'
import {compareStrings} from './group-description.js'
import {backoffMs, sleep} from './retry.js'

export interface TransactionListing {
  transactionalId: string
  /** The broker coordinating the id (the one that listed it). */
  coordinatorId: number
  producerId: number
  /** Kafka's state name: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, ... */
  state: string
}

export interface ListTransactionsOptions {
  /** Only ids in these states (names as Kafka spells them); empty or absent: every state. */
  states?: string[]
  /** Only ids whose producer is one of these. */
  producerIds?: number[]
  /** Only transactions running for longer than this (ListTransactions v1+). */
  durationMs?: number
}

export interface TransactionDescription {
  transactionalId: string
  coordinatorId: number
  /** NONE, or TRANSACTIONAL_ID_NOT_FOUND (the coordinator does not know the id), ... */
  errorCode: number
  state: string
  producerId: number
  producerEpoch: number
  transactionTimeoutMs: number
  /** When the open transaction began (ms since the epoch); -1 without one. */
  transactionStartTimeMs: number
  /** The partitions of the open transaction, sorted. */
  partitions: {topic: string; partition: number}[]
}

export interface ProducerStateDescription {
  producerId: number
  producerEpoch: number
  lastSequence: number
  /** -1 when unknown. */
  lastTimestamp: number
  coordinatorEpoch: number
  /** First offset of the producer's open transaction in the partition; -1 without one. */
  currentTransactionStartOffset: number
}

export interface PartitionProducers {
  topic: string
  partition: number
  errorCode: number
  errorMessage: string | null
  activeProducers: ProducerStateDescription[]
}

const LIST_TRANSACTIONS_DURATION_VERSION = 1
/** Attempts per broker while it answers COORDINATOR_LOAD_IN_PROGRESS (it is loading __transaction_state). */
const LIST_ATTEMPTS = 5

export class TransactionAdmin {
  constructor(private readonly cluster: Cluster, private readonly lookup: CoordinatorLookup) {}

  /** The transactional ids every broker coordinates, sorted by id. */
  async listTransactions(options: ListTransactionsOptions = {}): Promise<TransactionListing[]> {
    const {brokers} = await this.cluster.metadata([])
    const perBroker = await Promise.all(brokers.map((broker) => this.listOn(broker.nodeId, options)))
    return perBroker.flat().sort((a, b) => compareStrings(a.transactionalId, b.transactionalId))
  }

  /** One description per id, in order, from each id's coordinator; an unknown id carries TRANSACTIONAL_ID_NOT_FOUND. */
  async describeTransactions(transactionalIds: string[]): Promise<TransactionDescription[]> {
    if (transactionalIds.length === 0) return []
    const answers = await this.lookup.withCoordinators(transactionalIds, async (broker, ids, coordinatorId) => {
      const response = await broker.connection.request(ApiKey.DescribeTransactions, broker.versions.version(ApiKey.DescribeTransactions), {
        transactionalIds: ids,
      })
      return response.transactionStates.map((state): TransactionDescription => ({
        transactionalId: state.transactionalId,
        coordinatorId,
        errorCode: state.errorCode,
        state: state.transactionState,
        producerId: state.producerId,
        producerEpoch: state.producerEpoch,
        transactionTimeoutMs: state.transactionTimeoutMs,
        transactionStartTimeMs: state.transactionStartTimeMs,
        partitions: state.topics
          .flatMap(({topic, partitions}) => partitions.map((partition) => ({topic, partition})))
          .sort((a, b) => compareStrings(a.topic, b.topic) || a.partition - b.partition),
      }))
    }, (description) => description.transactionalId, (description) => description.errorCode, {type: CoordinatorType.TRANSACTION})
    return transactionalIds.map((id) => answers.get(id)!)
  }

  /**
   * The active producers of partitions of one topic, asked of each partition's leader, one answer per
   * partition in partition order; per-partition failures come back as error codes (NOT_LEADER_OR_FOLLOWER
   * is not retried: an admin tool reports it), a partition the topic lacks throws.
   */
  async describeProducers(topic: string, partitions: number[]): Promise<PartitionProducers[]> {
    const [metadata] = await this.cluster.readyTopics([topic])
    for (const partition of partitions) {
      if (!metadata!.partitions.some((known) => known.partition === partition)) throw unknownPartitionError(topic, partition, metadata!.partitions.length)
    }
    const answers = await Promise.all(groupByLeader(this.cluster, topic, [...new Set(partitions)]).map(async ([leader, group]) => {
      const broker = await this.cluster.connectionTo(leader)
      const response = await broker.connection.request(ApiKey.DescribeProducers, broker.versions.version(ApiKey.DescribeProducers), {
        topics: [{name: topic, partitionIndexes: group}],
      })
      return response.topics.flatMap((t) => t.partitions.map((p): PartitionProducers => ({
        topic: t.name,
        partition: p.partitionIndex,
        errorCode: p.errorCode,
        errorMessage: p.errorMessage,
        activeProducers: p.activeProducers
          .map((producer) => ({
            producerId: producer.producerId,
            producerEpoch: producer.producerEpoch,
            lastSequence: producer.lastSequence,
            lastTimestamp: producer.lastTimestamp,
            coordinatorEpoch: producer.coordinatorEpoch,
            currentTransactionStartOffset: producer.currentTxnStartOffset,
          }))
          .sort((a, b) => a.producerId - b.producerId),
      })))
    }))
    const answered = new Map(answers.flat().map((answer) => [answer.partition, answer]))
    return [...new Set(partitions)].sort((a, b) => a - b).map((partition) => answered.get(partition) ?? {
      topic, partition, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'the broker did not answer for this partition', activeProducers: [],
    })
  }

  private async listOn(nodeId: number, options: ListTransactionsOptions): Promise<TransactionListing[]> {
    for (let attempt = 0; ; attempt++) {
      const broker = await this.lookup.connectionTo(nodeId)
      const version = broker.versions.version(ApiKey.ListTransactions)
      const durationFilter = options.durationMs ?? -1
      if (durationFilter >= 0 && version < LIST_TRANSACTIONS_DURATION_VERSION) {
        throw new UnsupportedVersionError(`broker ${nodeId} cannot filter transactions by duration (ListTransactions v${version}; v1 is needed)`)
      }
      const response = await broker.connection.request(ApiKey.ListTransactions, version, {
        stateFilters: options.states ?? [],
        producerIdFilters: options.producerIds ?? [],
        durationFilter,
      })
      if (response.errorCode === ErrorCode.NONE) {
        return response.transactionStates.map((t) => ({
          transactionalId: t.transactionalId, coordinatorId: nodeId, producerId: t.producerId, state: t.transactionState,
        }))
      }
      if (!isCoordinatorError(response.errorCode) || attempt + 1 >= LIST_ATTEMPTS) {
        throw new KafkaProtocolError(response.errorCode, `ListTransactions on broker ${nodeId}`)
      }
      await sleep(backoffMs(attempt, 100), this.cluster.signal)
    }
  }
}
