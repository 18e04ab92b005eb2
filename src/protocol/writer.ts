import {ProtocolError} from './protocol-error.js'
import {uuidToBytes} from './uuid.js'

const TWO_POW_32 = 4294967296
const INT64_MAX = 2n ** 63n - 1n
const INT64_MIN = -(2n ** 63n)

/**
 * A growable big-endian buffer for Kafka primitives. It doubles its storage when full, so writing a
 * frame costs amortised one copy; `finish()` returns a view of the bytes written.
 */
export class Writer {
  private buf: Buffer
  private pos = 0

  constructor(initialSize = 256) {
    this.buf = Buffer.allocUnsafe(initialSize)
  }

  get length(): number {
    return this.pos
  }

  /** The bytes written so far (a view; writing more may or may not show through). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos)
  }

  private ensure(n: number): void {
    const needed = this.pos + n
    if (needed <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < needed) size *= 2
    const grown = Buffer.allocUnsafe(size)
    this.buf.copy(grown, 0, 0, this.pos)
    this.buf = grown
  }

  int8(v: number): void {
    this.ensure(1)
    this.pos = this.buf.writeInt8(v, this.pos)
  }

  int16(v: number): void {
    this.ensure(2)
    this.pos = this.buf.writeInt16BE(v, this.pos)
  }

  uint16(v: number): void {
    this.ensure(2)
    this.pos = this.buf.writeUInt16BE(v, this.pos)
  }

  int32(v: number): void {
    this.ensure(4)
    this.pos = this.buf.writeInt32BE(v, this.pos)
  }

  uint32(v: number): void {
    this.ensure(4)
    this.pos = this.buf.writeUInt32BE(v, this.pos)
  }

  /** Overwrites 4 bytes already written (size prefixes, CRCs). */
  patchInt32(at: number, v: number): void {
    this.buf.writeInt32BE(v, at)
  }

  patchUint32(at: number, v: number): void {
    this.buf.writeUInt32BE(v, at)
  }

  /** int64 from a number; values outside the int64 range are clamped to it. */
  int64(v: number): void {
    this.ensure(8)
    this.pos = writeInt64At(this.buf, this.pos, v)
  }

  float64(v: number): void {
    this.ensure(8)
    this.pos = this.buf.writeDoubleBE(v, this.pos)
  }

  bool(v: boolean): void {
    this.ensure(1)
    this.buf[this.pos++] = v ? 1 : 0
  }

  /** Unsigned base-128 varint of a 32-bit value. */
  uvarint(v: number): void {
    this.ensure(5)
    this.pos = writeUvarintAt(this.buf, this.pos, v)
  }

  /** Zigzag varint of an int32. */
  varint(v: number): void {
    this.uvarint((v << 1) ^ (v >> 31))
  }

  /** Zigzag varlong of an int64 held in a number (exact within ±2^53). */
  varlong(v: number): void {
    this.ensure(10)
    this.pos = writeVarlongAt(this.buf, this.pos, v)
  }

  /** Leaves `n` bytes to be filled in later (a header written once the body is known). */
  reserve(n: number): void {
    this.ensure(n)
    this.pos += n
  }

  /** Record-format bytes: zigzag varint length (-1 = null), then the bytes. */
  varintBytes(v: Uint8Array | null): void {
    if (v === null) {
      this.varint(-1)
      return
    }
    this.varint(checkBytes(v).length)
    this.raw(v)
  }

  uuid(v: string): void {
    this.raw(uuidToBytes(v))
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length)
    this.buf.set(bytes, this.pos)
    this.pos += bytes.length
  }

  // Length-prefixed data. Null goes out as length -1 (classic) or 0 (compact, which stores N+1).

  string(v: string): void {
    this.utf8(v, false)
  }

  nullableString(v: string | null): void {
    if (v === null) this.int16(-1)
    else this.utf8(v, false)
  }

  compactString(v: string): void {
    this.utf8(v, true)
  }

  compactNullableString(v: string | null): void {
    if (v === null) this.uvarint(0)
    else this.utf8(v, true)
  }

  private utf8(v: string, compact: boolean): void {
    if (typeof v !== 'string') throw new ProtocolError(`expected a string, got ${describe(v)}`)
    const length = Buffer.byteLength(v)
    if (compact) this.uvarint(length + 1)
    else if (length > 0x7fff) throw new ProtocolError(`string of ${length} bytes exceeds the 32767-byte limit`)
    else this.int16(length)
    this.ensure(length)
    this.pos += this.buf.write(v, this.pos, length, 'utf8')
  }

  bytes(v: Uint8Array): void {
    this.int32(checkBytes(v).length)
    this.raw(v)
  }

  nullableBytes(v: Uint8Array | null): void {
    if (v === null) this.int32(-1)
    else this.bytes(v)
  }

  compactBytes(v: Uint8Array): void {
    this.uvarint(checkBytes(v).length + 1)
    this.raw(v)
  }

  compactNullableBytes(v: Uint8Array | null): void {
    if (v === null) this.uvarint(0)
    else this.compactBytes(v)
  }

  /** Array element count; -1 for a null array. */
  arrayLength(count: number): void {
    this.int32(count)
  }

  compactArrayLength(count: number): void {
    this.uvarint(count + 1)
  }
}

/** Writes an unsigned base-128 varint of a 32-bit value at `at`; returns the offset after it. */
export function writeUvarintAt(buf: Buffer, at: number, v: number): number {
  let rest = v >>> 0
  while (rest >= 0x80) {
    buf[at++] = (rest & 0x7f) | 0x80
    rest >>>= 7
  }
  buf[at++] = rest
  return at
}

/** Writes a zigzag varint of an int32 at `at`; returns the offset after it. */
export function writeVarintAt(buf: Buffer, at: number, v: number): number {
  return writeUvarintAt(buf, at, (v << 1) ^ (v >> 31))
}

/**
 * Writes a zigzag varlong of an int64 held in a number (exact within ±2^53) at `at`; returns the
 * offset after it. Beyond int32 the zigzag value can need 54 bits, more than a double holds
 * exactly, so it is written from sign and magnitude: the first byte carries the sign bit and the
 * magnitude's low six bits.
 */
export function writeVarlongAt(buf: Buffer, at: number, v: number): number {
  if (v >= -0x80000000 && v <= 0x7fffffff) return writeVarintAt(buf, at, v)
  const magnitude = v >= 0 ? v : -v - 1
  let rest = Math.floor(magnitude / 64)
  buf[at++] = ((magnitude % 64) * 2 + (v < 0 ? 1 : 0)) | 0x80
  while (rest >= 0x80) {
    buf[at++] = (rest % 0x80) | 0x80
    rest = Math.floor(rest / 0x80)
  }
  buf[at++] = rest
  return at
}

/** Writes a big-endian int64 (clamped to the int64 range) and returns the offset after it. */
export function writeInt64At(buf: Buffer, offset: number, v: number): number {
  if (!Number.isSafeInteger(v)) return buf.writeBigInt64BE(clampToInt64(v), offset)
  const high = Math.floor(v / TWO_POW_32)
  buf.writeInt32BE(high, offset)
  return buf.writeUInt32BE(v - high * TWO_POW_32, offset + 4)
}

function clampToInt64(v: number): bigint {
  if (Number.isNaN(v)) return 0n
  if (v >= 2 ** 63) return INT64_MAX
  if (v <= -(2 ** 63)) return INT64_MIN
  return BigInt(Math.trunc(v))
}

function checkBytes(v: Uint8Array): Uint8Array {
  if (!(v instanceof Uint8Array)) throw new ProtocolError(`expected a Buffer, got ${describe(v)}`)
  return v
}

function describe(v: unknown): string {
  return v === null ? 'null' : typeof v
}
