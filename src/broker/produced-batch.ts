/**
 * Checks a partition's `records` from a Produce request before it is appended. The broker looks
 * only at the 61-byte batch header and the CRC: it never decodes records (see design: no
 * per-record work on the produce path).
 *
 * Accepted: exactly one RecordBatch v2 filling the buffer, recordCount = lastOffsetDelta + 1 > 0,
 * a record count the batch's bytes can hold, a valid CRC-32C, no larger than the topic's
 * max.message.bytes, zstd only from Produce v7, not a control batch (only the broker writes
 * those), and a sequence (baseSequence >= 0) whenever a producer id is set, as Kafka's LogValidator
 * requires (the log checks the sequence itself against the producer's state). PartitionLeaderEpoch is not checked: librdkafka writes 0, the Java client -1, and the log
 * overwrites it anyway.
 *
 * Error codes follow Kafka's LogValidator: a batch that is well formed but breaks a rule (none, more
 * than one, magic other than 2, count inconsistent with lastOffsetDelta or with its size) is
 * INVALID_RECORD (87); bytes that cannot be read as a batch (short, a length past the end) or fail
 * the CRC are CORRUPT_MESSAGE (2).
 *
 * Why the count bound: the log end moves by lastOffsetDelta + 1, so a one-record batch claiming 2^31
 * records would skip 2^31 offsets. An uncompressed record takes at least 7 bytes (length, attributes,
 * timestampDelta, offsetDelta, key length, value length, header count: one byte each); a compressed
 * batch's count is bounded like librdkafka's batch.num.messages maximum.
 */
import {BATCH_HEADER_SIZE, batchCrcIsValid, ErrorCode, inflateLayout, LOG_OVERHEAD, RECORD_BATCH_MAGIC, readBatchHeader,
  type BatchHeader, type BatchIndexAndErrorMessage} from '../protocol/index.js'

/** Offset of the magic byte, identical in every message format version. */
const MAGIC_OFFSET = 16
const ZSTD_MIN_PRODUCE_VERSION = 7
/** The smallest encoding of a record in an uncompressed batch. */
const MIN_RECORD_BYTES = 7
/** The most records a compressed batch may claim (librdkafka's batch.num.messages maximum). */
export const MAX_COMPRESSED_BATCH_RECORDS = 1_000_000

export type BatchCheck = {ok: true} | {ok: false; errorCode: number; message: string; recordErrors?: BatchIndexAndErrorMessage[]}

export function checkProducedBatch(records: Buffer | null,
  opts: {maxMessageBytes: number; produceVersion: number}): BatchCheck {
  if (records === null || records.length === 0) return invalid('the partition carries no record batch')
  if (records.length > MAGIC_OFFSET && records[MAGIC_OFFSET] !== RECORD_BATCH_MAGIC) {
    return invalid(`record batch magic ${records[MAGIC_OFFSET]} is not supported, only magic ${RECORD_BATCH_MAGIC}`)
  }
  if (records.length < BATCH_HEADER_SIZE) return corrupt(`record batch of ${records.length} bytes is shorter than its header`)
  let header: BatchHeader
  try {
    header = readBatchHeader(records, 0)
  } catch (error) {
    return corrupt(`unreadable record batch header: ${(error as Error).message}`)
  }
  const shape = shapeRefusal(header, records.length)
  if (shape !== null) return shape
  if (records.length > opts.maxMessageBytes) {
    return {ok: false, errorCode: ErrorCode.MESSAGE_TOO_LARGE,
      message: `record batch of ${records.length} bytes exceeds max.message.bytes ${opts.maxMessageBytes}`}
  }
  if (header.compression === 'zstd' && opts.produceVersion < ZSTD_MIN_PRODUCE_VERSION) {
    return {ok: false, errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      message: `zstd needs Produce v${ZSTD_MIN_PRODUCE_VERSION} or later, got v${opts.produceVersion}`}
  }
  if (header.isControl) return invalid('producers may not send control batches')
  if (header.producerId >= 0 && header.baseSequence < 0) {
    return invalid(`Invalid sequence number ${header.baseSequence} in record batch with producerId ${header.producerId}`)
  }
  if (!batchCrcIsValid(records)) return corrupt('record batch CRC-32C does not match its contents')
  return {ok: true}
}

/**
 * A compacted topic's rule, as Kafka's LogValidator applies it: every record needs a key, since
 * compaction keeps the latest record per key. This is the one per-record check of the produce path,
 * and only for compacted topics: the batch is decompressed and its records walked. A refused batch
 * is INVALID_RECORD (87) with Kafka's message and one record error per keyless record. Run after
 * checkProducedBatch accepted the batch; records that cannot be read are CORRUPT_MESSAGE.
 */
export async function checkRecordKeys(records: Buffer, topicPartition: string): Promise<BatchCheck> {
  let keyless: number[]
  try {
    const layout = await inflateLayout(records)
    keyless = []
    for (let i = 0; i < layout.count; i++) if (layout.keyLength(i) < 0) keyless.push(i)
  } catch (error) {
    return corrupt(`the records of the batch cannot be read: ${(error as Error).message}`)
  }
  if (keyless.length === 0) return {ok: true}
  const reason = `Compacted topic cannot accept message without key in topic partition ${topicPartition}.`
  const recordErrors = keyless.map(batchIndex => ({batchIndex, batchIndexErrorMessage: reason}))
  const shown = recordErrors.slice(0, 3).map(e => `RecordError(batchIndex=${e.batchIndex}, message='${reason}')`).join(', ')
  return {ok: false, errorCode: ErrorCode.INVALID_RECORD, recordErrors,
    message: `One or more records have been rejected due to ${keyless.length} record errors in total, and only showing the first three errors at most: [${shown}]`}
}

/** Length and record count against the bytes sent; null when they agree. */
function shapeRefusal(header: BatchHeader, sent: number): BatchCheck | null {
  const length = header.batchLength + LOG_OVERHEAD
  if (header.batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD || length > sent) {
    return corrupt(`batchLength ${header.batchLength} does not fit the ${sent} bytes sent`)
  }
  if (length < sent) return invalid(`${sent} bytes hold more than the one record batch of ${length} bytes allowed per partition`)
  if (header.recordCount <= 0 || header.recordCount !== header.lastOffsetDelta + 1) {
    return invalid(`recordCount ${header.recordCount} does not match lastOffsetDelta ${header.lastOffsetDelta}`)
  }
  const maxRecords = header.compression === 'none'
    ? Math.floor((header.batchLength - (BATCH_HEADER_SIZE - LOG_OVERHEAD)) / MIN_RECORD_BYTES)
    : MAX_COMPRESSED_BATCH_RECORDS
  if (header.recordCount > maxRecords) {
    return invalid(`recordCount ${header.recordCount} is more than the ${length}-byte ${header.compression === 'none'
      ? 'uncompressed' : 'compressed'} batch can hold (at most ${maxRecords})`)
  }
  return null
}

function invalid(message: string): BatchCheck {
  return {ok: false, errorCode: ErrorCode.INVALID_RECORD, message}
}

function corrupt(message: string): BatchCheck {
  return {ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE, message}
}
