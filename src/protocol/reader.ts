import {ProtocolError} from './protocol-error.js'
import {UUID_BYTES, uuidFromBytes} from './uuid.js'

const EMPTY = Buffer.alloc(0)
const TWO_POW_32 = 4294967296

/** A big-endian int64 as a number, the nearest double when beyond ±2^53 (as Number(bigint) would). */
export function readInt64At(buf: Buffer, offset: number): number {
  return buf.readInt32BE(offset) * TWO_POW_32 + buf.readUInt32BE(offset + 4)
}

/**
 * Reads Kafka primitives from a buffer with a sticky error: a read past the end or a malformed
 * length marks the reader failed and returns a zero value (0, '', empty buffer), and every later
 * read does the same. Callers decode a whole structure and check `failed` once at the end (or call
 * `check`), so the hot paths carry no exception handling. Lengths are checked against the bytes
 * left before anything is allocated, so hostile input cannot ask for a huge allocation.
 *
 * Buffers returned (bytes, records, raw) are views into the input, not copies.
 */
export class Reader {
  readonly buf: Buffer
  pos: number
  readonly end: number
  failed = false
  /** What went wrong first, for the error message. */
  failure = ''

  constructor(buf: Buffer, offset = 0, end = buf.length) {
    this.buf = buf
    this.pos = offset
    this.end = end
  }

  get remaining(): number {
    return this.end - this.pos
  }

  /** Marks the reader failed (first reason wins) and moves to the end so later reads fail too. */
  fail(reason: string): void {
    if (!this.failed) {
      this.failed = true
      this.failure = reason
    }
    this.pos = this.end
  }

  /** Throws a ProtocolError naming `what` if any read failed. */
  check(what: string): void {
    if (this.failed) throw new ProtocolError(`malformed ${what}: ${this.failure}`)
  }

  /** Start of the next `n` bytes, advancing past them, or -1 (and failed) if they are not there. */
  private take(n: number): number {
    const start = this.pos
    if (n > this.end - start) {
      this.fail(`needed ${n} bytes at offset ${start}, only ${this.end - start} left`)
      return -1
    }
    this.pos = start + n
    return start
  }

  int8(): number {
    const at = this.take(1)
    return at < 0 ? 0 : this.buf.readInt8(at)
  }

  int16(): number {
    const at = this.take(2)
    return at < 0 ? 0 : this.buf.readInt16BE(at)
  }

  uint16(): number {
    const at = this.take(2)
    return at < 0 ? 0 : this.buf.readUInt16BE(at)
  }

  int32(): number {
    const at = this.take(4)
    return at < 0 ? 0 : this.buf.readInt32BE(at)
  }

  uint32(): number {
    const at = this.take(4)
    return at < 0 ? 0 : this.buf.readUInt32BE(at)
  }

  /** int64 as a number: exact within ±2^53, rounded to the nearest double beyond. */
  int64(): number {
    const at = this.take(8)
    return at < 0 ? 0 : readInt64At(this.buf, at)
  }

  float64(): number {
    const at = this.take(8)
    return at < 0 ? 0 : this.buf.readDoubleBE(at)
  }

  bool(): boolean {
    const at = this.take(1)
    return at >= 0 && this.buf[at] !== 0
  }

  /** Unsigned base-128 varint of at most 32 bits (5 bytes): flexible lengths and tags. */
  uvarint(): number {
    const buf = this.buf
    let result = 0
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) {
        this.fail(`varint runs past the end at offset ${this.pos}`)
        return 0
      }
      const byte = buf[this.pos++]
      result |= (byte & 0x7f) << shift
      if (byte < 0x80) return result >>> 0
    }
    this.fail(`varint longer than 5 bytes before offset ${this.pos}`)
    return 0
  }

  /** Zigzag varint (int32): record lengths, deltas and counts. */
  varint(): number {
    const buf = this.buf
    const first = buf[this.pos]
    if (first < 0x80 && this.pos < this.end) {
      this.pos++
      return (first >>> 1) ^ -(first & 1)
    }
    const zigzag = this.uvarint()
    return (zigzag >>> 1) ^ -(zigzag & 1)
  }

  /**
   * Zigzag varlong (int64) as a number: record timestamp deltas. Exact within ±2^53. The zigzag
   * value itself can need 54 bits, so it is never formed: the first byte gives the sign and the
   * low six bits of the magnitude, later bytes the rest.
   */
  varlong(): number {
    const buf = this.buf
    if (this.pos >= this.end) return this.varlongFailed('runs past the end')
    const first = buf[this.pos++]
    const negative = (first & 1) === 1
    let magnitude = (first & 0x7f) >>> 1
    let more = first >= 0x80
    for (let scale = 64; more; scale *= 128) {
      if (scale > 2 ** 63) return this.varlongFailed('is longer than 10 bytes')
      if (this.pos >= this.end) return this.varlongFailed('runs past the end')
      const byte = buf[this.pos++]
      magnitude += (byte & 0x7f) * scale
      more = byte >= 0x80
    }
    return negative ? -magnitude - 1 : magnitude
  }

  private varlongFailed(reason: string): number {
    this.fail(`varlong ${reason} at offset ${this.pos}`)
    return 0
  }

  uuid(): string {
    const at = this.take(UUID_BYTES)
    return at < 0 ? '' : uuidFromBytes(this.buf, at)
  }

  /** The next `n` bytes as a view. */
  raw(n: number): Buffer {
    const at = this.take(n)
    return at < 0 ? EMPTY : this.buf.subarray(at, at + n)
  }

  skip(n: number): void {
    this.take(n)
  }

  /** Record-format bytes: zigzag varint length (-1 = null), then the bytes (a view). */
  varintBytes(): Buffer | null {
    return this.view(this.varint(), true)
  }

  /**
   * Record-format bytes passed over without making a view: returns their length (-1 = null); they
   * end at `pos`. For decoders that record where bytes lie rather than slicing them.
   */
  skipVarintBytes(): number {
    const length = this.varint()
    if (length < 0) return this.nullOrFail(length, true, 'bytes') ? -1 : 0
    this.take(length)
    return length
  }

  /** Record-format string (header keys): zigzag varint length, then UTF-8; never null. */
  varintString(): string {
    return this.utf8(this.varint(), false) as string
  }

  // Length-prefixed data. `length` is the decoded length: -1 means null, anything below is malformed.

  private utf8(length: number, nullable: boolean): string | null {
    if (length < 0) return this.nullOrFail(length, nullable, 'string') ? null : ''
    const at = this.take(length)
    return at < 0 ? '' : this.buf.toString('utf8', at, at + length)
  }

  private view(length: number, nullable: boolean): Buffer | null {
    if (length < 0) return this.nullOrFail(length, nullable, 'bytes') ? null : EMPTY
    return this.raw(length)
  }

  /** For a negative length: true if it is an allowed null, else marks the reader failed. */
  private nullOrFail(length: number, nullable: boolean, what: string): boolean {
    if (length === -1 && nullable) return true
    this.fail(length === -1 ? `null ${what} where null is not allowed` : `negative ${what} length ${length}`)
    return false
  }

  string(): string {
    return this.utf8(this.int16(), false) as string
  }

  nullableString(): string | null {
    return this.utf8(this.int16(), true)
  }

  compactString(): string {
    return this.utf8(this.uvarint() - 1, false) as string
  }

  compactNullableString(): string | null {
    return this.utf8(this.uvarint() - 1, true)
  }

  bytes(): Buffer {
    return this.view(this.int32(), false) as Buffer
  }

  nullableBytes(): Buffer | null {
    return this.view(this.int32(), true)
  }

  compactBytes(): Buffer {
    return this.view(this.uvarint() - 1, false) as Buffer
  }

  compactNullableBytes(): Buffer | null {
    return this.view(this.uvarint() - 1, true)
  }

  /**
   * Array element count (-1 = null). A count above the bytes left is refused, as Kafka does: every
   * element takes at least one byte, so such a count can only be hostile or corrupt.
   */
  arrayLength(): number {
    return this.checkedCount(this.int32())
  }

  compactArrayLength(): number {
    return this.checkedCount(this.uvarint() - 1)
  }

  private checkedCount(count: number): number {
    if (count < -1) {
      this.fail(`negative array length ${count}`)
      return 0
    }
    if (count > this.end - this.pos) {
      this.fail(`array of ${count} elements with only ${this.end - this.pos} bytes left`)
      return 0
    }
    return count
  }
}
