/**
 * Stored batches: RecordBatch v2 frames kept exactly as the producer sent them. Storage reads and
 * writes only these header fields and never looks at records:
 *
 *   offset size field
 *        0    8 baseOffset            i64, stamped by the log on append
 *        8    4 batchLength           i32, bytes after this field (frame size = batchLength + 12)
 *       12    4 partitionLeaderEpoch  i32, stamped 0 on append
 *       16    1 magic                 i8, always 2
 *       17    4 crc                   u32, CRC-32C of bytes 21..end
 *       21    2 attributes            i16, bit 3 = timestamp type LogAppendTime, bit 4 = transactional,
 *                                      bit 5 = control (producer-batch.ts)
 *       23    4 lastOffsetDelta       i32, last offset - baseOffset
 *       35    8 maxTimestamp          i64, set to the append time for LogAppendTime topics
 *       43    8 producerId            i64, -1 when the producer is not idempotent
 *       51    2 producerEpoch         i16
 *       53    4 baseSequence          i32
 *       61      first record
 *
 * The CRC starts at byte 21, so stamping baseOffset and the epoch keeps it valid. Stamping
 * LogAppendTime changes covered bytes and recomputes it (one CRC pass over the batch bytes).
 */
import {crc32c} from '@node-rs/crc32'

/** baseOffset + batchLength: the bytes of a frame that batchLength does not count */
export const LOG_OVERHEAD = 12
export const BATCH_HEADER_SIZE = 61
export const MAGIC_V2 = 2
/** positions in a segment are u32 in the index and Node buffers stop at 2 GiB: a frame must stay below */
export const MAX_FRAME_SIZE = 0x7fffffff

export const BATCH_LENGTH_AT = 8
const LEADER_EPOCH_AT = 12
const MAGIC_AT = 16
export const CRC_AT = 17
export const ATTRIBUTES_AT = 21
export const LAST_OFFSET_DELTA_AT = 23
export const MAX_TIMESTAMP_AT = 35
export const PRODUCER_ID_AT = 43
export const PRODUCER_EPOCH_AT = 51
export const BASE_SEQUENCE_AT = 53
/** attribute bits */
export const LOG_APPEND_TIME_FLAG = 0x08
export const TRANSACTIONAL_FLAG = 0x10
export const CONTROL_FLAG = 0x20

/** What storage knows about one batch without decoding it. */
export interface BatchFrame {
  baseOffset: number
  lastOffset: number
  /** whole frame in bytes, batchLength + 12 */
  size: number
  /** the batch's maxTimestamp: its largest record timestamp, or its append time (LogAppendTime) */
  maxTimestamp: number
}

/** Why bytes are not a batch frame. */
export type FrameDefect = 'bad-length' | 'bad-magic' | 'bad-offset-delta' | 'bad-crc'

/**
 * Reads the frame header at `at`; the caller guarantees BATCH_HEADER_SIZE bytes are there.
 * Does not check that the whole frame is present, nor the CRC.
 */
export function readFrameHeader(bytes: Buffer, at: number): BatchFrame | FrameDefect {
  const batchLength = bytes.readInt32BE(at + BATCH_LENGTH_AT)
  if (batchLength < BATCH_HEADER_SIZE - LOG_OVERHEAD || batchLength > MAX_FRAME_SIZE - LOG_OVERHEAD) return 'bad-length'
  if (bytes.readInt8(at + MAGIC_AT) !== MAGIC_V2) return 'bad-magic'
  const lastOffsetDelta = bytes.readInt32BE(at + LAST_OFFSET_DELTA_AT)
  if (lastOffsetDelta < 0) return 'bad-offset-delta'
  const baseOffset = Number(bytes.readBigInt64BE(at))
  return {baseOffset, lastOffset: baseOffset + lastOffsetDelta, size: batchLength + LOG_OVERHEAD, maxTimestamp: readMaxTimestamp(bytes, at)}
}

export function isFrameDefect(result: BatchFrame | FrameDefect): result is FrameDefect {
  return typeof result === 'string'
}

/** The maxTimestamp field of the frame at `at`. */
export function readMaxTimestamp(bytes: Buffer, at = 0): number {
  return Number(bytes.readBigInt64BE(at + MAX_TIMESTAMP_AT))
}

/** The frame's stored CRC matches CRC-32C of its bytes 21..end; the caller guarantees the whole frame is there. */
export function frameCrcIsValid(bytes: Buffer, at: number, size: number): boolean {
  return crc32c(bytes.subarray(at + ATTRIBUTES_AT, at + size)) === bytes.readUInt32BE(at + CRC_AT)
}

/**
 * Checks that `batch` is exactly one v2 frame (not its CRC: the producer path validated it) and
 * returns its frame with baseOffset as the producer sent it; a defect as a string.
 */
export function describeSingleFrame(batch: Buffer): BatchFrame | FrameDefect | 'size-mismatch' {
  if (batch.length < BATCH_HEADER_SIZE) return 'size-mismatch'
  const frame = readFrameHeader(batch, 0)
  if (isFrameDefect(frame)) return frame
  return frame.size === batch.length ? frame : 'size-mismatch'
}

/**
 * How many leading bytes of `bytes`, which start with a whole frame of `firstSize` bytes, are whole
 * frames; a header defect inside them is returned instead (the bytes are not a log).
 */
export function wholeFramesLength(bytes: Buffer, firstSize: number): number | FrameDefect {
  let end = firstSize
  while (end + BATCH_HEADER_SIZE <= bytes.length) {
    const frame = readFrameHeader(bytes, end)
    if (isFrameDefect(frame)) return frame
    if (end + frame.size > bytes.length) break
    end += frame.size
  }
  return end
}

/** Assigns the batch its offsets: baseOffset and partitionLeaderEpoch 0, both outside the CRC. */
export function stampOffsets(batch: Buffer, baseOffset: number): void {
  batch.writeBigInt64BE(BigInt(baseOffset), 0)
  batch.writeInt32BE(0, LEADER_EPOCH_AT)
}

/** Marks the batch LogAppendTime with maxTimestamp = `now`, and recomputes the CRC those bytes are under. */
export function stampLogAppendTime(batch: Buffer, now: number): void {
  batch.writeInt16BE(batch.readInt16BE(ATTRIBUTES_AT) | LOG_APPEND_TIME_FLAG, ATTRIBUTES_AT)
  batch.writeBigInt64BE(BigInt(now), MAX_TIMESTAMP_AT)
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_AT)), CRC_AT)
}
