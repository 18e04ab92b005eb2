/**
 * Fetch (key 1), versions 4-17 (4 is the first with RecordBatch v2 semantics and the oldest any
 * supported client sends: kafka-python 2.0.2; AK 4.0 starts there too).
 *
 * Behaviour: every requested partition is answered (Java rejects responses with omissions). Records
 * are the partition's stored bytes from the batch containing FetchOffset, never decoded: up to
 * PartitionMaxBytes per partition and MaxBytes in all, both capped by the broker's fetch.max.bytes
 * (55 MiB, so no client can make one response hold gigabytes), except that the first partition with
 * data always gets at least one whole batch (KIP-74); a later partition gets only whole batches that fit.
 * No data is an empty buffer, never null (kafka-python 2.0.2 crashes on null).
 * HighWatermark = log end; LastStableOffset = the first offset of the earliest open transaction,
 * else the log end (storage's producer state); PreferredReadReplica -1.
 * IsolationLevel 1 (read_committed) serves only batches below the last stable offset (a fetch at or
 * above it, up to the high watermark, is answered empty, not out of range) and answers
 * AbortedTransactions: the producer id and first offset of each aborted transaction overlapping the
 * served offsets, from the segments' .txnindex, so the consumer can drop those batches up to their
 * ABORT marker. Cutting at the last stable offset reads batch headers only (it is a batch's first
 * offset). read_uncommitted (0) answers AbortedTransactions empty.
 * Offset outside [log start, log end] -> 1; unknown topic -> 3, unknown topic id (v13+) -> 100;
 * a damaged batch where the read leads (storage's CorruptLogError) -> 2, logged once per defect;
 * CurrentLeaderEpoch newer than ours (0) -> 75. zstd batches are served to every version, although
 * AK refuses them below v10 (76): kafka-python 2.0.2 fetches with v4 and decodes zstd.
 *
 * Long poll: with less than MinBytes available the answer waits for an append to one of the
 * requested partitions, a topic deletion, broker shutdown, the client hanging up, or MaxWaitMs, then
 * reads again. Errors answer at once, and so does a request whose client has already hung up.
 * While it waits the request is parked: its connection serves the requests pipelined behind it.
 *
 * Fetch sessions (KIP-227) are not offered: SessionId is always 0, so clients send full requests;
 * a request naming a session (SessionId != 0 or SessionEpoch > 0) gets 70 at top level.
 *
 * Version notes: v4 IsolationLevel, LastStableOffset, AbortedTransactions; v5 LogStartOffset; v7
 * sessions; v9 CurrentLeaderEpoch; v10 zstd; v11 RackId, PreferredReadReplica; v12 flexible; v13
 * TopicId replaces the topic name; v15 ReplicaState; v16 NodeEndpoints; v17 ReplicaDirectoryId.
 */
import {performance} from 'node:perf_hooks'
import {ApiKey, BATCH_HEADER_SIZE, ErrorCode, LOG_OVERHEAD, splitBatches, ZERO_UUID, type AbortedTransaction,
  type FetchableTopicResponse, type FetchPartition, type FetchRequest, type FetchResponse, type FetchTopic,
  type PartitionData} from '../../protocol/index.js'
import {BATCH_LENGTH_AT, CorruptLogError, LAST_OFFSET_DELTA_AT, OffsetOutOfRangeError, type PartitionLog} from '../../storage/index.js'
import {waitForAppend} from '../append-wait.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

const FIRST_TOPIC_ID_VERSION = 13
const READ_COMMITTED = 1
const EMPTY = Buffer.alloc(0)

/** One pass over the request: the response, how many record bytes it holds, and what to wait on. */
interface FetchPass {
  response: FetchResponse
  bytes: number
  hasError: boolean
  logs: PartitionLog[]
}

/** Shared across one pass: the request-wide byte budget and whether any partition got data yet. */
interface Budget {
  remaining: number
  gotData: boolean
}

export const fetchHandler = registerHandler({
  apiKey: ApiKey.Fetch,
  name: 'Fetch',
  minVersion: 4,
  maxVersion: 17,
  async handle(request: FetchRequest, version: number, ctx: BrokerContext): Promise<FetchResponse> {
    if (request.sessionId !== 0 || request.sessionEpoch > 0) {
      return fetchResponse(ErrorCode.FETCH_SESSION_ID_NOT_FOUND, [])
    }
    const deadline = performance.now() + request.maxWaitMs
    for (;;) {
      const pass = readOnce(request, version, ctx)
      const remainingMs = deadline - performance.now()
      const stop = ctx.closing() || ctx.hangup?.aborted === true
      if (pass.bytes >= request.minBytes || pass.hasError || remainingMs <= 0 || stop) return pass.response
      ctx.parked?.()
      await waitForAppend(pass.logs, ctx.wake, remainingMs, ctx.hangup)
    }
  },
})

function readOnce(request: FetchRequest, version: number, ctx: BrokerContext): FetchPass {
  const budget: Budget = {remaining: Math.min(request.maxBytes, ctx.fetchMaxBytes), gotData: false}
  const logs: PartitionLog[] = []
  const readCommitted = request.isolationLevel === READ_COMMITTED
  const responses = request.topics.map(topic => readTopic(topic, version, ctx, budget, logs, readCommitted))
  const partitions = responses.flatMap(topic => topic.partitions)
  return {
    response: fetchResponse(0, responses),
    bytes: partitions.reduce((sum, p) => sum + (p.records?.length ?? 0), 0),
    hasError: partitions.some(p => p.errorCode !== 0),
    logs,
  }
}

function readTopic(topic: FetchTopic, version: number, ctx: BrokerContext, budget: Budget, logs: PartitionLog[],
  readCommitted: boolean): FetchableTopicResponse {
  const byId = version >= FIRST_TOPIC_ID_VERSION
  const meta = byId ? ctx.logs.topicById(topic.topicId) : ctx.logs.topic(topic.topic)
  const partitions = topic.partitions.map(partition => {
    if (meta === undefined) {
      return partitionResult(partition.partition, byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    }
    const log = ctx.logs.partition(meta.name, partition.partition)
    if (log === undefined) return partitionResult(partition.partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    logs.push(log)
    return readPartition(log, {...partition, partitionMaxBytes: Math.min(partition.partitionMaxBytes, ctx.fetchMaxBytes)}, budget, ctx, readCommitted)
  })
  return {topic: topic.topic, topicId: byId ? topic.topicId : meta?.topicId ?? ZERO_UUID, partitions}
}

function readPartition(log: PartitionLog, request: FetchPartition, budget: Budget, ctx: BrokerContext, readCommitted: boolean): PartitionData {
  const offsets = {highWatermark: log.logEndOffset, lastStableOffset: log.lastStableOffset, logStartOffset: log.logStartOffset}
  if (request.currentLeaderEpoch > 0) return {...partitionResult(request.partition, ErrorCode.UNKNOWN_LEADER_EPOCH), ...offsets}
  if (request.fetchOffset < offsets.logStartOffset || request.fetchOffset > offsets.highWatermark) {
    return {...partitionResult(request.partition, ErrorCode.OFFSET_OUT_OF_RANGE), ...offsets}
  }
  try {
    const maxOffset = readCommitted ? offsets.lastStableOffset : offsets.highWatermark
    const records = readRecords(log, request, budget, maxOffset)
    const abortedTransactions = readCommitted ? abortedIn(log, request.fetchOffset, records) : []
    return {...partitionResult(request.partition, ErrorCode.NONE), ...offsets, records, abortedTransactions}
  } catch (error) {
    if (error instanceof OffsetOutOfRangeError) {
      return {...partitionResult(request.partition, ErrorCode.OFFSET_OUT_OF_RANGE), ...offsets}
    }
    if (error instanceof CorruptLogError) {
      ctx.corruption.report(`fetch at offset ${request.fetchOffset}`, `${log.topic}-${log.partition}`, error)
      return {...partitionResult(request.partition, ErrorCode.CORRUPT_MESSAGE), ...offsets}
    }
    ctx.log(`fetch from ${log.topic}-${log.partition} at ${request.fetchOffset} failed: ${(error as Error).stack ?? String(error)}`)
    return partitionResult(request.partition, ErrorCode.UNKNOWN_SERVER_ERROR)
  }
}

/** The partition's bytes within the budget and below `maxOffset` (see the header comment for the rules). */
function readRecords(log: PartitionLog, request: FetchPartition, budget: Budget, maxOffset: number): Buffer {
  const limit = Math.min(request.partitionMaxBytes, budget.remaining)
  if ((budget.gotData && limit <= 0) || request.fetchOffset >= maxOffset) return EMPTY
  let records = log.read(request.fetchOffset, Math.max(limit, 0))
  if (maxOffset < log.logEndOffset) records = batchesBelow(records, maxOffset)
  if (budget.gotData && records.length > limit) records = wholeBatchesWithin(records, limit)
  budget.remaining -= records.length
  budget.gotData ||= records.length > 0
  return records
}

/** The leading batches of `records` (whole batches, as the log returns them) that start below `offset`. */
function batchesBelow(records: Buffer, offset: number): Buffer {
  let end = 0
  while (end + BATCH_HEADER_SIZE <= records.length && Number(records.readBigInt64BE(end)) < offset) {
    end += records.readInt32BE(end + BATCH_LENGTH_AT) + LOG_OVERHEAD
  }
  return records.subarray(0, Math.min(end, records.length))
}

/** The aborted transactions a read_committed consumer needs for `records`, read from `fetchOffset`: those overlapping them. */
function abortedIn(log: PartitionLog, fetchOffset: number, records: Buffer): AbortedTransaction[] {
  if (records.length === 0) return []
  let last = 0
  for (let at = 0; at + BATCH_HEADER_SIZE <= records.length; at += records.readInt32BE(at + BATCH_LENGTH_AT) + LOG_OVERHEAD) last = at
  const upperBound = Number(records.readBigInt64BE(last)) + records.readInt32BE(last + LAST_OFFSET_DELTA_AT) + 1
  return log.abortedTransactions(fetchOffset, upperBound).map(txn => ({producerId: Number(txn.producerId), firstOffset: txn.firstOffset}))
}

/** The longest prefix of `records` made of whole batches and at most `limit` bytes long. */
function wholeBatchesWithin(records: Buffer, limit: number): Buffer {
  const length = splitBatches(records.subarray(0, limit)).reduce((sum, batch) => sum + batch.length, 0)
  return records.subarray(0, length)
}

/** A partition's answer with `errorCode`, no records and unknown (-1) offsets, for the caller to fill in. */
function partitionResult(partitionIndex: number, errorCode: number): PartitionData {
  return {
    partitionIndex, errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1,
    divergingEpoch: {epoch: -1, endOffset: -1}, currentLeader: {leaderId: -1, leaderEpoch: -1},
    snapshotId: {endOffset: -1, epoch: -1}, abortedTransactions: [], preferredReadReplica: -1, records: EMPTY,
  }
}

function fetchResponse(errorCode: number, responses: FetchableTopicResponse[]): FetchResponse {
  return {throttleTimeMs: 0, errorCode, sessionId: 0, responses, nodeEndpoints: []}
}
