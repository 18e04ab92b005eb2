/**
 * The records inside a RecordBatch v2, as far as the log cleaner needs them: where each record
 * lies, its offset and timestamp deltas, its key and whether it has a value. Storage otherwise
 * never looks inside a batch (stored-batch.ts); the cleaner is the one part of storage that works
 * per record, so it reads them here rather than importing src/protocol, which storage must not.
 *
 * Records section (after the 61-byte batch header, decompressed when the batch is compressed):
 *
 *   length          varint   bytes of the record after this field
 *   attributes      int8     unused (0)
 *   timestampDelta  varlong  record timestamp - the batch's baseTimestamp
 *   offsetDelta     varint   record offset - the batch's baseOffset
 *   keyLength       varint   -1 = null key
 *   key             bytes
 *   valueLength     varint   -1 = null value: a tombstone
 *   value           bytes
 *   headers         varint count, then {keyLength varint, key, valueLength varint, value} each
 *
 * Varints are zig-zag encoded, 7 bits a byte, least significant group first. A retained record is
 * copied as it is, unless the batch's baseTimestamp changes (a delete horizon is set): then its
 * timestampDelta is re-encoded, and with it its length.
 */
import {CorruptLogError} from './errors.js'

/** Positions and fields of the records of one batch, in typed arrays: no object per record. */
export interface RecordTable {
  count: number
  /** where the record's length prefix starts */
  start: Int32Array
  /** where the field after timestampDelta (offsetDelta) starts */
  afterTimestamp: Int32Array
  /** where the record ends */
  end: Int32Array
  offsetDelta: Int32Array
  timestampDelta: Float64Array
  keyStart: Int32Array
  /** -1: no key */
  keyLength: Int32Array
  /** -1: a tombstone */
  valueLength: Int32Array
}

/** A cursor over varints in a buffer; a read past the end throws CorruptLogError. */
class VarintReader {
  constructor(
    private readonly data: Buffer,
    public at: number,
    private readonly limit: number,
  ) {}

  /** A zig-zag varint or varlong, exact up to 2^53. */
  signed(): number {
    let value = 0
    let scale = 1
    for (let shift = 0; shift < 70; shift += 7) {
      if (this.at >= this.limit) throw new CorruptLogError('a record ends inside a varint')
      const byte = this.data[this.at++] as number
      value += (byte & 0x7f) * scale
      scale *= 128
      if ((byte & 0x80) === 0) return value % 2 === 0 ? value / 2 : -(value + 1) / 2
    }
    throw new CorruptLogError('a record varint is longer than 10 bytes')
  }

  /** Skips a length-prefixed byte field; returns its length (-1 = null). */
  skipBytes(): number {
    const length = this.signed()
    if (length > 0) this.skip(length)
    return length
  }

  skip(bytes: number): void {
    if (this.at + bytes > this.limit) throw new CorruptLogError('a record field runs past the record')
    this.at += bytes
  }
}

/** Reads the `count` records of a records section; CorruptLogError when they do not fill it exactly. */
export function readRecords(data: Buffer, count: number): RecordTable {
  if (count < 0 || count > data.length) throw new CorruptLogError(`a batch claims ${count} records in ${data.length} bytes`)
  const table: RecordTable = {
    count,
    start: new Int32Array(count),
    afterTimestamp: new Int32Array(count),
    end: new Int32Array(count),
    offsetDelta: new Int32Array(count),
    timestampDelta: new Float64Array(count),
    keyStart: new Int32Array(count),
    keyLength: new Int32Array(count),
    valueLength: new Int32Array(count),
  }
  const outer = new VarintReader(data, 0, data.length)
  for (let i = 0; i < count; i++) {
    table.start[i] = outer.at
    const length = outer.signed()
    if (length < 0 || outer.at + length > data.length) throw new CorruptLogError(`record ${i} claims ${length} bytes`)
    const r = new VarintReader(data, outer.at, outer.at + length)
    r.skip(1)
    table.timestampDelta[i] = r.signed()
    table.afterTimestamp[i] = r.at
    table.offsetDelta[i] = r.signed()
    table.keyLength[i] = r.skipBytes()
    table.keyStart[i] = r.at - Math.max(table.keyLength[i] as number, 0)
    table.valueLength[i] = r.skipBytes()
    const headers = r.signed()
    for (let h = 0; h < headers; h++) {
      r.skipBytes()
      r.skipBytes()
    }
    outer.skip(length)
    if (r.at !== outer.at) throw new CorruptLogError(`record ${i} is ${r.at - (table.start[i] as number)} bytes, not what its length says`)
    table.end[i] = outer.at
  }
  if (outer.at !== data.length) throw new CorruptLogError(`${data.length - outer.at} bytes follow the last record of a batch`)
  return table
}

/** The key of record `i`; only for records that have one. */
export function recordKey(data: Buffer, table: RecordTable, i: number): Buffer {
  const start = table.keyStart[i] as number
  return data.subarray(start, start + (table.keyLength[i] as number))
}

/**
 * The records section holding the records `kept` lists (indexes, in order), their timestamp deltas
 * moved by `timestampShift` (the old baseTimestamp minus the new one; 0 copies records as they are).
 */
export function encodeRecords(data: Buffer, table: RecordTable, kept: readonly number[], timestampShift: number): Buffer {
  if (timestampShift === 0) return Buffer.concat(kept.map((i) => data.subarray(table.start[i], table.end[i])))
  return Buffer.concat(
    kept.map((i) => {
      const delta = zigzagVarint((table.timestampDelta[i] as number) + timestampShift)
      const rest = data.subarray(table.afterTimestamp[i], table.end[i])
      const bodyLength = 1 + delta.length + rest.length
      return Buffer.concat([zigzagVarint(bodyLength), Buffer.of(0), delta, rest])
    }),
  )
}

/** Zig-zag varint (varlong) encoding of a safe integer. */
export function zigzagVarint(value: number): Buffer {
  let rest = value >= 0 ? value * 2 : -value * 2 - 1
  const bytes: number[] = []
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Buffer.from(bytes)
}
