/**
 * DescribeProducers (key 61), version 0 (Java Admin describeProducers, kafka-transactions.sh
 * describe-producers).
 *
 * Behaviour per partition: the producers with state in the partition's log (storage's
 * producer-state.ts): producer id, epoch, last sequence (-1 when none in its epoch), last
 * timestamp, coordinator epoch of its last marker (-1 before any) and the first offset of its open
 * transaction (-1 when none). Producers stay listed until producer.id.expiration.ms after their
 * last batch, as in Kafka. Unknown topic or partition -> 3.
 *
 * Producer ids are int64 and the log keeps them exactly; the codec carries int64 fields as numbers,
 * exact up to 2^53 (every id this broker hands out, and any a client sane enough would pick).
 */
import {ApiKey, ErrorCode, type DescribeProducersPartition, type DescribeProducersRequest,
  type DescribeProducersResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

export const describeProducersHandler = registerHandler({
  apiKey: ApiKey.DescribeProducers,
  name: 'DescribeProducers',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: DescribeProducersRequest, _version: number, ctx: BrokerContext): Promise<DescribeProducersResponse> {
    const topics = request.topics.map(topic => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map(index => describePartition(topic.name, index, ctx)),
    }))
    return {throttleTimeMs: 0, topics}
  },
})

function describePartition(topic: string, partitionIndex: number, ctx: BrokerContext): DescribeProducersPartition {
  const log = ctx.logs.partition(topic, partitionIndex)
  if (log === undefined) {
    return {partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      errorMessage: `unknown topic or partition ${topic}-${partitionIndex}`, activeProducers: []}
  }
  const activeProducers = log.activeProducers().map(producer => ({
    producerId: Number(producer.producerId),
    producerEpoch: producer.producerEpoch,
    lastSequence: producer.lastSequence,
    lastTimestamp: producer.lastTimestamp,
    coordinatorEpoch: producer.coordinatorEpoch,
    currentTxnStartOffset: producer.currentTxnFirstOffset,
  }))
  return {partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers}
}
