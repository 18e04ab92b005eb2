import {decompress, decompressSync} from './compression.js'
import {ProtocolError} from './protocol-error.js'
import type {ConsumedRecord} from './record.js'
import {BATCH_HEADER_SIZE, type BatchHeader, LOG_OVERHEAD, batchCrcIsValid, readBatchHeader} from './record-batch.js'
import {RecordLayout} from './record-layout.js'

/** A batch decoded into records (client side only: the broker never inflates). */
export interface InflatedBatch {
  header: BatchHeader
  records: ConsumedRecord[]
}

/**
 * Verifies the CRC, decompresses and decodes one batch. Control batches (transaction markers) are
 * decoded like any other and flagged by `header.isControl`; consumers skip them.
 */
export async function inflateBatch(batch: Buffer): Promise<InflatedBatch> {
  const layout = await inflateLayout(batch)
  return {header: layout.header, records: layout.records()}
}

/** inflateBatch without a promise, for every codec but zstd (which throws: use inflateBatch). */
export function inflateBatchSync(batch: Buffer): InflatedBatch {
  const layout = inflateLayoutSync(batch)
  return {header: layout.header, records: layout.records()}
}

/** inflateBatch, giving the records as a RecordLayout (no object per record). */
export async function inflateLayout(batch: Buffer): Promise<RecordLayout> {
  const {header, payload} = checkedBatch(batch)
  const data = header.compression === 'none' ? payload : await decompress(header.compression, payload)
  return RecordLayout.decode(data, header)
}

/** inflateLayout without a promise, for every codec but zstd (which throws: use inflateLayout). */
export function inflateLayoutSync(batch: Buffer): RecordLayout {
  const {header, payload} = checkedBatch(batch)
  return RecordLayout.decode(decompressSync(header.compression, payload), header)
}

function checkedBatch(batch: Buffer): {header: BatchHeader; payload: Buffer} {
  const header = readBatchHeader(batch)
  const end = LOG_OVERHEAD + header.batchLength
  if (end > batch.length) throw new ProtocolError(`record batch of ${end} bytes is truncated to ${batch.length}`)
  if (!batchCrcIsValid(batch)) throw new ProtocolError(`record batch at offset ${header.baseOffset} fails its CRC check`)
  return {header, payload: batch.subarray(BATCH_HEADER_SIZE, end)}
}
