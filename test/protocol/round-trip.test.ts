import {expect} from 'chai'
import {ApiKey} from '../../src/protocol/api-key.js'
import {decodeRequestHeader, decodeResponse, encodeResponse} from '../../src/protocol/frames.js'
import {CLIENT_ID, CORRELATION_ID, type MessageCase, allMessageCases, decodeCase, encodeCase} from './message-cases.js'
import {type SampleOptions, sampleStruct} from './sample-message.js'
import {uvarintSize, wireSize} from './wire-size.js'

/** Request header v1/v2 and response header v0/v1 sizes, worked out by hand. */
function headerSize(c: MessageCase): number {
  if (c.direction === 'request') return 2 + 2 + 4 + 2 + Buffer.byteLength(CLIENT_ID) + (c.flexible ? uvarintSize(0) : 0)
  return 4 + (c.flexible && c.apiKey !== ApiKey.ApiVersions ? 1 : 0)
}

const VARIANTS: {name: string; options: SampleOptions}[] = [
  {name: 'every field set', options: {nulls: false, unknownTags: false}},
  {name: 'nulls and unknown tagged fields', options: {nulls: true, unknownTags: true}},
]

describe('every message at every version round-trips', () => {
  for (const c of allMessageCases()) {
    describe(c.title, () => {
      for (const {name, options} of VARIANTS) {
        it(name, () => {
          const body = sampleStruct(c.spec.fields, c.version, c.flexible, options)
          const frame = encodeCase(c, body)
          expect(frame.readInt32BE(0), 'size prefix').to.equal(frame.length - 4)
          expect(frame.length - 4, 'frame length').to.equal(headerSize(c) + wireSize(c.spec.fields, body, c.version, c.flexible))
          const decoded = decodeCase(c, frame.subarray(4))
          expect(decoded).to.deep.equal(body)
          expect(encodeCase(c, decoded as Record<string, unknown>).equals(frame), 're-encoded bytes').to.equal(true)
        })
      }
    })
  }
})

describe('frame headers', () => {
  const cases = allMessageCases()
  const pick = (title: string, direction: 'request' | 'response'): MessageCase =>
    cases.find((c) => c.title === title && c.direction === direction)!

  it('request header v2 keeps the int16-length client id, then an empty tagged section', () => {
    const c = pick('MetadataRequest v9', 'request')
    const frame = encodeCase(c, sampleStruct(c.spec.fields, 9, true, {nulls: false, unknownTags: false}))
    const clientIdEnd = 4 + 8 + 2 + CLIENT_ID.length
    expect(frame.readInt16BE(12)).to.equal(CLIENT_ID.length)
    expect(frame.subarray(14, clientIdEnd).toString()).to.equal(CLIENT_ID)
    expect(frame[clientIdEnd]).to.equal(0)
    expect(decodeRequestHeader(frame.subarray(4))).to.deep.equal({
      apiKey: 3,
      apiVersion: 9,
      correlationId: CORRELATION_ID,
      clientId: CLIENT_ID,
      bodyOffset: clientIdEnd + 1 - 4,
    })
  })

  it('request header v1 has no tagged section', () => {
    const c = pick('MetadataRequest v8', 'request')
    const frame = encodeCase(c, sampleStruct(c.spec.fields, 8, false, {nulls: false, unknownTags: false}))
    expect(decodeRequestHeader(frame.subarray(4)).bodyOffset).to.equal(8 + 2 + CLIENT_ID.length)
  })

  it('ApiVersions responses use header v0 even when the body is flexible', () => {
    const c = pick('ApiVersionsResponse v3', 'response')
    const body = sampleStruct(c.spec.fields, 3, true, {nulls: false, unknownTags: false})
    const frame = encodeCase(c, body)
    // correlation id, then the body's int16 error code straight away: no tagged section between.
    expect(frame.readInt32BE(4)).to.equal(CORRELATION_ID)
    expect(frame.readInt16BE(8)).to.equal(body.errorCode)
  })

  it('other flexible responses use header v1', () => {
    const c = pick('MetadataResponse v9', 'response')
    const body = sampleStruct(c.spec.fields, 9, true, {nulls: false, unknownTags: false})
    const frame = encodeCase(c, body)
    expect(frame[8]).to.equal(0)
    expect(frame.readInt32BE(9)).to.equal(body.throttleTimeMs)
  })

  it('skips tagged fields a peer puts in a request header', () => {
    // Metadata v9 request header with one tagged field {tag 5, 2 bytes}, then three body bytes.
    const frame = Buffer.from('00030009000000010001' + '61' + '01' + '0502abcd' + '0101' + '00', 'hex')
    const header = decodeRequestHeader(frame)
    expect(header).to.include({apiKey: 3, apiVersion: 9, correlationId: 1, clientId: 'a'})
    expect(header.bodyOffset).to.equal(frame.length - 3)
  })

  it('skips tagged fields a peer puts in a response header', () => {
    // Metadata v12 response: correlation id, header tags {tag 0, 1 byte}, then a minimal body.
    const frame = Buffer.from('00000009' + '010001ff' + '00000000' + '01' + '00' + '00000001' + '01' + '00', 'hex')
    const {correlationId, body} = decodeResponse(3, 12, frame)
    expect(correlationId).to.equal(9)
    expect(body).to.include({throttleTimeMs: 0, clusterId: null, controllerId: 1})
    expect(body.topics).to.deep.equal([])
  })

  it('reads an UNSUPPORTED_VERSION answer to ApiVersions as the v0 body it is (KIP-511)', () => {
    const refusal = encodeResponse(18, 0, 5, {
      errorCode: 35,
      apiKeys: [{apiKey: 18, minVersion: 0, maxVersion: 2}],
      throttleTimeMs: 0,
      supportedFeatures: [],
      finalizedFeaturesEpoch: -1,
      finalizedFeatures: [],
      zkMigrationReady: false,
    })
    const {correlationId, body} = decodeResponse(18, 3, refusal.subarray(4))
    expect(correlationId).to.equal(5)
    expect(body).to.include({errorCode: 35})
    expect(body.apiKeys).to.deep.equal([{apiKey: 18, minVersion: 0, maxVersion: 2}])
  })

  it('reads the header of an ApiVersions request of a version it does not know', () => {
    // v9 is beyond our range but, as an ApiVersions version >= 3, flexible: header v2.
    const frame = Buffer.from('0012000900000002ffff00' + 'ffffffff', 'hex')
    expect(decodeRequestHeader(frame)).to.deep.equal({apiKey: 18, apiVersion: 9, correlationId: 2, clientId: null, bodyOffset: 11})
  })

  it('reads the header of an API it does not know as header v1', () => {
    // ConsumerGroupHeartbeat (68) v1: flexible in Kafka, unknown here, so read as header v1.
    const frame = Buffer.from('0044000100000003000178' + '00', 'hex')
    expect(decodeRequestHeader(frame)).to.deep.equal({apiKey: 68, apiVersion: 1, correlationId: 3, clientId: 'x', bodyOffset: 11})
  })
})
