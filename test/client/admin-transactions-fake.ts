// Transaction coordinators and producer state in the fake cluster, for the transaction admin tests:
// ListTransactions, DescribeTransactions and DescribeProducers answered by interceptors. Each
// transactional id lives on the node FindCoordinator names for it (fake-group-admin-apis.ts places keys
// of either type the same way); other nodes answer NOT_COORDINATOR, and DescribeProducers answers
// NOT_LEADER_OR_FOLLOWER off the partition's leader, as Kafka's brokers do.
import {ApiKey, ErrorCode, type DescribedProducer} from '../../src/protocol/index.js'
import type {FakeCluster} from './fake-cluster.js'
import type {FakeGroups} from './fake-group-admin-apis.js'

export interface FakeTransaction {
  transactionalId: string
  producerId: number
  producerEpoch: number
  state: string
  timeoutMs: number
  startTimeMs: number
  partitions: {topic: string; partition: number}[]
}

export interface FakeTransactions {
  add(transaction: Partial<FakeTransaction> & {transactionalId: string}): void
  /** The active producers DescribeProducers reports for a partition. */
  setProducers(topic: string, partition: number, producers: DescribedProducer[]): void
  /** Errors a node answers ListTransactions with before answering (COORDINATOR_LOAD_IN_PROGRESS, say). */
  failListing(nodeId: number, errorCodes: number[]): void
}

const KNOWN_STATES = ['Empty', 'Ongoing', 'PrepareCommit', 'PrepareAbort', 'CompleteCommit', 'CompleteAbort', 'Dead', 'PrepareEpochFence']

export function fakeTransactions(fake: FakeCluster, groups: FakeGroups): FakeTransactions {
  const transactions = new Map<string, FakeTransaction>()
  const producers = new Map<string, DescribedProducer[]>()
  const listingFailures = new Map<number, number[]>()
  fake.intercept(ApiKey.ListTransactions, (request, context) => {
    const failure = listingFailures.get(context.node.nodeId)?.shift()
    const empty = {throttleTimeMs: 0, unknownStateFilters: [], transactionStates: []}
    if (failure !== undefined) return {...empty, errorCode: failure}
    const listed = [...transactions.values()].filter((t) => groups.coordinatorOf(t.transactionalId) === context.node.nodeId
      && (request.stateFilters.length === 0 || request.stateFilters.includes(t.state))
      && (request.producerIdFilters.length === 0 || request.producerIdFilters.includes(t.producerId)))
    return {
      ...empty,
      errorCode: ErrorCode.NONE,
      unknownStateFilters: request.stateFilters.filter((s) => !KNOWN_STATES.includes(s)),
      transactionStates: listed.map((t) => ({transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state})),
    }
  })
  fake.intercept(ApiKey.DescribeTransactions, (request, context) => ({
    throttleTimeMs: 0,
    transactionStates: request.transactionalIds.map((id) => {
      const t = transactions.get(id)
      const blank = {transactionalId: id, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: []}
      if (groups.coordinatorOf(id) !== context.node.nodeId) return {...blank, errorCode: ErrorCode.NOT_COORDINATOR}
      if (!t) return {...blank, errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND}
      const byTopic = new Map<string, number[]>()
      for (const {topic, partition} of t.partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition])
      return {
        errorCode: ErrorCode.NONE, transactionalId: id, transactionState: t.state, transactionTimeoutMs: t.timeoutMs,
        transactionStartTimeMs: t.startTimeMs, producerId: t.producerId, producerEpoch: t.producerEpoch,
        topics: [...byTopic].map(([topic, partitions]) => ({topic, partitions})),
      }
    }),
  }))
  fake.intercept(ApiKey.DescribeProducers, (request, context) => ({
    throttleTimeMs: 0,
    topics: request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => {
        const none = {partitionIndex, errorMessage: null, activeProducers: []}
        if (!fake.topics.get(t.name)?.partitions[partitionIndex]) return {...none, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}
        if (fake.leaderOf(partitionIndex) !== context.node.nodeId) return {...none, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER}
        return {...none, errorCode: ErrorCode.NONE, activeProducers: producers.get(`${t.name}/${partitionIndex}`) ?? []}
      }),
    })),
  }))
  return {
    add(transaction) {
      transactions.set(transaction.transactionalId, {
        producerId: 0, producerEpoch: 0, state: 'Empty', timeoutMs: 60_000, startTimeMs: -1, partitions: [], ...transaction,
      })
    },
    setProducers(topic, partition, list) {
      producers.set(`${topic}/${partition}`, list)
    },
    failListing(nodeId, errorCodes) {
      listingFailures.set(nodeId, [...errorCodes])
    },
  }
}
