import type {TimestampType} from './record-batch.js'

/**
 * A record inside a RecordBatch v2:
 *
 *   length varint | attributes int8 (unused, 0) | timestampDelta varlong | offsetDelta varint |
 *   keyLength varint (-1 = null) | key | valueLength varint (-1 = null, a tombstone) | value |
 *   headerCount varint | {keyLength varint | key UTF-8 | valueLength varint (-1 = null) | value}*
 */
export interface RecordHeader {
  key: string
  value: Buffer | null
}

export interface ProducerRecord {
  key: Buffer | null
  value: Buffer | null
  headers: RecordHeader[]
  /** Milliseconds since the epoch. */
  timestamp: number
}

/** A decoded record; key, value and header values are views into the (decompressed) batch. */
export interface ConsumedRecord extends ProducerRecord {
  offset: number
  timestampType: TimestampType
}
