/**
 * The producer fields of a stored batch, read from its RecordBatch v2 header only (stored-batch.ts
 * has the rest of the header):
 *
 *   offset size field
 *       21    2 attributes      i16, bit 4 = transactional, bit 5 = control
 *       23    4 lastOffsetDelta i32
 *       35    8 maxTimestamp    i64
 *       43    8 producerId      i64, -1 when the producer is not idempotent
 *       51    2 producerEpoch   i16
 *       53    4 baseSequence    i32, -1 when not idempotent (and in control batches)
 *       61      first record
 *
 * A control batch (a transaction marker, written by the transaction coordinator) holds one record
 * whose key is `version i16 | type i16` (0 ABORT, 1 COMMIT). Its type is read from that key: the
 * record's length, attributes, timestampDelta and offsetDelta varints are stepped over, then the key
 * length varint and the 4 key bytes. Nothing else of any record is read.
 *
 * Producer ids are int64 and kept as bigint: a client may send any id, and two ids above 2^53 must
 * stay two producers.
 */
import {ATTRIBUTES_AT, BASE_SEQUENCE_AT, BATCH_HEADER_SIZE, CONTROL_FLAG, LAST_OFFSET_DELTA_AT, MAX_TIMESTAMP_AT, PRODUCER_EPOCH_AT,
  PRODUCER_ID_AT, TRANSACTIONAL_FLAG} from './stored-batch.js'

const COMPRESSION_MASK = 0x07
const INT32_MAX = 0x7fffffff

/** The producer id of a batch from a producer that is not idempotent. */
export const NO_PRODUCER_ID = -1n
/** How many bytes after the header the control record's key lies within: five varints of at most 5 (or 10) bytes, and the key. */
export const CONTROL_KEY_SPAN = 32

export type MarkerType = 'ABORT' | 'COMMIT'

/** What producer state reads of one batch. */
export interface ProducerBatch {
  producerId: bigint
  producerEpoch: number
  baseSequence: number
  /** baseSequence + lastOffsetDelta, wrapping past 2^31 - 1 to 0 as Kafka's sequences do */
  lastSequence: number
  /** lastOffset - baseOffset */
  offsetDelta: number
  maxTimestamp: number
  transactional: boolean
  /** the marker type of a control batch; undefined for a data batch */
  control: MarkerType | undefined
  /** the marker's coordinator epoch (control batches only, -1 otherwise) */
  coordinatorEpoch: number
}

/** Why a control batch's marker cannot be read. */
export type ControlDefect = string

/**
 * The producer fields of the batch at `at` in `bytes`, which holds its header and, for a control
 * batch, at least the first CONTROL_KEY_SPAN bytes after it (or the whole batch); a string saying
 * why when a control batch's record does not name a transaction marker.
 */
export function readProducerBatch(bytes: Buffer, at = 0): ProducerBatch | ControlDefect {
  const attributes = bytes.readInt16BE(at + ATTRIBUTES_AT)
  const offsetDelta = bytes.readInt32BE(at + LAST_OFFSET_DELTA_AT)
  const baseSequence = bytes.readInt32BE(at + BASE_SEQUENCE_AT)
  const isControl = (attributes & CONTROL_FLAG) !== 0
  const batch: ProducerBatch = {
    producerId: bytes.readBigInt64BE(at + PRODUCER_ID_AT),
    producerEpoch: bytes.readInt16BE(at + PRODUCER_EPOCH_AT),
    baseSequence,
    lastSequence: incrementSequence(baseSequence, offsetDelta),
    offsetDelta,
    maxTimestamp: Number(bytes.readBigInt64BE(at + MAX_TIMESTAMP_AT)),
    transactional: (attributes & TRANSACTIONAL_FLAG) !== 0,
    control: undefined,
    coordinatorEpoch: -1,
  }
  if (!isControl) return batch
  if ((attributes & COMPRESSION_MASK) !== 0) return 'a control batch must not be compressed'
  const marker = readMarker(bytes, at + BATCH_HEADER_SIZE)
  if (typeof marker === 'string') return marker
  return {...batch, control: marker.type, coordinatorEpoch: marker.coordinatorEpoch}
}

/** Whether the batch is a control batch, from its attributes alone. */
export function isControlBatch(bytes: Buffer, at = 0): boolean {
  return (bytes.readInt16BE(at + ATTRIBUTES_AT) & CONTROL_FLAG) !== 0
}

/** `sequence` + `delta`, wrapping past 2^31 - 1 to 0 (Kafka's DefaultRecordBatch.incrementSequence). */
export function incrementSequence(sequence: number, delta: number): number {
  if (sequence < 0) return sequence
  return sequence > INT32_MAX - delta ? delta - (INT32_MAX - sequence) - 1 : sequence + delta
}

/** `sequence` - `delta`, wrapping below 0 to 2^31 - 1 (the inverse of incrementSequence). */
export function decrementSequence(sequence: number, delta: number): number {
  if (sequence < 0) return sequence
  return sequence < delta ? INT32_MAX - (delta - sequence) + 1 : sequence - delta
}

/**
 * The marker in the first record at `at`: length, attributes i8, timestampDelta, offsetDelta,
 * keyLength (varints), key = version i16 | type i16, valueLength, value = version i16 |
 * coordinatorEpoch i32.
 */
function readMarker(bytes: Buffer, at: number): {type: MarkerType; coordinatorEpoch: number} | ControlDefect {
  const cursor = {at, ok: true}
  skipVarint(bytes, cursor) // record length
  cursor.at += 1 // attributes
  skipVarint(bytes, cursor) // timestampDelta
  skipVarint(bytes, cursor) // offsetDelta
  const keyLength = readVarint(bytes, cursor)
  if (!cursor.ok || keyLength < 4 || cursor.at + keyLength > bytes.length) return 'the control record has no readable key'
  const keyAt = cursor.at
  cursor.at += keyLength
  const valueLength = readVarint(bytes, cursor)
  if (bytes.readInt16BE(keyAt) < 0) return `control record key version ${bytes.readInt16BE(keyAt)}`
  const type = bytes.readInt16BE(keyAt + 2)
  if (type !== 0 && type !== 1) return `control record type ${type} is not a transaction marker`
  const coordinatorEpoch = cursor.ok && valueLength >= 6 && cursor.at + 6 <= bytes.length ? bytes.readInt32BE(cursor.at + 2) : -1
  return {type: type === 0 ? 'ABORT' : 'COMMIT', coordinatorEpoch}
}

/** A zigzag varint (at most 5 bytes); marks the cursor failed when it runs past the bytes. */
function readVarint(bytes: Buffer, cursor: {at: number; ok: boolean}): number {
  let value = 0
  for (let shift = 0; shift <= 28; shift += 7) {
    if (cursor.at >= bytes.length) break
    const byte = bytes[cursor.at++] as number
    value |= (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) return (value >>> 1) ^ -(value & 1)
  }
  cursor.ok = false
  return 0
}

/** Steps over a varint or varlong (at most 10 bytes). */
function skipVarint(bytes: Buffer, cursor: {at: number; ok: boolean}): void {
  for (let i = 0; i < 10; i++) {
    if (cursor.at >= bytes.length) break
    if (((bytes[cursor.at++] as number) & 0x80) === 0) return
  }
  cursor.ok = false
}
