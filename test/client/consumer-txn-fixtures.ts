// Transactions in the fake cluster for the read_committed consumer tests: transactional batches and
// markers appended to a fake partition, and Fetch / ListOffsets answered as a broker answers
// IsolationLevel 1 (serveReadCommitted): data only below the last stable offset, LastStableOffset, and the
// aborted transactions overlapping what is returned (Kafka's collectAbortedTxns). The fake's own handlers
// stay read_uncommitted; this wraps them with interceptors, so the transaction bookkeeping here is derived
// from the stored batches on every request, as simple as a test needs.
import {
  ApiKey, encodeControlBatch, encodeRecordBatch, readBatchHeader, controlBatchType, type Compression, type TransactionMarkerType,
} from '../../src/protocol/index.js'
import type {FakeCluster, FakePartition} from './fake-cluster.js'

export interface TransactionalAppend {
  producerId: number
  producerEpoch?: number
  compression?: Compression
}

/** Appends one transactional batch of `values` for a producer; returns its base offset. */
export async function appendTransactional(fake: FakeCluster, topic: string, partition: number, values: string[],
  opts: TransactionalAppend): Promise<number> {
  const records = values.map((value) => ({key: null, value: Buffer.from(value), headers: [], timestamp: 1_700_000_000_000}))
  const batch = await encodeRecordBatch(records, {
    compression: opts.compression ?? 'none', producerId: opts.producerId, producerEpoch: opts.producerEpoch ?? 0, baseSequence: 0, transactional: true,
  })
  const offset = fake.partition(topic, partition).append(batch)
  fake.notifyAppend()
  return offset
}

/** Appends an idempotent (not transactional) batch of a producer. */
export async function appendIdempotent(fake: FakeCluster, topic: string, partition: number, values: string[], producerId: number): Promise<void> {
  const records = values.map((value) => ({key: null, value: Buffer.from(value), headers: [], timestamp: 1_700_000_000_000}))
  fake.partition(topic, partition).append(await encodeRecordBatch(records, {compression: 'none', producerId, producerEpoch: 0, baseSequence: 0}))
  fake.notifyAppend()
}

/** Appends the COMMIT or ABORT marker ending a producer's transaction in the partition. */
export function appendMarker(fake: FakeCluster, topic: string, partition: number, producerId: number, type: TransactionMarkerType): void {
  fake.partition(topic, partition).append(encodeControlBatch({producerId, producerEpoch: 0, type, coordinatorEpoch: 0, timestamp: 1_700_000_000_000}))
  fake.notifyAppend()
}

interface AbortedRange {
  producerId: number
  firstOffset: number
  lastOffset: number
}

/** The partition's transactions as a broker keeps them: the last stable offset and the aborted ones. */
export function transactionsOf(partition: FakePartition): {lastStableOffset: number; aborted: AbortedRange[]} {
  const ongoing = new Map<number, number>()
  const aborted: AbortedRange[] = []
  for (const batch of partition.batches) {
    const header = readBatchHeader(batch)
    if (!header.isTransactional) continue
    const first = ongoing.get(header.producerId)
    if (!header.isControl) {
      if (first === undefined) ongoing.set(header.producerId, header.baseOffset)
      continue
    }
    ongoing.delete(header.producerId)
    if (controlBatchType(batch) === 'ABORT' && first !== undefined) {
      aborted.push({producerId: header.producerId, firstOffset: first, lastOffset: header.baseOffset})
    }
  }
  const lastStableOffset = Math.min(partition.highWatermark, ...ongoing.values())
  return {lastStableOffset, aborted}
}

/** Whole batches of `records` below `end`. */
function cutAt(records: Buffer, end: number): Buffer {
  let at = 0
  while (at < records.length) {
    const header = readBatchHeader(records, at)
    if (header.baseOffset >= end) break
    at += 12 + header.batchLength
  }
  return records.subarray(0, at)
}

/** Offset after the last batch of `records`, or `fallback` when there is none. */
function endOf(records: Buffer, fallback: number): number {
  let end = fallback
  for (let at = 0; at < records.length;) {
    const header = readBatchHeader(records, at)
    end = header.baseOffset + header.lastOffsetDelta + 1
    at += 12 + header.batchLength
  }
  return end
}

/**
 * Makes the fake answer read_committed Fetch and ListOffsets requests as a broker does; counts the
 * read_committed fetches in the returned object.
 */
export function serveReadCommitted(fake: FakeCluster): {committedFetches: number} {
  const seen = {committedFetches: 0}
  const partitionOf = (topic: {topic: string; topicId: string}, index: number): FakePartition | undefined => {
    const found = fake.topics.get(topic.topic) ?? [...fake.topics.values()].find((t) => t.topicId === topic.topicId)
    return found?.partitions[index]
  }
  fake.intercept(ApiKey.Fetch, async (request, _context, next) => {
    if (request.isolationLevel !== 1) return next()
    seen.committedFetches++
    const stable = (): boolean => request.topics.some((t) => t.partitions.some((p) => {
      const partition = partitionOf(t, p.partition)
      return partition !== undefined && p.fetchOffset < transactionsOf(partition).lastStableOffset
    }))
    // Nothing stable to read: hold the fetch as a broker does (the fake's own wait looks at the high watermark).
    if (!stable() && request.maxWaitMs > 0) await fake.waitForAppend(request.maxWaitMs)
    const reply = await next()
    if (typeof reply !== 'object' || 'raw' in reply) return reply
    reply.responses.forEach((topicResponse, t) => {
      for (const p of topicResponse.partitions) {
        const requested = request.topics[t]!.partitions.find((r) => r.partition === p.partitionIndex)!
        const partition = partitionOf(request.topics[t]!, p.partitionIndex)
        if (!partition || p.errorCode !== 0) continue
        const {lastStableOffset, aborted} = transactionsOf(partition)
        p.records = cutAt(p.records ?? Buffer.alloc(0), lastStableOffset)
        p.lastStableOffset = lastStableOffset
        const upper = endOf(p.records, lastStableOffset)
        p.abortedTransactions = aborted
          .filter((a) => a.lastOffset >= requested.fetchOffset && a.firstOffset < upper)
          .map(({producerId, firstOffset}) => ({producerId, firstOffset}))
      }
    })
    return reply
  })
  fake.intercept(ApiKey.ListOffsets, async (request, _context, next) => {
    const reply = await next()
    if (request.isolationLevel !== 1 || typeof reply !== 'object' || 'raw' in reply) return reply
    reply.topics.forEach((topicResponse, t) => {
      for (const p of topicResponse.partitions) {
        const asked = request.topics[t]!.partitions.find((r) => r.partitionIndex === p.partitionIndex)
        const partition = fake.topics.get(topicResponse.name)?.partitions[p.partitionIndex]
        if (asked?.timestamp === -1 && partition && p.errorCode === 0) p.offset = transactionsOf(partition).lastStableOffset
      }
    })
    return reply
  })
  return seen
}
