/**
 * Start-up replay of __transaction_state: every partition read from its log start to its end,
 * control batches skipped; for each transactional id the last record wins and a tombstone forgets
 * the id (Kafka's TransactionStateManager.loadTransactionMetadata). A record that does not decode
 * is skipped with a log line, and so is a damaged batch: one bad record must not keep the broker
 * from starting, nor lose the records after it.
 */
import {decodeTransactionLogKey, decodeTransactionLogValue, inflateLayout, readBatchHeader, splitBatches,
  type RecordLayout} from '../../protocol/index.js'
import {CorruptLogError, type PartitionLog} from '../../storage/index.js'
import type {TransactionState} from './transaction-metadata.js'
import {stateOf} from './transaction-log-records.js'

/** How much one read takes (at least one batch, whatever its size). */
const READ_BYTES = 1024 * 1024

export interface TransactionLogReplay {
  readonly states: Map<string, TransactionState>
  readonly log: (line: string) => void
}

/** Replays one partition into `into`; resolves to the number of records read. */
export async function replayTransactionPartition(partition: PartitionLog, into: TransactionLogReplay): Promise<number> {
  let offset = partition.logStartOffset
  let records = 0
  while (offset < partition.logEndOffset) {
    let bytes: Buffer
    try {
      bytes = partition.read(offset, READ_BYTES)
    } catch (error) {
      if (!(error instanceof CorruptLogError)) throw error
      into.log(`replay of ${where(partition)} skips offset ${offset}: ${error.message}`)
      offset++
      continue
    }
    const batches = splitBatches(bytes)
    if (batches.length === 0) break
    for (const batch of batches) {
      const header = readBatchHeader(batch)
      const next = header.baseOffset + header.lastOffsetDelta + 1
      if (!header.isControl && next > offset) records += replayBatch(await inflateLayout(batch), offset, partition, into)
      offset = Math.max(offset, next)
    }
  }
  return records
}

function replayBatch(layout: RecordLayout, from: number, partition: PartitionLog, into: TransactionLogReplay): number {
  let records = 0
  for (let i = 0; i < layout.count; i++) {
    const offset = layout.offset(i)
    if (offset < from) continue
    records++
    try {
      replayRecord(layout.key(i), layout.value(i), into)
    } catch (error) {
      into.log(`replay of ${where(partition)} skips the record at offset ${offset}: ${(error as Error).message}`)
    }
  }
  return records
}

function replayRecord(keyBytes: Buffer | null, value: Buffer | null, into: TransactionLogReplay): void {
  if (keyBytes === null) throw new Error('the record has no key')
  const {transactionalId} = decodeTransactionLogKey(keyBytes).value
  if (value === null) into.states.delete(transactionalId)
  else into.states.set(transactionalId, stateOf(decodeTransactionLogValue(value).value))
}

function where(partition: PartitionLog): string {
  return `${partition.topic}-${partition.partition}`
}
