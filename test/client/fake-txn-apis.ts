// The fake cluster's producer ids and transactions: InitProducerId (a fresh id without a transactional id;
// with one, the next epoch, aborting an open transaction first), AddPartitionsToTxn (v0-3), AddOffsetsToTxn,
// TxnOffsetCommit (offsets pending until EndTxn), EndTxn (COMMIT or ABORT markers appended to every
// partition of the transaction, pending offsets applied or dropped). The transaction coordinator of an id is
// the node FindCoordinator names for it (fake-group-admin-apis.ts). checkedProduce is the Produce of a broker
// that checks sequences as Kafka does (protocol.md section 5), for the producer tests to install.
import {
  ApiKey,
  ErrorCode,
  encodeControlBatch,
  readBatchHeader,
  splitBatches,
  type ApiKeyValue,
  type RequestTypes,
  type ResponseTypes,
} from '../../src/protocol/index.js'
import type {FakeCluster, Reply, RequestContext} from './fake-cluster.js'
import {fakeGroups} from './fake-group-admin-apis.js'

export interface FakeTransaction {
  transactionalId: string
  producerId: number
  epoch: number
  timeoutMs: number
  state: 'Empty' | 'Ongoing' | 'CompleteCommit' | 'CompleteAbort'
  /** "topic/partition" of the open transaction. */
  partitions: Set<string>
  groups: Set<string>
  /** Offsets committed in the open transaction, by group: [topic, partition, offset]. */
  pendingOffsets: Map<string, [string, number, number][]>
}

/** Per partition and producer id, what a broker keeps for idempotence (the last 5 batches). */
interface ProducerEntry {
  epoch: number
  lastSequence: number
  batches: {firstSequence: number; lastSequence: number; baseOffset: number}[]
}

export class FakeTxns {
  readonly transactions = new Map<string, FakeTransaction>()
  /** Markers written: [topic/partition, 'COMMIT' | 'ABORT', producerId]. */
  readonly markers: [string, string, number][] = []
  private readonly producers = new Map<string, Map<number, ProducerEntry>>()
  private nextProducerId = 1000

  constructor(private readonly cluster: FakeCluster) {}

  newProducerId(): number {
    return this.nextProducerId++
  }

  /** Forgets every producer's sequences (a broker that lost its producer state). */
  forgetProducers(): void {
    this.producers.clear()
  }

  /** Kafka's append checks for one batch: the offset it was (or is now) written at, or an error code. */
  append(topic: string, partition: number, batch: Buffer): {errorCode: number; baseOffset: number} {
    const header = readBatchHeader(batch)
    const log = this.cluster.partition(topic, partition)
    if (header.producerId < 0) return {errorCode: 0, baseOffset: log.append(batch)}
    const key = `${topic}/${partition}`
    const entries = this.producers.get(key) ?? new Map<number, ProducerEntry>()
    this.producers.set(key, entries)
    const entry = entries.get(header.producerId)
    const first = header.baseSequence
    const last = (first + header.recordCount - 1) % 2 ** 31
    if (entry) {
      const duplicate = entry.epoch === header.producerEpoch && entry.batches.find((b) => b.firstSequence === first && b.lastSequence === last)
      if (duplicate) return {errorCode: 0, baseOffset: duplicate.baseOffset}
      if (header.producerEpoch < entry.epoch) return {errorCode: ErrorCode.INVALID_PRODUCER_EPOCH, baseOffset: -1}
      const expected = header.producerEpoch > entry.epoch ? 0 : (entry.lastSequence + 1) % 2 ** 31
      if (first !== expected) return {errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, baseOffset: -1}
    }
    const baseOffset = log.append(batch)
    const kept = entry && entry.epoch === header.producerEpoch ? entry.batches.slice(-4) : []
    entries.set(header.producerId, {epoch: header.producerEpoch, lastSequence: last, batches: [...kept, {firstSequence: first, lastSequence: last, baseOffset}]})
    return {errorCode: 0, baseOffset}
  }

  /** Ends the transaction: a marker on each of its partitions, pending offsets applied (commit) or dropped. */
  end(txn: FakeTransaction, commit: boolean): void {
    const type = commit ? 'COMMIT' : 'ABORT'
    for (const key of txn.partitions) {
      const at = key.lastIndexOf('/')
      const marker = encodeControlBatch({producerId: txn.producerId, producerEpoch: txn.epoch, type, coordinatorEpoch: 0, timestamp: Date.now()})
      this.cluster.partition(key.slice(0, at), Number(key.slice(at + 1))).append(marker)
      this.markers.push([key, type, txn.producerId])
    }
    if (commit) {
      for (const [group, offsets] of txn.pendingOffsets) {
        for (const [topic, partition, offset] of offsets) fakeGroups(this.cluster).commit(group, topic, partition, offset)
      }
    }
    txn.partitions.clear()
    txn.groups.clear()
    txn.pendingOffsets.clear()
    txn.state = commit ? 'CompleteCommit' : 'CompleteAbort'
    this.cluster.notifyAppend()
  }
}

const registry = new WeakMap<FakeCluster, FakeTxns>()

export function fakeTxns(cluster: FakeCluster): FakeTxns {
  let txns = registry.get(cluster)
  if (!txns) registry.set(cluster, (txns = new FakeTxns(cluster)))
  return txns
}

/** The fake's Produce with Kafka's sequence checks; tests install it with intercept (or call it as `next`). */
export function checkedProduce(cluster: FakeCluster, request: RequestTypes[0], context: RequestContext): Reply<0> {
  const txns = fakeTxns(cluster)
  const responses = request.topicData.map((topicData) => ({
    name: topicData.name,
    partitionResponses: topicData.partitionData.map(({index, records}) => {
      if (!cluster.topics.get(topicData.name)?.partitions[index]) return {index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1}
      if (cluster.leaderOf(index) !== context.node.nodeId) return {index, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, baseOffset: -1}
      let answer = {errorCode: 0, baseOffset: -1}
      for (const batch of splitBatches(records ?? Buffer.alloc(0))) {
        const result = txns.append(topicData.name, index, batch)
        if (answer.baseOffset < 0 || result.errorCode !== 0) answer = result
        if (result.errorCode !== 0) break
      }
      return {index, ...answer, logAppendTimeMs: -1, logStartOffset: 0}
    }),
  }))
  cluster.notifyAppend()
  if (request.acks === 0) return 'no-response'
  return {responses, throttleTimeMs: 0} as unknown as ResponseTypes[0]
}

/** The transaction APIs, or undefined for other keys (the hook in fake-cluster.ts). */
export function answerTxn(cluster: FakeCluster, apiKey: ApiKeyValue, body: unknown, context: RequestContext): Reply<ApiKeyValue> | undefined {
  switch (apiKey) {
    case ApiKey.InitProducerId:
      return initProducerId(cluster, body as RequestTypes[22], context) as Reply<ApiKeyValue>
    case ApiKey.AddPartitionsToTxn:
      return addPartitions(cluster, body as RequestTypes[24], context) as Reply<ApiKeyValue>
    case ApiKey.AddOffsetsToTxn:
      return {throttleTimeMs: 0, errorCode: check(cluster, body as RequestTypes[25], context, (txn) => txn.groups.add((body as RequestTypes[25]).groupId))} as Reply<ApiKeyValue>
    case ApiKey.TxnOffsetCommit:
      return txnOffsetCommit(cluster, body as RequestTypes[28]) as Reply<ApiKeyValue>
    case ApiKey.EndTxn:
      return endTxn(cluster, body as RequestTypes[26], context) as Reply<ApiKeyValue>
    default:
      return undefined
  }
}

function initProducerId(cluster: FakeCluster, request: RequestTypes[22], context: RequestContext): ResponseTypes[22] {
  const txns = fakeTxns(cluster)
  const id = request.transactionalId
  if (id === null) return {throttleTimeMs: 0, errorCode: 0, producerId: txns.newProducerId(), producerEpoch: 0}
  if (fakeGroups(cluster).coordinatorOf(id) !== context.node.nodeId) return {throttleTimeMs: 0, errorCode: ErrorCode.NOT_COORDINATOR, producerId: -1, producerEpoch: -1}
  let txn = txns.transactions.get(id)
  if (!txn) {
    txn = {transactionalId: id, producerId: txns.newProducerId(), epoch: 0, timeoutMs: request.transactionTimeoutMs, state: 'Empty',
      partitions: new Set(), groups: new Set(), pendingOffsets: new Map()}
    txns.transactions.set(id, txn)
    return {throttleTimeMs: 0, errorCode: 0, producerId: txn.producerId, producerEpoch: 0}
  }
  if (request.producerId >= 0 && (request.producerId !== txn.producerId || request.producerEpoch !== txn.epoch)) {
    return {throttleTimeMs: 0, errorCode: ErrorCode.PRODUCER_FENCED, producerId: -1, producerEpoch: -1}
  }
  if (txn.state === 'Ongoing') txns.end(txn, false)
  txn.epoch++
  txn.timeoutMs = request.transactionTimeoutMs
  return {throttleTimeMs: 0, errorCode: 0, producerId: txn.producerId, producerEpoch: txn.epoch}
}

/** The error code for a request on a transaction, running `then` when there is none. */
function check(cluster: FakeCluster, request: {transactionalId: string; producerId: number; producerEpoch: number}, context: RequestContext,
  then: (txn: FakeTransaction) => void): number {
  if (fakeGroups(cluster).coordinatorOf(request.transactionalId) !== context.node.nodeId) return ErrorCode.NOT_COORDINATOR
  const txn = fakeTxns(cluster).transactions.get(request.transactionalId)
  if (!txn || txn.producerId !== request.producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING
  if (txn.epoch !== request.producerEpoch) return context.version >= 2 ? ErrorCode.PRODUCER_FENCED : ErrorCode.INVALID_PRODUCER_EPOCH
  then(txn)
  return ErrorCode.NONE
}

function addPartitions(cluster: FakeCluster, request: RequestTypes[24], context: RequestContext): ResponseTypes[24] {
  const ask = {transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId, producerEpoch: request.v3AndBelowProducerEpoch}
  const errorCode = check(cluster, ask, context, (txn) => {
    txn.state = 'Ongoing'
    for (const topic of request.v3AndBelowTopics) for (const p of topic.partitions) txn.partitions.add(`${topic.name}/${p}`)
  })
  const resultsByTopicV3AndBelow = request.v3AndBelowTopics.map((topic) => ({
    name: topic.name,
    resultsByPartition: topic.partitions.map((partitionIndex) => ({partitionIndex, partitionErrorCode: errorCode})),
  }))
  return {throttleTimeMs: 0, errorCode: 0, resultsByTransaction: [], resultsByTopicV3AndBelow}
}

function txnOffsetCommit(cluster: FakeCluster, request: RequestTypes[28]): ResponseTypes[28] {
  const txn = fakeTxns(cluster).transactions.get(request.transactionalId)
  const allowed = txn !== undefined && txn.groups.has(request.groupId) && txn.epoch === request.producerEpoch
  const errorCode = allowed ? 0 : ErrorCode.INVALID_TXN_STATE
  if (allowed) {
    const pending = txn.pendingOffsets.get(request.groupId) ?? []
    for (const topic of request.topics) for (const p of topic.partitions) pending.push([topic.name, p.partitionIndex, p.committedOffset])
    txn.pendingOffsets.set(request.groupId, pending)
  }
  const topics = request.topics.map((topic) => ({name: topic.name, partitions: topic.partitions.map((p) => ({partitionIndex: p.partitionIndex, errorCode}))}))
  return {throttleTimeMs: 0, topics}
}

function endTxn(cluster: FakeCluster, request: RequestTypes[26], context: RequestContext): ResponseTypes[26] {
  const errorCode = check(cluster, request, context, (txn) => {
    if (txn.state === 'Ongoing') fakeTxns(cluster).end(txn, request.committed)
    else txn.state = request.committed ? 'CompleteCommit' : 'CompleteAbort'
  })
  return {throttleTimeMs: 0, errorCode, producerId: -1, producerEpoch: -1}
}
