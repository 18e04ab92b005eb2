/**
 * The markers that end a transaction: one control batch (control-record.ts: COMMIT or ABORT, the
 * producer id and the epoch of the transaction, this coordinator's epoch) appended to every
 * partition of the transaction through the partition log's append, as Kafka's brokers do on
 * WriteTxnMarkers. A __consumer_offsets partition gets its marker through the offset store, which
 * then commits or drops the transaction's pending offsets in the same turn.
 *
 * Every appended marker is flushed before writeMarkers resolves: the transaction is recorded
 * complete only once its markers are durable. A partition gone since (topic deleted) needs no
 * marker; one whose log refuses the marker's epoch already holds a newer producer's, as Kafka
 * treats INVALID_PRODUCER_EPOCH from WriteTxnMarkers, and is left alone. Any other failure leaves
 * the partition to a later attempt: writeMarkers answers the partitions still to be done.
 */
import {encodeControlBatch, type TransactionMarkerType} from '../../protocol/index.js'
import {InvalidProducerEpochError, TransactionCoordinatorFencedError, type LogManager, type PartitionLog} from '../../storage/index.js'
import {GroupLogWriteError} from '../groups/group-log-writer.js'
import {CONSUMER_OFFSETS_TOPIC} from '../groups/offsets-topic.js'
import type {OffsetStore} from '../groups/offset-store.js'
import {partitionList, type TransactionPartitions} from './transaction-metadata.js'

/** The epoch of this coordinator: one node, never re-elected. */
export const COORDINATOR_EPOCH = 0

export interface MarkerTargets {
  readonly logs: LogManager
  readonly offsets: OffsetStore
  readonly log: (line: string) => void
}

export interface TransactionEnd {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  readonly type: TransactionMarkerType
  readonly timestamp: number
}

/** Writes `end`'s marker to each of `partitions`; resolves to those that failed, to try again. */
export async function writeMarkers(targets: MarkerTargets, end: TransactionEnd, partitions: TransactionPartitions): Promise<TransactionPartitions> {
  const marker = {producerId: end.producerId, producerEpoch: end.producerEpoch, type: end.type, coordinatorEpoch: COORDINATOR_EPOCH,
    timestamp: end.timestamp}
  const failed = new Map<string, number[]>()
  const written: PartitionLog[] = []
  const fail = (topic: string, partition: number, error: unknown) => {
    targets.log(`the ${end.type} marker of transaction ${end.transactionalId} in ${topic}-${partition} failed, to be retried: ${(error as Error).message}`)
    failed.set(topic, [...(failed.get(topic) ?? []), partition])
  }
  for (const {topic, partition} of partitionList(partitions)) {
    try {
      if (topic === CONSUMER_OFFSETS_TOPIC) {
        await targets.offsets.writeTxnMarker(partition, marker)
        continue
      }
      const log = targets.logs.partition(topic, partition)
      if (log === undefined) continue
      log.append(encodeControlBatch(marker))
      written.push(log)
    } catch (error) {
      if (refusedAsStale(error)) targets.log(`${topic}-${partition} refused the ${end.type} marker of ${end.transactionalId}: ${(error as Error).message}`)
      else fail(topic, partition, error)
    }
  }
  await Promise.all(written.map(log => log.flush().catch((error: unknown) => fail(log.topic, log.partition, error))))
  return failed
}

/** The partition holds a newer epoch of this producer, or a newer coordinator's marker: nothing left to end there. */
function refusedAsStale(error: unknown): boolean {
  return error instanceof InvalidProducerEpochError || error instanceof TransactionCoordinatorFencedError
    || (error instanceof GroupLogWriteError && error.failure === 'fenced')
}
