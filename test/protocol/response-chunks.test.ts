import {expect} from 'chai'
import type {ApiKeyValue} from '../../src/protocol/api-key.js'
import {encodeResponse, encodeResponseChunks} from '../../src/protocol/frames.js'
import type {ResponseTypes} from '../../src/protocol/messages/index.js'
import {CORRELATION_ID, allMessageCases} from './message-cases.js'
import {sampleStruct} from './sample-message.js'

/** Every byte field of the body replaced by one of 70,000 bytes, which the chunks pass through. */
function enlarged(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return Buffer.alloc(70_000, 7)
  if (Array.isArray(value)) return value.map(enlarged)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, enlarged(field)]))
  }
  return value
}

describe('encodeResponseChunks', () => {
  for (const c of allMessageCases().filter((c) => c.direction === 'response')) {
    it(`${c.title}: the chunks joined are encodeResponse's frame`, () => {
      for (const body of [sampleStruct(c.spec.fields, c.version, c.flexible, {nulls: false, unknownTags: false}),
        enlarged(sampleStruct(c.spec.fields, c.version, c.flexible, {nulls: true, unknownTags: true}))]) {
        const typed = body as ResponseTypes[ApiKeyValue]
        const frame = encodeResponse(c.apiKey as ApiKeyValue, c.version, CORRELATION_ID, typed)
        const chunks = encodeResponseChunks(c.apiKey as ApiKeyValue, c.version, CORRELATION_ID, typed)
        expect(Buffer.concat(chunks).equals(frame)).to.equal(true)
      }
    })
  }

  it('passes a Fetch response\'s record batches through uncopied', () => {
    const c = allMessageCases().find((c) => c.title === 'FetchResponse v12' && c.direction === 'response')!
    const body = sampleStruct(c.spec.fields, c.version, c.flexible, {nulls: false, unknownTags: false}) as ResponseTypes[1]
    const records = Buffer.alloc(100_000, 3)
    body.responses[0]!.partitions[0]!.records = records
    const chunks = encodeResponseChunks(1, 12, CORRELATION_ID, body)
    expect(chunks.includes(records)).to.equal(true)
  })
})
