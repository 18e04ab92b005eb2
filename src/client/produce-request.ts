// The Produce request for a set of batches bound for one broker, and its response read back per partition.
import {ErrorCode, errorInfo, type ProduceRequest, type ProduceResponse} from '../protocol/index.js'
import {partitionKey} from './cluster.js'
import {KafkaProtocolError} from './errors.js'
import type {ProducerBatch} from './record-accumulator.js'

export interface PartitionOutcome {
  errorCode: number
  /** The broker's message (v8+), or the first per-record error message. */
  errorMessage: string | null
}

/** One batch per partition (Kafka accepts exactly one RecordBatch per partition per request). */
export function buildProduceRequest(
  batches: readonly ProducerBatch[],
  payloads: readonly Buffer[],
  acks: number,
  timeoutMs: number,
  transactionalId: string | null = null,
): ProduceRequest {
  const byTopic = new Map<string, {index: number; records: Buffer}[]>()
  batches.forEach((batch, i) => {
    let partitions = byTopic.get(batch.topic)
    if (!partitions) byTopic.set(batch.topic, (partitions = []))
    partitions.push({index: batch.partition, records: payloads[i]!})
  })
  return {
    transactionalId,
    acks,
    timeoutMs,
    topicData: [...byTopic].map(([name, partitionData]) => ({name, partitionData})),
  }
}

/** Outcomes keyed by partitionKey(topic, partition). */
export function produceOutcomes(response: ProduceResponse): Map<string, PartitionOutcome> {
  const outcomes = new Map<string, PartitionOutcome>()
  for (const topic of response.responses) {
    for (const partition of topic.partitionResponses) {
      const recordMessage = partition.recordErrors.find((e) => e.batchIndexErrorMessage)?.batchIndexErrorMessage ?? null
      outcomes.set(partitionKey(topic.name, partition.index), {
        errorCode: partition.errorCode,
        errorMessage: partition.errorMessage ?? recordMessage,
      })
    }
  }
  return outcomes
}

/**
 * What became of one batch: acknowledged, worth another attempt, or failed for good. A free retry does not
 * use up an attempt: the batch failed only because one before it did (idempotence.ts).
 */
export type BatchOutcome = {kind: 'acknowledged'} | {kind: 'retry'; error: Error; free?: boolean} | {kind: 'failed'; error: Error}
export const ACKNOWLEDGED: BatchOutcome = {kind: 'acknowledged'}

/** A batch's outcome from its partition's answer (retriable Kafka errors mean another attempt). */
export function batchOutcome(batch: ProducerBatch, result: PartitionOutcome | undefined): BatchOutcome {
  const where = `${batch.topic}/${batch.partition}`
  if (!result) {
    return {kind: 'failed', error: new KafkaProtocolError(ErrorCode.UNKNOWN_SERVER_ERROR, where, 'the broker did not answer for this partition')}
  }
  if (result.errorCode === ErrorCode.NONE) return ACKNOWLEDGED
  const error = new KafkaProtocolError(result.errorCode, where, result.errorMessage)
  return errorInfo(result.errorCode).retriable ? {kind: 'retry', error} : {kind: 'failed', error}
}
