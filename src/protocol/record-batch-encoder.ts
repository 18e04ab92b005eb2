import {type Compression, compress, compressionId} from './compression.js'
import {ProtocolError} from './protocol-error.js'
import type {ProducerRecord} from './record.js'
import {ATTRIBUTE_TRANSACTIONAL, BATCH_HEADER_SIZE, LOG_OVERHEAD, RECORD_BATCH_MAGIC, stampBatchCrc} from './record-batch.js'
import {Writer, writeInt64At} from './writer.js'

export interface BatchOptions {
  compression: Compression
  producerId?: number
  producerEpoch?: number
  baseSequence?: number
  transactional?: boolean
}

/** Per-record bytes beyond key and value, enough for most records so the writer rarely grows. */
const RECORD_OVERHEAD_ESTIMATE = 24

/**
 * Encodes records as one RecordBatch v2, as a producer sends it: baseOffset 0 and
 * partitionLeaderEpoch -1 (the broker assigns both), baseTimestamp = the first record's timestamp,
 * producer fields -1 unless given.
 */
export async function encodeRecordBatch(records: ProducerRecord[], opts: BatchOptions): Promise<Buffer> {
  if (records.length === 0) throw new ProtocolError('a record batch needs at least one record')
  const w = new Writer(estimateSize(records))
  w.reserve(BATCH_HEADER_SIZE)
  const baseTimestamp = records[0].timestamp
  let maxTimestamp = baseTimestamp
  for (let i = 0; i < records.length; i++) {
    const record = records[i]
    if (record.timestamp > maxTimestamp) maxTimestamp = record.timestamp
    writeRecord(w, record, record.timestamp - baseTimestamp, i)
  }
  let batch = w.finish()
  if (opts.compression !== 'none') {
    const compressed = await compress(opts.compression, batch.subarray(BATCH_HEADER_SIZE))
    batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length)
    compressed.copy(batch, BATCH_HEADER_SIZE)
  }
  const attributes = compressionId(opts.compression) | (opts.transactional ? ATTRIBUTE_TRANSACTIONAL : 0)
  let at = writeInt64At(batch, 0, 0)
  at = batch.writeInt32BE(batch.length - LOG_OVERHEAD, at)
  at = batch.writeInt32BE(-1, at)
  at = batch.writeInt8(RECORD_BATCH_MAGIC, at)
  at += 4 // CRC, stamped last
  at = batch.writeInt16BE(attributes, at)
  at = batch.writeInt32BE(records.length - 1, at)
  at = writeInt64At(batch, at, baseTimestamp)
  at = writeInt64At(batch, at, maxTimestamp)
  at = writeInt64At(batch, at, opts.producerId ?? -1)
  at = batch.writeInt16BE(opts.producerEpoch ?? -1, at)
  at = batch.writeInt32BE(opts.baseSequence ?? -1, at)
  batch.writeInt32BE(records.length, at)
  stampBatchCrc(batch)
  return batch
}

function writeRecord(w: Writer, record: ProducerRecord, timestampDelta: number, offsetDelta: number): void {
  const headerKeys = record.headers.map((header) => Buffer.from(header.key, 'utf8'))
  let size =
    1 + zigzagSize(timestampDelta) + zigzagSize(offsetDelta) + bytesSize(record.key) + bytesSize(record.value)
  size += zigzagSize(record.headers.length)
  for (let i = 0; i < headerKeys.length; i++) size += bytesSize(headerKeys[i]) + bytesSize(record.headers[i].value)
  w.varint(size)
  w.int8(0)
  w.varlong(timestampDelta)
  w.varint(offsetDelta)
  w.varintBytes(record.key)
  w.varintBytes(record.value)
  w.varint(record.headers.length)
  for (let i = 0; i < headerKeys.length; i++) {
    w.varintBytes(headerKeys[i])
    w.varintBytes(record.headers[i].value)
  }
}

/** Bytes of a varint-length-prefixed value (-1 for null). */
function bytesSize(bytes: Buffer | null): number {
  return bytes === null ? 1 : zigzagSize(bytes.length) + bytes.length
}

/** Bytes of a zigzag varint or varlong, counted from sign and magnitude as Writer.varlong writes it. */
function zigzagSize(v: number): number {
  let rest = Math.floor((v >= 0 ? v : -v - 1) / 64)
  let size = 1
  while (rest > 0) {
    rest = Math.floor(rest / 0x80)
    size++
  }
  return size
}

function estimateSize(records: ProducerRecord[]): number {
  let size = BATCH_HEADER_SIZE
  for (const record of records) {
    size += RECORD_OVERHEAD_ESTIMATE + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  }
  return size
}
