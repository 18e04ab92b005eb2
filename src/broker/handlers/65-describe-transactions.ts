/**
 * DescribeTransactions (key 65), version 0 (Java Admin, kafka-transactions.sh describe).
 *
 * Each asked transactional id: its state name (Empty, Ongoing, PrepareCommit, ...), timeout, the
 * start time of its transaction (-1 when none started since its last InitProducerId), producer id
 * and epoch, and the partitions of the open transaction by topic. An id the coordinator does not
 * know -> TRANSACTIONAL_ID_NOT_FOUND (105).
 */
import {ApiKey, type DescribeTransactionsRequest, type DescribeTransactionsResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'
import {describeTransaction} from '../transactions/transaction-listing.js'

export const describeTransactionsHandler = registerHandler({
  apiKey: ApiKey.DescribeTransactions,
  name: 'DescribeTransactions',
  minVersion: 0,
  maxVersion: 0,
  async handle(request: DescribeTransactionsRequest, _version: number, ctx: BrokerContext): Promise<DescribeTransactionsResponse> {
    const txns = ctx.transactions.transactions()
    return {throttleTimeMs: 0, transactionStates: request.transactionalIds.map(id => describeTransaction(txns, id))}
  },
})
