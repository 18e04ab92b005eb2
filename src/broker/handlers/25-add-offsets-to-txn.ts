/**
 * AddOffsetsToTxn (key 25), versions 0-4 (librdkafka and kafkajs send 0, Java 3).
 *
 * The group's __consumer_offsets partition (created with the topic if need be) joins the
 * transaction, exactly as AddPartitionsToTxn adds a partition, with the same errors; the offsets
 * TxnOffsetCommit then writes there are committed or dropped by the transaction's marker. An empty
 * GroupId -> INVALID_GROUP_ID; __consumer_offsets not available -> COORDINATOR_NOT_AVAILABLE.
 *
 * Version notes: v2 PRODUCER_FENCED (v0-1: INVALID_PRODUCER_EPOCH); v3 flexible; v4
 * TRANSACTION_ABORTABLE, never sent here.
 */
import {ApiKey, ErrorCode, type AddOffsetsToTxnRequest, type AddOffsetsToTxnResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {CONSUMER_OFFSETS_TOPIC} from '../groups/offsets-topic.js'
import {registerHandler} from '../registry.js'

const FIRST_PRODUCER_FENCED_VERSION = 2

export const addOffsetsToTxnHandler = registerHandler({
  apiKey: ApiKey.AddOffsetsToTxn,
  name: 'AddOffsetsToTxn',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: AddOffsetsToTxnRequest, version: number, ctx: BrokerContext): Promise<AddOffsetsToTxnResponse> {
    if (request.groupId === '') return {throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID}
    let index: number
    try {
      index = await ctx.offsets.partitionIndexOf(request.groupId)
    } catch (error) {
      ctx.log(`AddOffsetsToTxn: ${CONSUMER_OFFSETS_TOPIC} is not available: ${(error as Error).message}`)
      return {throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE}
    }
    const error = await ctx.transactions.addPartitions(request.transactionalId, request.producerId, request.producerEpoch,
      new Map([[CONSUMER_OFFSETS_TOPIC, [index]]]))
    return {throttleTimeMs: 0,
      errorCode: error === ErrorCode.PRODUCER_FENCED && version < FIRST_PRODUCER_FENCED_VERSION ? ErrorCode.INVALID_PRODUCER_EPOCH : error}
  },
})
