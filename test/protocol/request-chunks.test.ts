import {expect} from 'chai'
import type {ApiKeyValue} from '../../src/protocol/api-key.js'
import {encodeRequest, encodeRequestChunks} from '../../src/protocol/frames.js'
import type {RequestTypes} from '../../src/protocol/messages/index.js'
import {CLIENT_ID, CORRELATION_ID, type MessageCase, allMessageCases} from './message-cases.js'
import {sampleStruct} from './sample-message.js'

/** Below, at and above the size from which byte fields become chunks of their own. */
const LARGE_SIZES = [4095, 4096, 70_000]

/** The body with every byte field (records, bytes, unknown tagged fields) replaced by a large one. */
function enlarged(value: unknown, counter: {next: number}): unknown {
  if (Buffer.isBuffer(value)) {
    const n = counter.next++
    return Buffer.alloc(LARGE_SIZES[n % LARGE_SIZES.length]!, n)
  }
  if (Array.isArray(value)) return value.map((item) => enlarged(item, counter))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, enlarged(field, counter)]))
  }
  return value
}

function buffersIn(value: unknown): Buffer[] {
  if (Buffer.isBuffer(value)) return [value]
  if (Array.isArray(value)) return value.flatMap(buffersIn)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(buffersIn)
  return []
}

/** A Produce request's record batches. */
function recordsIn(c: MessageCase, body: unknown): Buffer[] {
  if (c.apiKey !== 0) return []
  return (body as RequestTypes[0]).topicData.flatMap((t) => t.partitionData.flatMap((p) => (p.records ? [p.records] : [])))
}

function encodeBoth(c: MessageCase, body: unknown): {frame: Buffer; chunks: Buffer[]} {
  const header = {apiKey: c.apiKey, apiVersion: c.version, correlationId: CORRELATION_ID, clientId: CLIENT_ID}
  const typed = body as RequestTypes[ApiKeyValue]
  return {frame: encodeRequest(header, typed), chunks: encodeRequestChunks(header, typed)}
}

describe('encodeRequestChunks', () => {
  for (const c of allMessageCases().filter((c) => c.direction === 'request')) {
    it(`${c.title}: the chunks joined are encodeRequest's frame, large byte fields passed through uncopied`, () => {
      for (const options of [{nulls: false, unknownTags: false}, {nulls: true, unknownTags: true}]) {
        const small = sampleStruct(c.spec.fields, c.version, c.flexible, options)
        const plain = encodeBoth(c, small)
        expect(plain.chunks.length).to.equal(1)
        expect(plain.chunks[0]!.equals(plain.frame)).to.equal(true)

        const large = enlarged(small, {next: 0})
        const {frame, chunks} = encodeBoth(c, large)
        expect(Buffer.concat(chunks).equals(frame), 'joined chunks').to.equal(true)
        for (const chunk of chunks) expect(chunk.length).to.be.greaterThan(0)
        for (const buffer of buffersIn(large)) if (buffer.length < 4096) expect(chunks.includes(buffer)).to.equal(false)
        // (a large field inside a tagged field is copied into the tagged payload first, which is then a chunk)
        for (const records of recordsIn(c, large)) expect(chunks.includes(records), `${records.length}-byte records`).to.equal(records.length >= 4096)
      }
    })
  }

  it('passes a Uint8Array that is not a Buffer through as a view of the same memory', () => {
    const c = allMessageCases().find((c) => c.title === 'ProduceRequest v9' && c.direction === 'request')!
    const records = new Uint8Array(10_000).fill(9)
    const body = {transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [{name: 't', partitionData: [{index: 0, records}]}]}
    const {frame, chunks} = encodeBoth(c, body)
    expect(Buffer.concat(chunks).equals(frame)).to.equal(true)
    const view = chunks.find((chunk) => chunk.length === records.length)!
    expect(view.buffer).to.equal(records.buffer)
  })
})
