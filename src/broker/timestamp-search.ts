/**
 * Offset lookups by timestamp for ListOffsets. Storage finds the batch (segments' largest
 * timestamps and the time index, then a short scan: the cost does not grow with the partition);
 * only that batch is decoded here to name the record, so the per-record work of a lookup is one
 * batch. ListOffsets is a seek, not a hot path.
 *
 * Control batches (transaction markers) carry broker time and are skipped, as Kafka does. With
 * LogAppendTime every record of a batch has the batch's time (maxTimestamp).
 */
import {inflateBatch, readBatchHeader, splitBatches, type BatchHeader} from '../protocol/index.js'
import type {PartitionLog} from '../storage/index.js'

export interface OffsetAndTimestamp {
  offset: number
  timestamp: number
}

/** Bytes read per step; each read still returns at least one whole batch. */
const READ_BYTES = 64 * 1024

/**
 * The first record with timestamp >= `timestamp`, or null when every record is older. The first
 * batch storage returns nearly always holds it; the walk goes on only past control batches and
 * records below the log start.
 */
export async function offsetForTimestamp(log: PartitionLog, timestamp: number): Promise<OffsetAndTimestamp | null> {
  let batches = splitBatches(log.readFromTimestamp(timestamp, READ_BYTES))
  while (batches.length > 0) {
    let next = -1
    for (const batch of batches) {
      const header = readBatchHeader(batch, 0)
      next = header.baseOffset + header.lastOffsetDelta + 1
      if (header.isControl || header.maxTimestamp < timestamp) continue
      const found = (await recordTimes(batch, header, log.logStartOffset)).find(record => record.timestamp >= timestamp)
      if (found !== undefined) return found
    }
    if (next >= log.logEndOffset) return null
    // Retention or DeleteRecords may have moved the log start while a batch was inflated.
    batches = splitBatches(log.read(Math.max(next, log.logStartOffset), READ_BYTES))
  }
  return null
}

/** The first record holding the partition's largest timestamp, or null for an empty partition. */
export async function offsetOfMaxTimestamp(log: PartitionLog): Promise<OffsetAndTimestamp | null> {
  const batch = log.batchWithMaxTimestamp()
  if (batch === null) return null
  const records = await recordTimes(batch, readBatchHeader(batch, 0), log.logStartOffset)
  let max: OffsetAndTimestamp | null = null
  for (const record of records) if (max === null || record.timestamp > max.timestamp) max = record
  return max
}

async function recordTimes(batch: Buffer, header: BatchHeader, logStartOffset: number): Promise<OffsetAndTimestamp[]> {
  const {records} = await inflateBatch(batch)
  const appendTime = header.timestampType === 'LogAppendTime'
  return records
    .filter(record => record.offset >= logStartOffset)
    .map(record => ({offset: record.offset, timestamp: appendTime ? header.maxTimestamp : record.timestamp}))
}
