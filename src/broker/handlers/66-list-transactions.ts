/**
 * ListTransactions (key 66), versions 0-1 (Java Admin, kafka-transactions.sh list).
 *
 * Every transactional id the coordinator knows, with its producer id and state name, filtered by
 * StateFilters (state names; empty = all) and ProducerIdFilters (empty = all); names that are no
 * state are answered in UnknownStateFilters (and when only such names were given nothing matches).
 *
 * Version notes: v1 DurationFilter: only transactions that started more than that many ms ago
 * (-1 = all).
 */
import {ApiKey, ErrorCode, type ListTransactionsRequest, type ListTransactionsResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {listTransactions} from '../transactions/transaction-listing.js'

export const listTransactionsHandler = registerHandler({
  apiKey: ApiKey.ListTransactions,
  name: 'ListTransactions',
  minVersion: 0,
  maxVersion: 1,
  async handle(request: ListTransactionsRequest, _version: number, ctx: BrokerContext): Promise<ListTransactionsResponse> {
    const listing = listTransactions(ctx.transactions.transactions(), {states: request.stateFilters, producerIds: request.producerIdFilters,
      durationMs: request.durationFilter}, ctx.transactions.scheduler.now())
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, unknownStateFilters: listing.unknownStateFilters, transactionStates: listing.transactions}
  },
})
