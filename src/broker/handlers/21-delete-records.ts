/**
 * DeleteRecords (key 21), versions 0-2 (kafka-delete-records and Java's Admin.deleteRecords send 2;
 * kafkajs 0-1).
 *
 * Behaviour per partition: moves the log start offset up to Offset (-1 = the log end, i.e. the
 * high watermark), deleting the segments wholly below it; records below it are no longer served
 * (Fetch and ListOffsets see the new start). An Offset below the current log start changes nothing
 * (the start never moves back). LowWatermark is the log start offset after the call. Unknown topic
 * or partition -> 3 (LowWatermark -1); an internal topic -> 17 (its records are the group
 * coordinator's state, as Kafka refuses); Offset above the log end, or negative other than -1 -> 1.
 * TimeoutMs is not needed: the deletion is done before the answer. Pending long polls are woken, so
 * one parked below the new start answers OFFSET_OUT_OF_RANGE at once.
 *
 * Version notes: v1 same as v0; v2 flexible.
 */
import {ApiKey, ErrorCode, type DeleteRecordsPartition, type DeleteRecordsPartitionResult, type DeleteRecordsRequest,
  type DeleteRecordsResponse} from '../../protocol/index.js'
import {LogOfflineError, OffsetOutOfRangeError, type PartitionLog} from '../../storage/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {isInternalTopic} from '../topic-names.js'

/** Offset -1: everything up to the high watermark. */
const HIGH_WATERMARK = -1

export const deleteRecordsHandler = registerHandler({
  apiKey: ApiKey.DeleteRecords,
  name: 'DeleteRecords',
  minVersion: 0,
  maxVersion: 2,
  async handle(request: DeleteRecordsRequest, _version: number, ctx: BrokerContext): Promise<DeleteRecordsResponse> {
    const topics = []
    for (const topic of request.topics) {
      const partitions: DeleteRecordsPartitionResult[] = []
      for (const partition of topic.partitions) partitions.push(await deleteBefore(topic.name, partition, ctx))
      topics.push({name: topic.name, partitions})
    }
    if (topics.some(topic => topic.partitions.some(p => p.errorCode === ErrorCode.NONE))) ctx.wake.wake()
    return {throttleTimeMs: 0, topics}
  },
})

async function deleteBefore(topic: string, {partitionIndex, offset}: DeleteRecordsPartition,
  ctx: BrokerContext): Promise<DeleteRecordsPartitionResult> {
  const log = ctx.logs.partition(topic, partitionIndex)
  if (log === undefined) return {partitionIndex, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}
  const failed = (errorCode: number): DeleteRecordsPartitionResult => ({partitionIndex, lowWatermark: log.logStartOffset, errorCode})
  if (isInternalTopic(topic)) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION)
  if (offset < HIGH_WATERMARK || offset > log.logEndOffset) return failed(ErrorCode.OFFSET_OUT_OF_RANGE)
  try {
    const before = log.logStartOffset
    const lowWatermark = await log.deleteRecordsBefore(offset)
    if (lowWatermark !== before) ctx.log(`deleted records of ${topic}-${partitionIndex} before offset ${lowWatermark} (log start was ${before})`)
    return {partitionIndex, lowWatermark, errorCode: ErrorCode.NONE}
  } catch (error) {
    return failed(errorCodeOf(error, log, ctx))
  }
}

function errorCodeOf(error: unknown, log: PartitionLog, ctx: BrokerContext): number {
  if (error instanceof OffsetOutOfRangeError) return ErrorCode.OFFSET_OUT_OF_RANGE
  if (error instanceof LogOfflineError) return ErrorCode.KAFKA_STORAGE_ERROR
  ctx.log(`deleting records of ${log.topic}-${log.partition} failed: ${(error as Error).stack ?? String(error)}`)
  return ErrorCode.UNKNOWN_SERVER_ERROR
}
