// `weir transactions list --state`: Kafka's transaction state names, read in any case as
// kafka-consumer-groups reads group states, and passed on in Kafka's spelling.
import {TransactionStatus} from '../protocol/index.js'
import {UsageError} from './cli-errors.js'

/** The states ListTransactions and DescribeTransactions name (Kafka's TransactionState). */
export const TRANSACTION_STATES = Object.keys(TransactionStatus) as readonly string[]

export function parseTransactionStates(values: readonly string[]): string[] {
  const states = values.map((value) => value.trim()).filter((value) => value !== '').map((value) => {
    const state = TRANSACTION_STATES.find((known) => known.toLowerCase() === value.toLowerCase())
    if (!state) throw new UsageError(`unknown transaction state '${value}'`, `states: ${TRANSACTION_STATES.join(', ')}`)
    return state
  })
  return [...new Set(states)]
}
