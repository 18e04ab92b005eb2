// The fake cluster's answers to the record APIs: Produce (appends at each partition's leader; no answer
// with acks=0), Fetch (long-polls until an append or maxWaitMs; topic ids from v13) and ListOffsets.
// Separate from fake-cluster.ts, which owns connections and dispatch, as fake-admin-apis.ts is.
import {ErrorCode, splitBatches, type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import type {FakeCluster, Reply, RequestContext} from './fake-cluster.js'
import {offsetFor} from './fake-partition.js'

export function produce(cluster: FakeCluster, request: RequestTypes[0], context: RequestContext): Reply<0> {
  const responses = request.topicData.map((topicData) => ({
    name: topicData.name,
    partitionResponses: topicData.partitionData.map(({index, records}) => {
      const topic = cluster.topics.get(topicData.name)
      const partition = topic?.partitions[index]
      if (!partition) return {index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1}
      if (cluster.leaderOf(index) !== context.node.nodeId) return {index, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, baseOffset: -1}
      let baseOffset = -1
      for (const batch of splitBatches(records ?? Buffer.alloc(0))) {
        const offset = partition.append(batch)
        if (baseOffset < 0) baseOffset = offset
      }
      return {index, errorCode: 0, baseOffset, logAppendTimeMs: -1, logStartOffset: partition.logStartOffset}
    }),
  }))
  cluster.notifyAppend()
  if (request.acks === 0) return 'no-response'
  return {responses, throttleTimeMs: 0} as unknown as ResponseTypes[0]
}

export async function fetch(cluster: FakeCluster, request: RequestTypes[1], context: RequestContext): Promise<ResponseTypes[1]> {
  const byId = new Map([...cluster.topics.values()].map((t) => [t.topicId, t.name]))
  const nameOf = (topic: {topic: string; topicId: string}): string =>
    context.version >= 13 ? (byId.get(topic.topicId) ?? '') : topic.topic
  const hasData = (): boolean =>
    request.topics.some((t) =>
      t.partitions.some((p) => {
        const partition = cluster.topics.get(nameOf(t))?.partitions[p.partition]
        return partition !== undefined && p.fetchOffset < partition.highWatermark
      }),
    )
  if (!hasData() && request.maxWaitMs > 0) await cluster.waitForAppend(request.maxWaitMs)
  let budget = request.maxBytes
  const responses = request.topics.map((t) => ({
    topic: t.topic,
    topicId: t.topicId,
    partitions: t.partitions.map((p) => {
      const partition = cluster.topics.get(nameOf(t))?.partitions[p.partition]
      const base = {partitionIndex: p.partition, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1}
      if (!partition) return {...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, records: null}
      if (p.fetchOffset < partition.logStartOffset || p.fetchOffset > partition.highWatermark) {
        return {...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: partition.highWatermark, records: null}
      }
      if (p.fetchOffset >= partition.corruptFrom) return {...base, errorCode: ErrorCode.CORRUPT_MESSAGE, highWatermark: partition.highWatermark, records: null}
      const records = budget > 0 ? partition.read(p.fetchOffset, Math.min(p.partitionMaxBytes, budget)) : Buffer.alloc(0)
      budget -= records.length
      return {...base, errorCode: 0, highWatermark: partition.highWatermark, lastStableOffset: partition.highWatermark, records}
    }),
  }))
  return {throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses} as unknown as ResponseTypes[1]
}

export function listOffsets(cluster: FakeCluster, request: RequestTypes[2]): ResponseTypes[2] {
  const topics = request.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => {
      const partition = cluster.topics.get(t.name)?.partitions[p.partitionIndex]
      if (!partition) return {partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1}
      return {partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset: offsetFor(partition, p.timestamp)}
    }),
  }))
  return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[2]
}
