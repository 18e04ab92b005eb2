import {array, field, message, type MessageValue} from '../schema.js'

// ListTransactions (66): the transactional ids a coordinator knows, filtered by state names
// (Ongoing, PrepareCommit, ...) and producer ids; empty filters match everything. Flexible from
// v0; v1 DurationFilter (only transactions running longer than it; < 0 = all).

export const ListTransactionsRequestSchema = message('ListTransactionsRequest', {apiKey: 66, versions: '0-1', flexible: '0+'}, {
  stateFilters: field('[]string', '0+'),
  producerIdFilters: field('[]int64', '0+'),
  durationFilter: field('int64', '1+', {default: -1}),
})

export const ListTransactionsResponseSchema = message('ListTransactionsResponse', {apiKey: 66, versions: '0-1', flexible: '0+'}, {
  throttleTimeMs: field('int32', '0+'),
  errorCode: field('int16', '0+'),
  unknownStateFilters: field('[]string', '0+'),
  transactionStates: array('TransactionState', '0+', {
    transactionalId: field('string', '0+'),
    producerId: field('int64', '0+'),
    transactionState: field('string', '0+'),
  }),
})

export type ListTransactionsRequest = MessageValue<typeof ListTransactionsRequestSchema>
export type ListTransactionsResponse = MessageValue<typeof ListTransactionsResponseSchema>
export type ListedTransaction = ListTransactionsResponse['transactionStates'][number]
