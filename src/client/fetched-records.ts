// Turns the record batches fetched for one partition into records for the caller: control batches
// (transaction markers) are hidden, and records below the fetch position are dropped, since a fetch
// starts with the whole batch containing the requested offset.
import {inflateBatch, inflateBatchSync, readBatchHeader, type ConsumedRecord} from '../protocol/index.js'

/** Offset after the last record of a batch (read from the header alone). */
export function nextOffsetAfter(batch: Buffer): number {
  const header = readBatchHeader(batch)
  return header.baseOffset + header.lastOffsetDelta + 1
}

/** The records at or above `position` in `batches`, decoded. Verifies each batch's CRC. */
export async function recordsFrom(batches: readonly Buffer[], position: number): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = []
  for (const batch of batches) {
    const header = readBatchHeader(batch)
    if (header.isControl || header.baseOffset + header.lastOffsetDelta < position) continue
    const inflated = header.compression === 'zstd' ? await inflateBatch(batch) : inflateBatchSync(batch)
    const decoded = inflated.records
    if (header.baseOffset >= position) {
      for (const record of decoded) records.push(record)
    } else {
      for (const record of decoded) if (record.offset >= position) records.push(record)
    }
  }
  return records
}
