/**
 * InitProducerId (key 22), versions 0-5 (librdkafka sends up to 4, Java 4-5, kafkajs 1).
 *
 * Without a TransactionalId: a fresh producer id with epoch 0, always (idempotent producers; a v3+
 * ProducerId/Epoch is ignored then, as Kafka does). With one: the transaction coordinator's answer
 * (transactions/transaction-coordinator.ts): the id's producer id with its epoch bumped, fencing
 * older instances; an open transaction is aborted first and the answer is CONCURRENT_TRANSACTIONS
 * (51) until that is done; TransactionTimeoutMs outside (0, transaction.max.timeout.ms] -> 50; an
 * empty TransactionalId -> INVALID_REQUEST. Errors carry producer id -1 and epoch -1.
 *
 * Version notes: v2 flexible; v3 ProducerId and ProducerEpoch (KIP-360: both -1, or both set, else
 * INVALID_REQUEST): a producer naming its current id and epoch gets the epoch bumped, a retry of a
 * bump whose answer was lost gets the same epoch again; v4 PRODUCER_FENCED (v0-3 get
 * INVALID_PRODUCER_EPOCH instead); v5 same fields (TRANSACTION_ABORTABLE, never sent here).
 */
import {ApiKey, ErrorCode, type InitProducerIdRequest, type InitProducerIdResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

const FIRST_EXPECTED_PRODUCER_VERSION = 3
const FIRST_PRODUCER_FENCED_VERSION = 4

export const initProducerIdHandler = registerHandler({
  apiKey: ApiKey.InitProducerId,
  name: 'InitProducerId',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: InitProducerIdRequest, version: number, ctx: BrokerContext): Promise<InitProducerIdResponse> {
    const named = version >= FIRST_EXPECTED_PRODUCER_VERSION && (request.producerId !== -1 || request.producerEpoch !== -1)
    if (named && (request.producerId === -1 || request.producerEpoch === -1)) return answer(ErrorCode.INVALID_REQUEST, -1, -1)
    const expected = named ? {producerId: request.producerId, producerEpoch: request.producerEpoch} : null
    const result = await ctx.transactions.initProducerId(request.transactionalId, request.transactionTimeoutMs, expected)
    const errorCode = result.errorCode === ErrorCode.PRODUCER_FENCED && version < FIRST_PRODUCER_FENCED_VERSION
      ? ErrorCode.INVALID_PRODUCER_EPOCH : result.errorCode
    return answer(errorCode, result.producerId, result.producerEpoch)
  },
})

function answer(errorCode: number, producerId: number, producerEpoch: number): InitProducerIdResponse {
  return {throttleTimeMs: 0, errorCode, producerId, producerEpoch}
}
