import {decompress, decompressSync} from './compression.js'
import {ProtocolError} from './protocol-error.js'
import {Reader} from './reader.js'
import type {ConsumedRecord, RecordHeader} from './record.js'
import {BATCH_HEADER_SIZE, type BatchHeader, LOG_OVERHEAD, batchCrcIsValid, readBatchHeader} from './record-batch.js'

/** A batch decoded into records (client side only: the broker never inflates). */
export interface InflatedBatch {
  header: BatchHeader
  records: ConsumedRecord[]
}

/** Shared by every record without headers; frozen so that no caller can add to it by mistake. */
const NO_HEADERS = Object.freeze([]) as unknown as RecordHeader[]
/** The smallest record: seven one-byte fields. */
const MIN_RECORD_SIZE = 7

/**
 * Verifies the CRC, decompresses and decodes one batch. Control batches (transaction markers) are
 * decoded like any other and flagged by `header.isControl`; consumers skip them.
 */
export async function inflateBatch(batch: Buffer): Promise<InflatedBatch> {
  const {header, payload} = checkedBatch(batch)
  const data = header.compression === 'none' ? payload : await decompress(header.compression, payload)
  return {header, records: decodeRecords(data, header)}
}

/** inflateBatch without a promise, for every codec but zstd (which throws: use inflateBatch). */
export function inflateBatchSync(batch: Buffer): InflatedBatch {
  const {header, payload} = checkedBatch(batch)
  return {header, records: decodeRecords(decompressSync(header.compression, payload), header)}
}

function checkedBatch(batch: Buffer): {header: BatchHeader; payload: Buffer} {
  const header = readBatchHeader(batch)
  const end = LOG_OVERHEAD + header.batchLength
  if (end > batch.length) throw new ProtocolError(`record batch of ${end} bytes is truncated to ${batch.length}`)
  if (!batchCrcIsValid(batch)) throw new ProtocolError(`record batch at offset ${header.baseOffset} fails its CRC check`)
  return {header, payload: batch.subarray(BATCH_HEADER_SIZE, end)}
}

/**
 * Decodes the records section. This is the consumer's hot path: one object per record, keys and
 * values as views into `data`, no other allocation unless the record has headers.
 */
export function decodeRecords(data: Buffer, header: BatchHeader): ConsumedRecord[] {
  const count = header.recordCount
  if (count < 0 || count * MIN_RECORD_SIZE > data.length) {
    throw new ProtocolError(`record batch claims ${count} records in ${data.length} bytes`)
  }
  const {baseOffset, baseTimestamp, timestampType} = header
  const logAppendTime = timestampType === 'LogAppendTime'
  const {maxTimestamp} = header
  const r = new Reader(data)
  const records: ConsumedRecord[] = []
  for (let i = 0; i < count; i++) {
    const length = r.varint()
    const start = r.pos
    r.skip(1) // attributes: unused in v2 records
    const timestampDelta = r.varlong()
    const offsetDelta = r.varint()
    const key = r.varintBytes()
    const value = r.varintBytes()
    const headerCount = r.varint()
    const headers = headerCount === 0 ? NO_HEADERS : readHeaders(r, headerCount)
    if (r.pos - start !== length && !r.failed) r.fail(`record ${i} is ${r.pos - start} bytes, its length says ${length}`)
    if (r.failed) break
    records.push({
      key,
      value,
      headers,
      timestamp: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta,
      offset: baseOffset + offsetDelta,
      timestampType,
    })
  }
  r.check(`record batch at offset ${baseOffset}`)
  return records
}

function readHeaders(r: Reader, count: number): RecordHeader[] {
  if (count < 0 || count > r.remaining) {
    r.fail(`record header count ${count}`)
    return NO_HEADERS
  }
  const headers: RecordHeader[] = []
  for (let i = 0; i < count && !r.failed; i++) headers.push({key: r.varintString(), value: r.varintBytes()})
  return headers
}
