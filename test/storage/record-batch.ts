// Test helper: builds and reads RecordBatch v2 bytes (uncompressed) without src/protocol,
// so storage tests check stored bytes against an independent encoder.
import {crc32c} from '@node-rs/crc32'

export interface BatchOptions {
  timestamp?: number
  /** the producer's view; the log must overwrite it */
  baseOffset?: number
  partitionLeaderEpoch?: number
  /** an idempotent producer's fields; -1 each when absent */
  producerId?: bigint
  producerEpoch?: number
  baseSequence?: number
  /** attribute bit 4 */
  transactional?: boolean
}

export function buildBatch(values: string[], options: BatchOptions = {}): Buffer {
  const timestamp = options.timestamp ?? 1_700_000_000_000
  const records = Buffer.concat(values.map((value, i) => encodeRecord(i, Buffer.from(value))))
  const header = Buffer.alloc(61)
  header.writeBigInt64BE(BigInt(options.baseOffset ?? 0), 0)
  header.writeInt32BE(61 - 12 + records.length, 8)
  header.writeInt32BE(options.partitionLeaderEpoch ?? -1, 12)
  header.writeInt8(2, 16)
  header.writeInt16BE(options.transactional === true ? 0x10 : 0, 21)
  header.writeInt32BE(values.length - 1, 23)
  header.writeBigInt64BE(BigInt(timestamp), 27)
  header.writeBigInt64BE(BigInt(timestamp), 35)
  header.writeBigInt64BE(options.producerId ?? -1n, 43)
  header.writeInt16BE(options.producerEpoch ?? -1, 51)
  header.writeInt32BE(options.baseSequence ?? -1, 53)
  header.writeInt32BE(values.length, 57)
  const batch = Buffer.concat([header, records])
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17)
  return batch
}

export interface ParsedBatch {
  baseOffset: number
  lastOffset: number
  partitionLeaderEpoch: number
  attributes: number
  maxTimestamp: number
  crcValid: boolean
  values: string[]
}

export function parseBatch(batch: Buffer): ParsedBatch {
  const baseOffset = Number(batch.readBigInt64BE(0))
  const count = batch.readInt32BE(57)
  const reader = {bytes: batch, at: 61}
  const values: string[] = []
  for (let i = 0; i < count; i++) values.push(decodeRecordValue(reader))
  return {
    baseOffset,
    lastOffset: baseOffset + batch.readInt32BE(23),
    partitionLeaderEpoch: batch.readInt32BE(12),
    attributes: batch.readInt16BE(21),
    maxTimestamp: Number(batch.readBigInt64BE(35)),
    crcValid: crc32c(batch.subarray(21)) === batch.readUInt32BE(17),
    values,
  }
}

/** Splits back-to-back batches; a trailing partial batch is an error here (storage returns whole ones). */
export function splitBatches(bytes: Buffer): Buffer[] {
  const batches: Buffer[] = []
  let at = 0
  while (at < bytes.length) {
    const size = bytes.readInt32BE(at + 8) + 12
    if (at + size > bytes.length) throw new Error(`partial batch at ${at}`)
    batches.push(bytes.subarray(at, at + size))
    at += size
  }
  return batches
}

/** Every (offset, value) in back-to-back batches. */
export function recordsIn(bytes: Buffer): {offset: number; value: string}[] {
  return splitBatches(bytes).flatMap((batch) => {
    const parsed = parseBatch(batch)
    return parsed.values.map((value, i) => ({offset: parsed.baseOffset + i, value}))
  })
}

function encodeRecord(offsetDelta: number, value: Buffer): Buffer {
  const body = Buffer.concat([
    Buffer.from([0]), // attributes
    varint(0), // timestampDelta
    varint(offsetDelta),
    varint(-1), // null key
    varint(value.length),
    value,
    varint(0), // no headers
  ])
  return Buffer.concat([varint(body.length), body])
}

function varint(value: number): Buffer {
  let zigzag = (value << 1) ^ (value >> 31)
  const bytes: number[] = []
  while ((zigzag & ~0x7f) !== 0) {
    bytes.push((zigzag & 0x7f) | 0x80)
    zigzag >>>= 7
  }
  bytes.push(zigzag)
  return Buffer.from(bytes)
}

function readVarint(reader: {bytes: Buffer; at: number}): number {
  let result = 0
  let shift = 0
  for (;;) {
    const byte = reader.bytes[reader.at++] as number
    result |= (byte & 0x7f) << shift
    if ((byte & 0x80) === 0) break
    shift += 7
  }
  return (result >>> 1) ^ -(result & 1)
}

function decodeRecordValue(reader: {bytes: Buffer; at: number}): string {
  const length = readVarint(reader)
  const end = reader.at + length
  reader.at += 1 // attributes
  readVarint(reader) // timestampDelta
  readVarint(reader) // offsetDelta
  const keyLength = readVarint(reader)
  if (keyLength > 0) reader.at += keyLength
  const valueLength = readVarint(reader)
  const value = reader.bytes.toString('utf8', reader.at, reader.at + valueLength)
  reader.at = end
  return value
}

/**
 * A transaction marker as the coordinator writes it: attributes transactional + control, baseSequence
 * -1, one record with key `0 | type` (0 ABORT, 1 COMMIT) and value `0 | coordinatorEpoch`.
 */
export function buildControlBatch(options: {type: 'ABORT' | 'COMMIT'; producerId: bigint; producerEpoch: number; coordinatorEpoch?: number; timestamp?: number}): Buffer {
  const timestamp = options.timestamp ?? 1_700_000_000_000
  const key = Buffer.from([0, 0, 0, options.type === 'ABORT' ? 0 : 1])
  const value = Buffer.alloc(6)
  value.writeInt32BE(options.coordinatorEpoch ?? 0, 2)
  const body = Buffer.concat([Buffer.from([0, 0, 0, zigzag(key.length)]), key, Buffer.from([zigzag(value.length)]), value, Buffer.from([0])])
  const record = Buffer.concat([Buffer.from([zigzag(body.length)]), body])
  const header = Buffer.alloc(61)
  header.writeInt32BE(61 - 12 + record.length, 8)
  header.writeInt8(2, 16)
  header.writeInt16BE(0x30, 21)
  header.writeBigInt64BE(BigInt(timestamp), 27)
  header.writeBigInt64BE(BigInt(timestamp), 35)
  header.writeBigInt64BE(options.producerId, 43)
  header.writeInt16BE(options.producerEpoch, 51)
  header.writeInt32BE(-1, 53)
  header.writeInt32BE(1, 57)
  const batch = Buffer.concat([header, record])
  batch.writeUInt32BE(crc32c(batch.subarray(21)), 17)
  return batch
}

/** zigzag of a small non-negative number, one varint byte */
function zigzag(n: number): number {
  return n << 1
}
