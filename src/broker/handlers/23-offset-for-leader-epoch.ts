/**
 * OffsetForLeaderEpoch (key 23), versions 0-4 (librdkafka sends 2 after a consumer group assigns
 * it partitions with committed leader epochs; Java consumers validate positions with it).
 *
 * One node, never a leader change: every partition's only leader epoch is 0, from offset 0. So per
 * partition: unknown topic or partition -> 3; CurrentLeaderEpoch (v2+, -1 = not checked) above 0 ->
 * 75, below 0 -> 74; LeaderEpoch 0 -> epoch 0 ending at the log end offset; any other epoch ->
 * epoch -1, end offset -1 (Kafka's answer for an epoch it does not know).
 *
 * Version notes: v1 LeaderEpoch in the answer; v2 CurrentLeaderEpoch and ThrottleTimeMs; v3
 * ReplicaId (consumers send -1); v4 flexible.
 */
import {ApiKey, ErrorCode, type OffsetForLeaderEpochEndOffset, type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochResponse, type OffsetForLeaderPartition} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

/** The leader epoch of every partition. */
const LEADER_EPOCH = 0
/** CurrentLeaderEpoch -1: the client asks for no fencing check. */
const NO_EPOCH = -1

export const offsetForLeaderEpochHandler = registerHandler({
  apiKey: ApiKey.OffsetForLeaderEpoch,
  name: 'OffsetForLeaderEpoch',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: OffsetForLeaderEpochRequest, _version: number, ctx: BrokerContext): Promise<OffsetForLeaderEpochResponse> {
    return {throttleTimeMs: 0, topics: request.topics.map(topic => ({topic: topic.topic,
      partitions: topic.partitions.map(p => endOffset(topic.topic, p, ctx))}))}
  },
})

function endOffset(topic: string, request: OffsetForLeaderPartition, ctx: BrokerContext): OffsetForLeaderEpochEndOffset {
  const answer = (errorCode: number, leaderEpoch = -1, endOffset = -1) => ({errorCode, partition: request.partition, leaderEpoch, endOffset})
  const log = ctx.logs.partition(topic, request.partition)
  if (log === undefined) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  if (request.currentLeaderEpoch > LEADER_EPOCH) return answer(ErrorCode.UNKNOWN_LEADER_EPOCH)
  if (request.currentLeaderEpoch !== NO_EPOCH && request.currentLeaderEpoch < LEADER_EPOCH) return answer(ErrorCode.FENCED_LEADER_EPOCH)
  if (request.leaderEpoch !== LEADER_EPOCH) return answer(ErrorCode.NONE)
  return answer(ErrorCode.NONE, LEADER_EPOCH, log.logEndOffset)
}
