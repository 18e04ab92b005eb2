/**
 * Checks a partition's `records` from a Produce request before it is appended. The broker looks
 * only at the 61-byte batch header and the CRC: it never decodes records (see design: no
 * per-record work on the produce path).
 *
 * Accepted: exactly one RecordBatch v2 filling the buffer, recordCount = lastOffsetDelta + 1 > 0,
 * a valid CRC-32C, no larger than the topic's max.message.bytes, zstd only from Produce v7, and not
 * a control batch (only the broker writes those). PartitionLeaderEpoch is not checked: librdkafka
 * writes 0, the Java client -1, and the log overwrites it anyway.
 */
import {BATCH_HEADER_SIZE, batchCrcIsValid, ErrorCode, readBatchHeader} from '../protocol/index.js'

/** Offset of the magic byte, identical in every message format version. */
const MAGIC_OFFSET = 16
/** Bytes before batchLength's count starts: baseOffset (8) + batchLength (4). */
const LOG_OVERHEAD = 12
const ZSTD_MIN_PRODUCE_VERSION = 7

export type BatchCheck = {ok: true} | {ok: false; errorCode: number; message: string}

export function checkProducedBatch(records: Buffer | null,
  opts: {maxMessageBytes: number; produceVersion: number}): BatchCheck {
  if (records === null || records.length === 0) return corrupt('the partition carries no record batch')
  if (records.length > MAGIC_OFFSET && records[MAGIC_OFFSET] !== 2) {
    return corrupt(`record batch magic ${records[MAGIC_OFFSET]} is not supported, only magic 2`)
  }
  if (records.length < BATCH_HEADER_SIZE) return corrupt(`record batch of ${records.length} bytes is shorter than its header`)
  let header: ReturnType<typeof readBatchHeader>
  try {
    header = readBatchHeader(records, 0)
  } catch (error) {
    return corrupt(`unreadable record batch header: ${(error as Error).message}`)
  }
  if (header.batchLength + LOG_OVERHEAD !== records.length) {
    return corrupt(`batchLength ${header.batchLength} does not match the ${records.length} bytes sent: exactly one batch per partition`)
  }
  if (header.recordCount <= 0 || header.recordCount !== header.lastOffsetDelta + 1) {
    return corrupt(`recordCount ${header.recordCount} does not match lastOffsetDelta ${header.lastOffsetDelta}`)
  }
  if (records.length > opts.maxMessageBytes) {
    return {ok: false, errorCode: ErrorCode.MESSAGE_TOO_LARGE,
      message: `record batch of ${records.length} bytes exceeds max.message.bytes ${opts.maxMessageBytes}`}
  }
  if (header.compression === 'zstd' && opts.produceVersion < ZSTD_MIN_PRODUCE_VERSION) {
    return {ok: false, errorCode: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE,
      message: `zstd needs Produce v${ZSTD_MIN_PRODUCE_VERSION} or later, got v${opts.produceVersion}`}
  }
  if (header.isControl) {
    return {ok: false, errorCode: ErrorCode.INVALID_RECORD, message: 'producers may not send control batches'}
  }
  if (!batchCrcIsValid(records)) return corrupt('record batch CRC-32C does not match its contents')
  return {ok: true}
}

function corrupt(message: string): BatchCheck {
  return {ok: false, errorCode: ErrorCode.CORRUPT_MESSAGE, message}
}
