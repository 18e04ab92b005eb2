import {ProtocolError} from './protocol-error.js'
import {Reader} from './reader.js'
import type {ConsumedRecord, RecordHeader} from './record.js'
import type {BatchHeader, TimestampType} from './record-batch.js'

/** Shared by every record without headers; frozen so that no caller can add to it by mistake. */
const NO_HEADERS = Object.freeze([]) as unknown as RecordHeader[]
/** The smallest record: seven one-byte fields. */
const MIN_RECORD_SIZE = 7

// Per record, six int32 slots in `fields`:
const KEY_START = 0
const KEY_LENGTH = 1 // -1 = null
const VALUE_START = 2
const VALUE_LENGTH = 3 // -1 = null
const HEADERS_START = 4 // where the header count varint starts
const HEADER_COUNT = 5
const STRIDE = 6

/**
 * The records of one (decompressed) batch as positions in its bytes: one pass over the batch
 * records where each key, value and header block lies, in typed arrays, and nothing else. Readers
 * take what they need by index — a payload as a view or as a byte range, headers decoded on demand
 * — so reading a batch costs no object per record (a consumer writing values to stdout makes none),
 * while record(i) still gives the plain ConsumedRecord.
 */
export class RecordLayout {
  readonly timestampType: TimestampType

  private constructor(
    readonly data: Buffer,
    readonly header: BatchHeader,
    readonly count: number,
    private readonly fields: Int32Array,
    private readonly offsetDeltas: Int32Array,
    private readonly timestampDeltas: Float64Array,
  ) {
    this.timestampType = header.timestampType
  }

  /** Decodes the records section `data` of the batch with this header; throws ProtocolError if malformed. */
  static decode(data: Buffer, header: BatchHeader): RecordLayout {
    const count = header.recordCount
    if (count < 0 || count * MIN_RECORD_SIZE > data.length) {
      throw new ProtocolError(`record batch claims ${count} records in ${data.length} bytes`)
    }
    const fields = new Int32Array(count * STRIDE)
    const offsetDeltas = new Int32Array(count)
    const timestampDeltas = new Float64Array(count)
    const r = new Reader(data)
    for (let i = 0; i < count && !r.failed; i++) {
      const length = r.varint()
      const start = r.pos
      r.skip(1) // attributes: unused in v2 records
      timestampDeltas[i] = r.varlong()
      offsetDeltas[i] = r.varint()
      const at = i * STRIDE
      fields[at + KEY_LENGTH] = r.skipVarintBytes()
      fields[at + KEY_START] = r.pos - Math.max(fields[at + KEY_LENGTH], 0)
      fields[at + VALUE_LENGTH] = r.skipVarintBytes()
      fields[at + VALUE_START] = r.pos - Math.max(fields[at + VALUE_LENGTH], 0)
      fields[at + HEADERS_START] = r.pos
      fields[at + HEADER_COUNT] = skipHeaders(r)
      if (r.pos - start !== length && !r.failed) r.fail(`record ${i} is ${r.pos - start} bytes, its length says ${length}`)
    }
    r.check(`record batch at offset ${header.baseOffset}`)
    return new RecordLayout(data, header, count, fields, offsetDeltas, timestampDeltas)
  }

  offset(i: number): number {
    return this.header.baseOffset + this.offsetDeltas[i]
  }

  /** The record's timestamp; under LogAppendTime every record has the batch's maxTimestamp. */
  timestamp(i: number): number {
    return this.timestampType === 'LogAppendTime' ? this.header.maxTimestamp : this.header.baseTimestamp + this.timestampDeltas[i]
  }

  key(i: number): Buffer | null {
    return this.view(i * STRIDE + KEY_START)
  }

  value(i: number): Buffer | null {
    return this.view(i * STRIDE + VALUE_START)
  }

  /** Start of the value in `data`; meaningful when valueLength(i) >= 0. */
  valueStart(i: number): number {
    return this.fields[i * STRIDE + VALUE_START]
  }

  /** The value's length in bytes, -1 for null (a tombstone). */
  valueLength(i: number): number {
    return this.fields[i * STRIDE + VALUE_LENGTH]
  }

  keyStart(i: number): number {
    return this.fields[i * STRIDE + KEY_START]
  }

  /** The key's length in bytes, -1 for null. */
  keyLength(i: number): number {
    return this.fields[i * STRIDE + KEY_LENGTH]
  }

  headers(i: number): RecordHeader[] {
    const count = this.fields[i * STRIDE + HEADER_COUNT]
    if (count === 0) return NO_HEADERS
    const r = new Reader(this.data, this.fields[i * STRIDE + HEADERS_START])
    r.varint() // the count, read at decode time
    const headers: RecordHeader[] = []
    for (let h = 0; h < count; h++) headers.push({key: r.varintString(), value: r.varintBytes()})
    return headers
  }

  record(i: number): ConsumedRecord {
    return {
      key: this.key(i),
      value: this.value(i),
      headers: this.headers(i),
      timestamp: this.timestamp(i),
      offset: this.offset(i),
      timestampType: this.timestampType,
    }
  }

  records(): ConsumedRecord[] {
    const records: ConsumedRecord[] = []
    for (let i = 0; i < this.count; i++) records.push(this.record(i))
    return records
  }

  private view(at: number): Buffer | null {
    const length = this.fields[at + 1]
    return length < 0 ? null : this.data.subarray(this.fields[at], this.fields[at] + length)
  }
}

/** Passes over a record's headers, checking their framing; returns their count. */
function skipHeaders(r: Reader): number {
  const count = r.varint()
  if (count < 0 || count > r.remaining) {
    r.fail(`record header count ${count}`)
    return 0
  }
  for (let h = 0; h < count && !r.failed; h++) {
    const keyLength = r.skipVarintBytes()
    if (keyLength < 0) r.fail('null header key')
    r.skipVarintBytes()
  }
  return count
}

/**
 * One record of a RecordLayout seen as a ConsumedRecord, its fields read on access. A reader moves
 * one view from record to record (moveTo) instead of making an object per record, so a view is
 * valid only until it is moved: keep record(i) of the layout, not the view, to hold on to a record.
 */
export class RecordView implements ConsumedRecord {
  private layout: RecordLayout | null = null
  private index = 0

  moveTo(layout: RecordLayout, index: number): this {
    this.layout = layout
    this.index = index
    return this
  }

  get offset(): number {
    return this.at().offset(this.index)
  }

  get timestamp(): number {
    return this.at().timestamp(this.index)
  }

  get timestampType(): TimestampType {
    return this.at().timestampType
  }

  get key(): Buffer | null {
    return this.at().key(this.index)
  }

  get value(): Buffer | null {
    return this.at().value(this.index)
  }

  get headers(): RecordHeader[] {
    return this.at().headers(this.index)
  }

  private at(): RecordLayout {
    if (this.layout === null) throw new ProtocolError('RecordView read before moveTo()')
    return this.layout
  }
}
