import {crc32c} from '@node-rs/crc32'
import {expect} from 'chai'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import {Reader} from '../../src/protocol/reader.js'
import {uuidToBytes} from '../../src/protocol/uuid.js'
import {Writer} from '../../src/protocol/writer.js'
import {pseudoRandom} from './pseudo-random.js'

const hex = (s: string): Buffer => Buffer.from(s, 'hex')
const written = (write: (w: Writer) => void): string => {
  const w = new Writer(1)
  write(w)
  return w.finish().toString('hex')
}

/** The reference: zigzag with BigInt, then base-128 groups, low first. */
function referenceVarlong(value: number): string {
  let zigzag = (BigInt(value) << 1n) ^ (BigInt(value) >> 63n)
  zigzag &= (1n << 64n) - 1n
  const bytes: number[] = []
  while (zigzag >= 0x80n) {
    bytes.push(Number(zigzag & 0x7fn) | 0x80)
    zigzag >>= 7n
  }
  bytes.push(Number(zigzag))
  return Buffer.from(bytes).toString('hex')
}

describe('primitives', () => {
  describe('varints', () => {
    const vectors: [number, string][] = [
      [0, '00'],
      [-1, '01'],
      [1, '02'],
      [-64, '7f'],
      [64, '8001'],
      [300, 'd804'],
      [2147483647, 'feffffff0f'],
      [-2147483648, 'ffffffff0f'],
    ]
    for (const [value, bytes] of vectors) {
      it(`zigzag ${value} <-> ${bytes}`, () => {
        expect(written((w) => w.varint(value))).to.equal(bytes)
        expect(written((w) => w.varlong(value))).to.equal(bytes)
        expect(new Reader(hex(bytes)).varint()).to.equal(value)
        expect(new Reader(hex(bytes)).varlong()).to.equal(value)
      })
    }

    it('varlong matches a BigInt reference across the safe-integer range', () => {
      const random = pseudoRandom(7)
      const values = [2 ** 31, -(2 ** 31) - 1, 2 ** 40, -(2 ** 40), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]
      for (let i = 0; i < 2000; i++) {
        const magnitude = 2 ** (random.next().value % 53)
        values.push(Math.floor(magnitude * (random.next().value / 2 ** 32)) * (i % 2 ? -1 : 1))
      }
      for (const value of values) {
        const bytes = written((w) => w.varlong(value))
        expect(bytes, String(value)).to.equal(referenceVarlong(value))
        const r = new Reader(hex(bytes))
        expect(r.varlong(), bytes).to.equal(value)
        expect(r.remaining).to.equal(0)
      }
    })

    it('unsigned varints: 0, 127, 128, 2^32-1', () => {
      expect(written((w) => w.uvarint(0))).to.equal('00')
      expect(written((w) => w.uvarint(127))).to.equal('7f')
      expect(written((w) => w.uvarint(128))).to.equal('8001')
      expect(written((w) => w.uvarint(2 ** 32 - 1))).to.equal('ffffffff0f')
      expect(new Reader(hex('ffffffff0f')).uvarint()).to.equal(2 ** 32 - 1)
    })

    it('a varint longer than 5 bytes or a varlong longer than 10 fails the reader', () => {
      const r = new Reader(hex('ffffffffff01'))
      expect(r.uvarint()).to.equal(0)
      expect(r.failed).to.equal(true)
      const long = new Reader(hex('ffffffffffffffffffff01'))
      expect(long.varlong()).to.equal(0)
      expect(long.failed).to.equal(true)
    })
  })

  it('CRC-32C of "123456789" is 0xE3069283', () => {
    expect(crc32c(Buffer.from('123456789'))).to.equal(0xe3069283)
  })

  describe('fixed-width integers', () => {
    it('int64 round-trips through hi/lo words, negative ones included', () => {
      for (const value of [0, -1, 1, 2 ** 32, -(2 ** 32) - 5, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
        const bytes = written((w) => w.int64(value))
        expect(hex(bytes).readBigInt64BE(0), String(value)).to.equal(BigInt(value))
        expect(new Reader(hex(bytes)).int64()).to.equal(value)
      }
    })

    it('int64 clamps what lies outside the int64 range', () => {
      expect(written((w) => w.int64(2 ** 64))).to.equal('7fffffffffffffff')
      expect(written((w) => w.int64(-(2 ** 70)))).to.equal('8000000000000000')
      expect(written((w) => w.int64(2 ** 60 + 2 ** 10))).to.equal((2n ** 60n + 2n ** 10n).toString(16).padStart(16, '0'))
    })

    it('int64 beyond 2^53 reads as the nearest double, as Number(bigint) gives', () => {
      expect(new Reader(hex('7fffffffffffffff')).int64()).to.equal(Number(2n ** 63n - 1n))
      expect(new Reader(hex('8000000000000001')).int64()).to.equal(Number(-(2n ** 63n) + 1n))
    })

    it('reads int8, int16, uint16, int32, uint32, float64 and bool big-endian', () => {
      const r = new Reader(hex('ff' + 'fffe' + 'fffe' + '80000000' + 'ffffffff' + '3ff8000000000000' + '02'))
      expect([r.int8(), r.int16(), r.uint16(), r.int32(), r.uint32(), r.float64(), r.bool()]).to.deep.equal([
        -1,
        -2,
        65534,
        -2147483648,
        4294967295,
        1.5,
        true,
      ])
      expect(r.failed).to.equal(false)
    })
  })

  describe('strings and bytes', () => {
    it('classic and compact forms, null included, with UTF-8 lengths', () => {
      expect(written((w) => w.string('é'))).to.equal('0002c3a9')
      expect(written((w) => w.nullableString(null))).to.equal('ffff')
      expect(written((w) => w.compactString('é'))).to.equal('03c3a9')
      expect(written((w) => w.compactNullableString(null))).to.equal('00')
      expect(written((w) => w.bytes(hex('abcd')))).to.equal('00000002abcd')
      expect(written((w) => w.nullableBytes(null))).to.equal('ffffffff')
      expect(written((w) => w.compactBytes(hex('ab')))).to.equal('02ab')
      expect(written((w) => w.compactNullableBytes(null))).to.equal('00')
      const r = new Reader(hex('0002c3a9' + 'ffff' + '03c3a9' + '00' + '00000002abcd' + 'ffffffff' + '02ab' + '00'))
      expect([r.string(), r.nullableString(), r.compactString(), r.compactNullableString()]).to.deep.equal(['é', null, 'é', null])
      expect([r.bytes(), r.nullableBytes(), r.compactBytes(), r.compactNullableBytes()]).to.deep.equal([
        hex('abcd'),
        null,
        hex('ab'),
        null,
      ])
      expect(r.failed).to.equal(false)
    })

    it('record-format bytes and strings use zigzag lengths', () => {
      expect(written((w) => w.varintBytes(null))).to.equal('01')
      expect(written((w) => w.varintBytes(hex('abcd')))).to.equal('04abcd')
      const r = new Reader(hex('01' + '04abcd' + '0461'))
      expect([r.varintBytes(), r.varintBytes()]).to.deep.equal([null, hex('abcd')])
      expect(r.varintString()).to.equal('')
      expect(r.failed, 'a string of length 2 with 1 byte left').to.equal(true)
    })

    it('refuses to encode what the wire cannot carry', () => {
      expect(() => new Writer().string('x'.repeat(0x8000))).to.throw(ProtocolError, /32767/)
      expect(() => new Writer().string(null as unknown as string)).to.throw(ProtocolError, /expected a string/)
      expect(() => new Writer().bytes('ab' as unknown as Buffer)).to.throw(ProtocolError, /expected a Buffer/)
    })
  })

  describe('UUIDs', () => {
    it('are 16 bytes shown as 22 characters of URL-safe base64', () => {
      const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64url')
      expect(id).to.have.length(22)
      expect(written((w) => w.uuid(id))).to.equal('00112233445566778899aabbccddeeff')
      expect(new Reader(hex('00112233445566778899aabbccddeeff')).uuid()).to.equal(id)
      expect(written((w) => w.uuid('AAAAAAAAAAAAAAAAAAAAAA'))).to.equal('00'.repeat(16))
    })

    it('reject text that is not the canonical form', () => {
      for (const bad of ['', 'AAAA', 'AAAAAAAAAAAAAAAAAAAAAB', 'AAAAAAAAAAAAAAAAAAAA$A', 'AAAAAAAAAAAAAAAAAAAAAA=']) {
        expect(() => uuidToBytes(bad), bad).to.throw(ProtocolError)
      }
    })
  })

  it('the writer grows past its initial size and keeps what it wrote', () => {
    const w = new Writer(2)
    for (let i = 0; i < 5000; i++) w.int32(i)
    const out = w.finish()
    expect(out.length).to.equal(20000)
    expect(out.readInt32BE(4 * 4321)).to.equal(4321)
  })

  describe('hostile input', () => {
    it('a short read fails the reader, returns zero values and stays failed', () => {
      const r = new Reader(hex('0001'))
      expect(r.int32()).to.equal(0)
      expect(r.failed).to.equal(true)
      expect(r.failure).to.match(/needed 4 bytes at offset 0, only 2 left/)
      expect([r.int8(), r.string(), r.bytes().length, r.uuid(), r.bool()]).to.deep.equal([0, '', 0, '', false])
      expect(r.failure, 'the first failure is kept').to.match(/needed 4 bytes/)
      expect(() => r.check('test frame')).to.throw(ProtocolError, /malformed test frame: needed 4 bytes/)
    })

    it('negative lengths other than -1, and null where it is not allowed, fail', () => {
      const cases: [string, (r: Reader) => unknown][] = [
        ['fffe', (r) => r.nullableString()],
        ['ffff', (r) => r.string()],
        ['fffffff0', (r) => r.nullableBytes()],
        ['00', (r) => r.compactString()],
        ['fffffffe', (r) => r.arrayLength()],
        ['03', (r) => r.varintBytes()],
      ]
      for (const [bytes, read] of cases) {
        const r = new Reader(hex(bytes))
        read(r)
        expect(r.failed, bytes).to.equal(true)
      }
    })

    it('an array count above the bytes left fails before anything is allocated', () => {
      const r = new Reader(hex('7fffffff' + '00'))
      expect(r.arrayLength()).to.equal(0)
      expect(r.failure).to.match(/2147483647 elements with only 1 bytes left/)
      const compact = new Reader(hex('ffffffff0f'))
      expect(compact.compactArrayLength()).to.equal(0)
      expect(compact.failed).to.equal(true)
    })

    it('a length running past the end of a bounded reader fails', () => {
      const buf = hex('0005' + '6162636465')
      const r = new Reader(buf, 0, 4)
      expect(r.string()).to.equal('')
      expect(r.failed).to.equal(true)
    })
  })
})
