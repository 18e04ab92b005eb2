/**
 * EndTxn (key 26), versions 0-4 (librdkafka and kafkajs send 1, Java 3-4). Version 5 (transaction
 * version 2, KIP-890: an epoch bump at every transaction) is not served, and so not advertised.
 *
 * Committed true commits, false aborts (transactions/transaction-coordinator.ts): the Prepare state
 * is written, the markers appended to every partition of the transaction, the Complete state
 * written, then the answer. The same end repeated once complete -> NONE; the other end, or an
 * Empty transaction -> INVALID_TXN_STATE (48); while completing -> CONCURRENT_TRANSACTIONS (51);
 * unknown id or another producer id -> INVALID_PRODUCER_ID_MAPPING (49); an older epoch (the
 * producer was fenced, or its transaction timed out) -> PRODUCER_FENCED (v0-1: INVALID_PRODUCER_EPOCH).
 *
 * Version notes: v2 PRODUCER_FENCED; v3 flexible; v4 TRANSACTION_ABORTABLE, never sent here.
 */
import {ApiKey, ErrorCode, type EndTxnRequest, type EndTxnResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

const FIRST_PRODUCER_FENCED_VERSION = 2

export const endTxnHandler = registerHandler({
  apiKey: ApiKey.EndTxn,
  name: 'EndTxn',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: EndTxnRequest, version: number, ctx: BrokerContext): Promise<EndTxnResponse> {
    const error = await ctx.transactions.endTransaction(request.transactionalId, request.producerId, request.producerEpoch, request.committed)
    return {throttleTimeMs: 0, producerId: -1, producerEpoch: -1,
      errorCode: error === ErrorCode.PRODUCER_FENCED && version < FIRST_PRODUCER_FENCED_VERSION ? ErrorCode.INVALID_PRODUCER_EPOCH : error}
  },
})
