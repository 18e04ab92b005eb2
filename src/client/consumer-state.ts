// What the consumer keeps per assigned partition and per leader, and what it queues for its reader.
import type {AbortedTransaction} from '../protocol/index.js'

/** Kafka's auto.offset.reset: where a partition goes when its position leaves the log. */
export type OffsetResetPolicy = 'earliest' | 'latest' | 'none'

/** A partition whose position left the log (OFFSET_OUT_OF_RANGE) and was moved as the policy says. */
export interface OffsetReset {
  topic: string
  partition: number
  /** The offset the broker refused. */
  from: number
  /** Where reading goes on. */
  to: number
  policy: 'earliest' | 'latest'
}

export interface PartitionState {
  readonly topic: string
  readonly partition: number
  /** Next offset to hand to the caller. */
  position: number
  /** Next offset to fetch; ahead of position while fetched data waits in the queue. */
  fetchOffset: number
  highWatermark: number
  /** The last stable offset the last Fetch response read reported; -1 before one, or when not reported. */
  lastStableOffset: number
  maxBytes: number
  inFlight: boolean
  retryAt: number
  /** Retriable errors in a row (leader moving, topic being recreated). */
  failures: number
  /** Stopped after an error that needs the caller: not fetched until reassigned. */
  stopped: boolean
  /** Looking up where to go after OFFSET_OUT_OF_RANGE: not fetched meanwhile. */
  resetting: boolean
}

export function partitionState(topic: string, partition: number, offset: number, maxBytes: number): PartitionState {
  return {
    topic,
    partition,
    position: offset,
    fetchOffset: offset,
    highWatermark: -1,
    lastStableOffset: -1,
    maxBytes,
    inFlight: false,
    retryAt: 0,
    failures: 0,
    stopped: false,
    resetting: false,
  }
}

/** One response's worth of deliveries share a ticket: the leader may fetch again once it is opened. */
export interface ResponseTicket {
  leader: number
  opened: boolean
}

/**
 * What the reader takes from the queue, in order: fetched data, a reset of a partition's position
 * (it takes effect after the data fetched before it), or an error.
 */
export type Delivery =
  | {kind: 'data'; state: PartitionState; batches: Buffer[]; highWatermark: number; ticket: ResponseTicket
    /** Under read_committed: the partition's last stable offset and the aborted transactions the batches overlap. */
    lastStableOffset: number; abortedTransactions: AbortedTransaction[] | null}
  | {kind: 'reset'; state: PartitionState; reset: OffsetReset}
  | {kind: 'error'; error: Error}

export interface LeaderState {
  inFlight: boolean
  unopened: number
  failures: number
  retryAt: number
}
