import {UsageError} from './cli-errors.js'

/** Kafka's group state names, as ListGroups and DescribeGroups spell them (Assigning and Reconciling: KIP-848 groups). */
export const GROUP_STATES = ['Stable', 'Empty', 'PreparingRebalance', 'CompletingRebalance', 'Dead', 'Assigning', 'Reconciling'] as const

/** `--state` values in any case (`stable`, `STABLE`), as kafka-consumer-groups reads them, in Kafka's spelling. */
export function parseGroupStates(values: readonly string[]): string[] {
  const states = values.map((value) => value.trim()).filter((value) => value !== '').map((value) => {
    const state = GROUP_STATES.find((known) => known.toLowerCase() === value.toLowerCase())
    if (!state) throw new UsageError(`unknown group state '${value}'`, `states: ${GROUP_STATES.join(', ')}`)
    return state
  })
  return [...new Set(states)]
}
