// What `weir transactions list | describe | describe-producers` print: the columns of Kafka's
// kafka-transactions.sh in weir's spelling (upper case, dashes), and the --json shapes, built from the
// client's admin answers. Times are ISO-8601 UTC in tables and milliseconds in JSON; a value Kafka
// reports as -1 ("none") is "-" in tables and null in JSON.
import type {PartitionProducers, TransactionDescription, TransactionListing} from '../client/admin-transactions.js'
import {formatTable} from './table.js'

export interface TransactionListEntry {
  transactionalId: string
  coordinator: number
  producerId: number
  state: string
}

export interface TransactionDescribeResult {
  transactionalId: string
  coordinator: number
  producerId: number
  producerEpoch: number
  state: string
  timeoutMs: number
  /** When the open transaction began; null without one. */
  startTimeMs: number | null
  /** How long it has been open; null without one. */
  durationMs: number | null
  partitions: {topic: string; partition: number}[]
}

export interface ProducersDescribeResult {
  topic: string
  partition: number
  producers: {
    producerId: number
    producerEpoch: number
    latestCoordinatorEpoch: number
    lastSequence: number
    lastTimestampMs: number | null
    currentTransactionStartOffset: number | null
  }[]
}

const LIST_HEADER = ['TRANSACTIONAL-ID', 'COORDINATOR', 'PRODUCER-ID', 'STATE']
const DESCRIBE_HEADER = ['COORDINATOR', 'TRANSACTIONAL-ID', 'PRODUCER-ID', 'EPOCH', 'STATE', 'TIMEOUT-MS', 'START-TIME', 'DURATION-MS', 'PARTITIONS']
const PRODUCERS_HEADER = ['PRODUCER-ID', 'EPOCH', 'LATEST-COORDINATOR-EPOCH', 'LAST-SEQUENCE', 'LAST-TIMESTAMP', 'CURRENT-TRANSACTION-START-OFFSET']

export function listEntries(listings: readonly TransactionListing[]): TransactionListEntry[] {
  return listings.map((t) => ({transactionalId: t.transactionalId, coordinator: t.coordinatorId, producerId: t.producerId, state: t.state}))
}

/** The table, or no line at all when nothing is listed. */
export function listLines(entries: readonly TransactionListEntry[]): string[] {
  if (entries.length === 0) return []
  return formatTable(LIST_HEADER, entries.map((t) => [t.transactionalId, String(t.coordinator), String(t.producerId), t.state]))
}

/** The JSON shape of a found description; `now` dates the open transaction's duration. */
export function describeResult(d: TransactionDescription, now: number): TransactionDescribeResult {
  const started = d.transactionStartTimeMs >= 0 ? d.transactionStartTimeMs : null
  return {
    transactionalId: d.transactionalId,
    coordinator: d.coordinatorId,
    producerId: d.producerId,
    producerEpoch: d.producerEpoch,
    state: d.state,
    timeoutMs: d.transactionTimeoutMs,
    startTimeMs: started,
    durationMs: started === null ? null : Math.max(0, now - started),
    partitions: d.partitions.map(({topic, partition}) => ({topic, partition})),
  }
}

export function describeLines(d: TransactionDescribeResult): string[] {
  return formatTable(DESCRIBE_HEADER, [[
    String(d.coordinator), d.transactionalId, String(d.producerId), String(d.producerEpoch), d.state, String(d.timeoutMs),
    d.startTimeMs === null ? '-' : isoTime(d.startTimeMs), d.durationMs === null ? '-' : String(d.durationMs),
    d.partitions.length === 0 ? '-' : d.partitions.map(({topic, partition}) => `${topic}-${partition}`).join(','),
  ]])
}

export function producersResult(p: PartitionProducers): ProducersDescribeResult {
  return {
    topic: p.topic,
    partition: p.partition,
    producers: p.activeProducers.map((producer) => ({
      producerId: producer.producerId,
      producerEpoch: producer.producerEpoch,
      latestCoordinatorEpoch: producer.coordinatorEpoch,
      lastSequence: producer.lastSequence,
      lastTimestampMs: producer.lastTimestamp >= 0 ? producer.lastTimestamp : null,
      currentTransactionStartOffset: producer.currentTransactionStartOffset >= 0 ? producer.currentTransactionStartOffset : null,
    })),
  }
}

/** The table, or no line at all when the partition has no active producer. */
export function producersLines(result: ProducersDescribeResult): string[] {
  if (result.producers.length === 0) return []
  return formatTable(PRODUCERS_HEADER, result.producers.map((p) => [
    String(p.producerId), String(p.producerEpoch), String(p.latestCoordinatorEpoch), String(p.lastSequence),
    p.lastTimestampMs === null ? '-' : isoTime(p.lastTimestampMs),
    p.currentTransactionStartOffset === null ? '-' : String(p.currentTransactionStartOffset),
  ]))
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}
