import {expect} from 'chai'
import {decodeRequestBody, decodeRequestHeader, decodeResponse} from '../../src/protocol/frames.js'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import {allMessageCases, decodeCase, encodeCase} from './message-cases.js'
import {pseudoRandom} from './pseudo-random.js'
import {sampleStruct} from './sample-message.js'

/** Decodes and reports how it ended: 'ok', 'protocol-error', or the unexpected error itself. */
function outcome(decode: () => unknown): string {
  try {
    decode()
    return 'ok'
  } catch (error) {
    if (error instanceof ProtocolError) return 'protocol-error'
    throw error
  }
}

describe('hostile frames', () => {
  const cases = allMessageCases()

  it('every truncation of every message at every version is a ProtocolError', () => {
    let checked = 0
    for (const c of cases) {
      const frame = encodeCase(c, sampleStruct(c.spec.fields, c.version, c.flexible, {nulls: false, unknownTags: true}))
      const body = frame.subarray(4)
      for (let length = 0; length < body.length; length++) {
        expect(outcome(() => decodeCase(c, body.subarray(0, length))), `${c.title} ${c.direction} cut at ${length}`).to.equal(
          'protocol-error',
        )
        checked++
      }
    }
    expect(checked).to.be.greaterThan(10000)
  })

  it('random corruption decodes or raises ProtocolError, never anything else', () => {
    const random = pseudoRandom(42)
    const next = (): number => random.next().value
    for (const c of cases) {
      const frame = encodeCase(c, sampleStruct(c.spec.fields, c.version, c.flexible, {nulls: true, unknownTags: true}))
      for (let round = 0; round < 40; round++) {
        const body = Buffer.from(frame.subarray(4))
        for (let flips = 1 + (next() % 4); flips > 0; flips--) body[next() % body.length] = next() & 0xff
        // Throws (failing the test) on anything but a ProtocolError.
        outcome(() => decodeCase(c, body))
      }
    }
  })

  it('a huge claimed array count is refused at once', () => {
    // Produce v3 request: transactional id null, acks 1, timeout 1000, topics count 2^31-1.
    const frame = Buffer.from('0000000300000001ffff' + 'ffff' + '0001' + '000003e8' + '7fffffff' + '0000', 'hex')
    const header = decodeRequestHeader(frame)
    expect(() => decodeRequestBody(0, 3, frame, header.bodyOffset)).to.throw(ProtocolError, /2147483647 elements/)
  })

  it('a negative array length is refused', () => {
    // Metadata v0 response: brokers count -5.
    expect(() => decodeResponse(3, 0, Buffer.from('00000001fffffffb', 'hex'))).to.throw(ProtocolError, /negative array length -5/)
  })

  it('a null where the version does not allow one is refused', () => {
    // Metadata v0 request: topics null (null means "all topics" only from v1).
    const frame = Buffer.from('0003000000000001ffff' + 'ffffffff', 'hex')
    expect(() => decodeRequestBody(3, 0, frame, decodeRequestHeader(frame).bodyOffset)).to.throw(ProtocolError, /null array topics/)
  })

  it('unsupported API keys and versions are ProtocolErrors', () => {
    expect(() => decodeResponse(3, 13 as number, Buffer.alloc(8))).to.throw(ProtocolError, /unsupported Metadata version 13 \(supported 0-12\)/)
    expect(() => decodeRequestBody(68 as 0, 0, Buffer.alloc(8), 8)).to.throw(ProtocolError, /unsupported API key 68/)
    expect(() => decodeRequestHeader(Buffer.from('0003', 'hex'))).to.throw(ProtocolError, /malformed request header/)
  })
})
