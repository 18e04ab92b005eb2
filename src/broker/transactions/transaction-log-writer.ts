/**
 * Writes a transactional id's state changes to its __transaction_state partition: one uncompressed
 * batch holding one record per change, appended and then flushed; the coordinator answers a
 * request only once the flush succeeded, so nothing a client was told survives only in memory
 * (Kafka appends with acks=all).
 *
 * Writes take turns (one lock for the topic, as the group log writer does): the in-memory state
 * changes in the same turn as its record is appended, before the flush, so it is always the replay
 * of the log up to its end; until the flush is done, other requests may already act on a state that
 * is not durable yet. The flush runs outside the turn: flushes of concurrent writes share one sync.
 * A failed flush makes the write fail (NOT_COORDINATOR), but the new state stays in memory and the
 * record in the log, which the failure takes offline until a restart; the restart replays whatever
 * of it reached the disk, so a change refused that way may or may not survive it.
 */
import {encodeRecordBatch, ErrorCode} from '../../protocol/index.js'
import {NameLocks, RecordBatchTooLargeError, StorageError, type PartitionLog} from '../../storage/index.js'
import type {TransactionLogRecord} from './transaction-log-records.js'
import type {TransactionStateTopic} from './transaction-state-topic.js'

/** Why a write failed; transactionLogErrorOf maps it to an error code. */
export type TransactionLogFailure = 'unavailable' | 'storage' | 'too-large'

export class TransactionLogWriteError extends Error {
  constructor(message: string, readonly failure: TransactionLogFailure) {
    super(message)
    this.name = 'TransactionLogWriteError'
  }
}

const WRITES = '__transaction_state'

export class TransactionLogWriter {
  private readonly turns = new NameLocks()

  constructor(private readonly topic: TransactionStateTopic, private readonly now: () => number) {}

  /** Appends `record` to the id's partition, runs `apply` in the same turn, then flushes. Throws TransactionLogWriteError. */
  async write(transactionalId: string, record: TransactionLogRecord, apply: () => void): Promise<void> {
    const partition = await this.turns.run(WRITES, async () => {
      const log = await this.partitionOf(transactionalId)
      const batch = await encodeRecordBatch([{key: record.key, value: record.value, headers: [], timestamp: this.now()}], {compression: 'none'})
      append(log, batch)
      apply()
      return log
    })
    try {
      await partition.flush()
    } catch (error) {
      throw new TransactionLogWriteError(`${where(partition)}: flush failed: ${(error as Error).message}`, 'storage')
    }
  }

  private async partitionOf(transactionalId: string): Promise<PartitionLog> {
    try {
      return await this.topic.partitionOf(transactionalId)
    } catch (error) {
      throw new TransactionLogWriteError(`the __transaction_state partition of ${transactionalId} is not available: ${(error as Error).message}`,
        'unavailable')
    }
  }
}

function append(partition: PartitionLog, batch: Buffer): void {
  try {
    partition.append(batch)
  } catch (error) {
    if (error instanceof RecordBatchTooLargeError) throw new TransactionLogWriteError(`${where(partition)}: ${error.message}`, 'too-large')
    if (error instanceof StorageError) throw new TransactionLogWriteError(`${where(partition)}: ${error.message}`, 'storage')
    throw error
  }
}

function where(partition: PartitionLog): string {
  return `${partition.topic}-${partition.partition}`
}

/**
 * The error a client gets for a failed write, as Kafka's coordinator maps its append errors: the
 * partition not there -> COORDINATOR_NOT_AVAILABLE, a storage failure -> NOT_COORDINATOR (the client
 * looks the coordinator up again and retries), a record too large -> UNKNOWN_SERVER_ERROR.
 */
export function transactionLogErrorOf(error: unknown): number {
  if (!(error instanceof TransactionLogWriteError)) return ErrorCode.UNKNOWN_SERVER_ERROR
  switch (error.failure) {
    case 'unavailable': return ErrorCode.COORDINATOR_NOT_AVAILABLE
    case 'storage': return ErrorCode.NOT_COORDINATOR
    case 'too-large': return ErrorCode.UNKNOWN_SERVER_ERROR
  }
}
