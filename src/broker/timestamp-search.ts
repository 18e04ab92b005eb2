/**
 * Offset lookups by timestamp for ListOffsets, done by walking the partition's batch headers
 * (maxTimestamp is in each header) and decoding only the one batch that holds the answer. The walk
 * is linear in the partition's size: storage keeps no time index yet. ListOffsets is a seek, not a
 * hot path, so this per-record work is confined to one batch per lookup.
 *
 * Control batches (transaction markers) carry broker time and are skipped, as Kafka does.
 */
import {inflateBatch, readBatchHeader, splitBatches, type BatchHeader} from '../protocol/index.js'
import type {PartitionLog} from '../storage/index.js'

export interface OffsetAndTimestamp {
  offset: number
  timestamp: number
}

/** Bytes read per step of the walk; each read still returns at least one whole batch. */
const SCAN_CHUNK_BYTES = 1 << 20

/** The first record with timestamp >= `timestamp`, or null when every record is older. */
export async function offsetForTimestamp(log: PartitionLog, timestamp: number): Promise<OffsetAndTimestamp | null> {
  for (const {header, batch} of dataBatches(log)) {
    if (header.maxTimestamp < timestamp) continue
    const records = await recordTimes(batch, header, log.logStartOffset)
    const found = records.find(record => record.timestamp >= timestamp)
    if (found !== undefined) return found
  }
  return null
}

/** The first record holding the partition's largest timestamp, or null for an empty partition. */
export async function offsetOfMaxTimestamp(log: PartitionLog): Promise<OffsetAndTimestamp | null> {
  let best: {header: BatchHeader; batch: Buffer} | null = null
  for (const entry of dataBatches(log)) {
    if (best === null || entry.header.maxTimestamp > best.header.maxTimestamp) best = entry
  }
  if (best === null) return null
  const records = await recordTimes(best.batch, best.header, log.logStartOffset)
  let max: OffsetAndTimestamp | null = null
  for (const record of records) if (max === null || record.timestamp > max.timestamp) max = record
  return max
}

/** The partition's non-control batches from its log start, in offset order. */
function* dataBatches(log: PartitionLog): Generator<{header: BatchHeader; batch: Buffer}> {
  let offset = log.logStartOffset
  while (offset < log.logEndOffset) {
    const batches = splitBatches(log.read(offset, SCAN_CHUNK_BYTES))
    const before = offset
    for (const batch of batches) {
      const header = readBatchHeader(batch, 0)
      const lastOffset = header.baseOffset + header.lastOffsetDelta
      if (lastOffset < offset) continue
      offset = lastOffset + 1
      if (!header.isControl) yield {header, batch}
    }
    if (offset === before) return
  }
}

async function recordTimes(batch: Buffer, header: BatchHeader, logStartOffset: number): Promise<OffsetAndTimestamp[]> {
  const {records} = await inflateBatch(batch)
  const appendTime = header.timestampType === 'LogAppendTime'
  return records
    .filter(record => record.offset >= logStartOffset)
    .map(record => ({offset: record.offset, timestamp: appendTime ? header.maxTimestamp : record.timestamp}))
}
