/**
 * One transactional id's state at its coordinator (Kafka's TransactionMetadata): the producer id
 * and epoch it hands out, its transaction timeout, the status of its transaction and the partitions
 * in it. A change is prepared as a whole new TransactionState (transaction-transitions.ts), written
 * to __transaction_state, and only then made current; while it is being written it is `pending`,
 * and every other operation on the id answers CONCURRENT_TRANSACTIONS.
 */
import type {TransactionStatusName} from '../../protocol/index.js'

/** No producer epoch yet: a transactional id whose first InitProducerId is being written. */
export const NO_PRODUCER_EPOCH = -1
export const NO_PRODUCER_ID = -1
/** The largest epoch (a Java short); one below it is the last a producer may be bumped to. */
export const MAX_PRODUCER_EPOCH = 32_767

/** The partitions of a transaction: topic -> partition indexes, ascending. */
export type TransactionPartitions = ReadonlyMap<string, readonly number[]>

export interface TransactionState {
  readonly producerId: number
  /** The producer id before the last rotation (an exhausted epoch), NO_PRODUCER_ID when none. */
  readonly lastProducerId: number
  readonly producerEpoch: number
  /** The epoch before the last bump, so a retried InitProducerId is recognised (KIP-360); -1 when none. */
  readonly lastProducerEpoch: number
  readonly timeoutMs: number
  readonly status: TransactionStatusName
  readonly partitions: TransactionPartitions
  /** When the open (or last) transaction started; -1 when none did since the last InitProducerId. */
  readonly startTimestamp: number
  readonly lastUpdateTimestamp: number
}

export class TransactionMetadata {
  /** The change being written, if any. */
  pending: TransactionState | null = null

  constructor(readonly transactionalId: string, public state: TransactionState) {}

  get hasPending(): boolean {
    return this.pending !== null
  }

  /** Whether every one of `partitions` is already in the transaction. */
  includes(partitions: TransactionPartitions): boolean {
    for (const [topic, indexes] of partitions) {
      const present = this.state.partitions.get(topic)
      if (present === undefined || indexes.some(index => !present.includes(index))) return false
    }
    return true
  }
}

/** The epoch cannot be bumped any further: the next InitProducerId gives a new producer id. */
export function isEpochExhausted(epoch: number): boolean {
  return epoch >= MAX_PRODUCER_EPOCH - 1
}

/** `a` and `b` together, each topic's partitions ascending and once. */
export function mergePartitions(a: TransactionPartitions, b: TransactionPartitions): TransactionPartitions {
  const merged = new Map<string, readonly number[]>(a)
  for (const [topic, indexes] of b) {
    merged.set(topic, [...new Set([...(merged.get(topic) ?? []), ...indexes])].sort((x, y) => x - y))
  }
  return merged
}

/** The partitions as a list of {topic, partition}, topics in name order. */
export function partitionList(partitions: TransactionPartitions): {topic: string; partition: number}[] {
  return [...partitions.keys()].sort().flatMap(topic => partitions.get(topic)!.map(partition => ({topic, partition})))
}

export const NO_PARTITIONS: TransactionPartitions = new Map()
