/**
 * ListOffsets (key 2), versions 0-10 (v0 only as far as the codec decodes it; kafka-python 2.0.2
 * sends 1, librdkafka up to 7, kafkajs 3, Java 7+).
 *
 * Behaviour per partition: Timestamp -2 (earliest) -> log start; -1 (latest) -> log end, or with
 * IsolationLevel 1 (read_committed, v2+) the last stable offset (the first offset of the earliest
 * open transaction); -3 (max timestamp, v7+) -> the first record holding the partition's largest timestamp;
 * -4 (earliest local, v8+) -> log start (all data is local); -5 (latest tiered, v9+) -> -1/-1 (no
 * tiered storage); any timestamp >= 0 -> the first record whose timestamp is >= it, else -1/-1.
 * Timestamp lookups go through storage's time index and decode one batch (timestamp-search.ts).
 * As in AK, a timestamp lookup (and -3) answers -1/-1 when what it finds is at or above the last
 * offset the isolation level may read (the last stable offset for read_committed).
 * The answered Timestamp is -1 for the -2/-1/-4 forms, as in AK. LeaderEpoch (v4+) is 0 for a found offset.
 * Unknown topic or partition -> 3; CurrentLeaderEpoch newer than ours (0) -> 75; a damaged batch
 * where the lookup leads -> 2, logged once per defect.
 *
 * Version notes: v0 answers OldStyleOffsets (at most MaxNumOffsets offsets) instead of
 * Timestamp/Offset; v2 IsolationLevel; v4 epochs; v6 flexible; v7 max timestamp; v8 earliest local;
 * v9 latest tiered; v10 TimeoutMs.
 */
import {ApiKey, ErrorCode, type ListOffsetsPartition, type ListOffsetsPartitionResponse, type ListOffsetsRequest,
  type ListOffsetsResponse} from '../../protocol/index.js'
import {CorruptLogError, type PartitionLog} from '../../storage/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {offsetForTimestamp, offsetOfMaxTimestamp, type OffsetAndTimestamp} from '../timestamp-search.js'

const EARLIEST = -2
const LATEST = -1
const MAX_TIMESTAMP = -3
const EARLIEST_LOCAL = -4
const LATEST_TIERED = -5
const READ_COMMITTED = 1

export const listOffsetsHandler = registerHandler({
  apiKey: ApiKey.ListOffsets,
  name: 'ListOffsets',
  minVersion: 0,
  maxVersion: 10,
  async handle(request: ListOffsetsRequest, version: number, ctx: BrokerContext): Promise<ListOffsetsResponse> {
    const topics = await Promise.all(request.topics.map(async topic => ({
      name: topic.name,
      partitions: await Promise.all(topic.partitions.map(p => listPartition(topic.name, p, version, ctx, request.isolationLevel))),
    })))
    return {throttleTimeMs: 0, topics}
  },
})

async function listPartition(topic: string, request: ListOffsetsPartition, version: number,
  ctx: BrokerContext, isolationLevel: number): Promise<ListOffsetsPartitionResponse> {
  const log = ctx.logs.partition(topic, request.partitionIndex)
  if (log === undefined) return answer(request.partitionIndex, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null, version)
  if (request.currentLeaderEpoch > 0) return answer(request.partitionIndex, ErrorCode.UNKNOWN_LEADER_EPOCH, null, version)
  try {
    const readCommitted = version >= 2 && isolationLevel === READ_COMMITTED
    const found = await lookup(log, request.timestamp, readCommitted ? log.lastStableOffset : log.logEndOffset)
    return answer(request.partitionIndex, 0, found, version, request.maxNumOffsets)
  } catch (error) {
    if (error instanceof CorruptLogError) {
      ctx.corruption.report(`list offsets at ${request.timestamp}`, `${topic}-${request.partitionIndex}`, error)
      return answer(request.partitionIndex, ErrorCode.CORRUPT_MESSAGE, null, version)
    }
    ctx.log(`list offsets of ${topic}-${request.partitionIndex} at ${request.timestamp} failed: ${(error as Error).stack ?? String(error)}`)
    return answer(request.partitionIndex, ErrorCode.UNKNOWN_SERVER_ERROR, null, version)
  }
}

/** `lastFetchable`: the end of what the request's isolation level may read. */
async function lookup(log: PartitionLog, timestamp: number, lastFetchable: number): Promise<OffsetAndTimestamp | null> {
  switch (timestamp) {
    case EARLIEST:
    case EARLIEST_LOCAL:
      return {offset: log.logStartOffset, timestamp: -1}
    case LATEST:
      return {offset: lastFetchable, timestamp: -1}
    case MAX_TIMESTAMP:
      return below(await offsetOfMaxTimestamp(log), lastFetchable)
    case LATEST_TIERED:
      return null
    default:
      return timestamp < 0 ? null : below(await offsetForTimestamp(log, timestamp), lastFetchable)
  }
}

function below(found: OffsetAndTimestamp | null, lastFetchable: number): OffsetAndTimestamp | null {
  return found !== null && found.offset < lastFetchable ? found : null
}

function answer(partitionIndex: number, errorCode: number, found: OffsetAndTimestamp | null,
  version: number, maxNumOffsets = 1): ListOffsetsPartitionResponse {
  const oldStyleOffsets = version === 0 && found !== null && maxNumOffsets > 0 ? [found.offset] : []
  return {
    partitionIndex, errorCode, oldStyleOffsets,
    timestamp: found?.timestamp ?? -1,
    offset: found?.offset ?? -1,
    leaderEpoch: found === null ? -1 : 0,
  }
}
