import {crc32c} from '@node-rs/crc32'
import {type Compression, compressionFromId} from './compression.js'
import {ProtocolError} from './protocol-error.js'
import {Reader} from './reader.js'

/**
 * RecordBatch v2 (magic 2), the unit producers send, brokers store and consumers fetch.
 *
 *   off size field
 *    0   8   baseOffset            the broker rewrites it on append
 *    8   4   batchLength           bytes after this field (total - 12)
 *   12   4   partitionLeaderEpoch  the broker rewrites it on append
 *   16   1   magic = 2
 *   17   4   crc                   CRC-32C of bytes 21..end, so the two rewrites above keep it valid
 *   21   2   attributes            bits 0-2 codec, 3 LogAppendTime, 4 transactional, 5 control
 *   23   4   lastOffsetDelta
 *   27   8   baseTimestamp
 *   35   8   maxTimestamp
 *   43   8   producerId            -1 when not idempotent
 *   51   2   producerEpoch
 *   53   4   baseSequence
 *   57   4   recordCount
 *   61   …   records               one compressed block when the codec is not none
 *
 * A batch as bytes (a "deflated" batch) is what the broker handles; decoded records (an inflated
 * batch, see inflate-batch.ts) exist only in clients.
 */
export const BATCH_HEADER_SIZE = 61
/** baseOffset + batchLength: the bytes before what batchLength counts. */
export const LOG_OVERHEAD = 12
export const RECORD_BATCH_MAGIC = 2
export const CRC_OFFSET = 17
/** The CRC covers the batch from the attributes on. */
export const CRC_START = 21

export const ATTRIBUTE_CODEC_MASK = 0x07
export const ATTRIBUTE_LOG_APPEND_TIME = 0x08
export const ATTRIBUTE_TRANSACTIONAL = 0x10
export const ATTRIBUTE_CONTROL = 0x20

export type TimestampType = 'CreateTime' | 'LogAppendTime'

export interface BatchHeader {
  baseOffset: number
  batchLength: number
  partitionLeaderEpoch: number
  magic: number
  crc: number
  attributes: number
  lastOffsetDelta: number
  baseTimestamp: number
  maxTimestamp: number
  producerId: number
  producerEpoch: number
  baseSequence: number
  recordCount: number
  compression: Compression
  isTransactional: boolean
  isControl: boolean
  timestampType: TimestampType
}

/**
 * The header of the batch starting at `offset`. Throws ProtocolError when fewer than 61 bytes are
 * there, when the magic is not 2 (the older message formats lay out their fields differently) or
 * when the codec bits name no codec.
 */
export function readBatchHeader(buf: Buffer, offset = 0): BatchHeader {
  if (buf.length - offset < BATCH_HEADER_SIZE) {
    throw new ProtocolError(`record batch header needs ${BATCH_HEADER_SIZE} bytes, got ${Math.max(0, buf.length - offset)}`)
  }
  const magic = buf.readInt8(offset + 16)
  if (magic !== RECORD_BATCH_MAGIC) throw new ProtocolError(`record batch magic ${magic} is not supported (only 2)`)
  const r = new Reader(buf, offset)
  const baseOffset = r.int64()
  const batchLength = r.int32()
  const partitionLeaderEpoch = r.int32()
  r.skip(1)
  const crc = r.uint32()
  const attributes = r.int16()
  return {
    baseOffset,
    batchLength,
    partitionLeaderEpoch,
    magic,
    crc,
    attributes,
    lastOffsetDelta: r.int32(),
    baseTimestamp: r.int64(),
    maxTimestamp: r.int64(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    baseSequence: r.int32(),
    recordCount: r.int32(),
    compression: compressionFromId(attributes & ATTRIBUTE_CODEC_MASK),
    isTransactional: (attributes & ATTRIBUTE_TRANSACTIONAL) !== 0,
    isControl: (attributes & ATTRIBUTE_CONTROL) !== 0,
    timestampType: attributes & ATTRIBUTE_LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime',
  }
}

/** Whether `batch` (one whole batch) carries the CRC-32C of its bytes from the attributes on. */
export function batchCrcIsValid(batch: Buffer): boolean {
  if (batch.length < BATCH_HEADER_SIZE) return false
  const end = LOG_OVERHEAD + batch.readInt32BE(8)
  if (end < BATCH_HEADER_SIZE || end > batch.length) return false
  return crc32c(batch.subarray(CRC_START, end)) === batch.readUInt32BE(CRC_OFFSET)
}

/** Computes and stores the CRC of a batch whose other bytes are final. */
export function stampBatchCrc(batch: Buffer): void {
  batch.writeUInt32BE(crc32c(batch.subarray(CRC_START)), CRC_OFFSET)
}

/**
 * Cuts a records blob (a Produce partition's records, or a Fetch partition's, which may end in a
 * truncated batch) into whole batches, as views without copying. A truncated trailing batch is
 * dropped: the consumer fetches it again from its offset. A batch declaring fewer bytes than a
 * batch header is corrupt and throws ProtocolError.
 */
export function splitBatches(records: Buffer): Buffer[] {
  const batches: Buffer[] = []
  let pos = 0
  while (records.length - pos >= LOG_OVERHEAD) {
    const batchLength = records.readInt32BE(pos + 8)
    if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD) {
      throw new ProtocolError(`record batch at byte ${pos} declares a length of ${batchLength}`)
    }
    const end = pos + LOG_OVERHEAD + batchLength
    if (end > records.length) break
    batches.push(records.subarray(pos, end))
    pos = end
  }
  return batches
}
