import {expect} from 'chai'

import {InputError} from '../../src/cli/cli-errors.js'
import {JSON_RECORD_FORMAT, decodeJsonRecord, encodeJsonRecord} from '../../src/cli/json-record.js'
import type {FormattableRecord} from '../../src/cli/record-format.js'
import {MemorySink} from './memory-sink.js'

const source = {topic: 'orders', partition: 1}

function record(fields: Partial<FormattableRecord>): FormattableRecord {
  return {offset: 5, timestamp: 1_700_000_000_000, timestampType: 'CreateTime', key: null, value: null, headers: [], ...fields}
}

describe('JSON record lines', () => {
  it('writes text payloads as strings, in a fixed field order', () => {
    const line = encodeJsonRecord(record({key: Buffer.from('k'), value: Buffer.from('v "q"'), headers: [{key: 'h', value: Buffer.from('x')}]}), source)
    expect(line).to.equal('{"topic":"orders","partition":1,"offset":5,"timestamp":1700000000000,"timestampType":"CreateTime",' +
      '"key":"k","value":"v \\"q\\"","headers":[{"key":"h","value":"x"}]}')
  })

  it('marks bytes that are not UTF-8 as base64', () => {
    const parsed = JSON.parse(encodeJsonRecord(record({key: Buffer.from([0xff]), value: Buffer.from([0xc3, 0x28]),
      headers: [{key: 'bin', value: Buffer.from([0x80])}]}), source))
    expect(parsed).to.include({key: '/w==', keyEncoding: 'base64', value: 'wyg=', valueEncoding: 'base64'})
    expect(parsed.headers).to.deep.equal([{key: 'bin', value: 'gA==', valueEncoding: 'base64'}])
  })

  it('keeps nulls as null', () => {
    const parsed = JSON.parse(encodeJsonRecord(record({headers: [{key: 'n', value: null}]}), source))
    expect(parsed.key).to.equal(null)
    expect(parsed.value).to.equal(null)
    expect(parsed.headers).to.deep.equal([{key: 'n', value: null}])
    expect(parsed).not.to.have.property('keyEncoding')
  })

  it('round-trips keys, values, headers, nulls, binary and timestamps exactly', () => {
    const cases: FormattableRecord[] = [
      record({key: Buffer.from('ключ'), value: Buffer.from('値 😀')}),
      record({key: null, value: null}),
      record({key: Buffer.alloc(0), value: Buffer.alloc(0)}),
      record({key: Buffer.from([0, 1, 2, 0xff]), value: Buffer.from([0xed, 0xa0, 0x80]), headers: [
        {key: 'a', value: Buffer.from('1')}, {key: 'a', value: null}, {key: 'b', value: Buffer.from([0xfe])}]}),
      record({value: Buffer.from('line\nbreak\ttab\u0000nul')}),
    ]
    for (const original of cases) {
      const back = decodeJsonRecord(encodeJsonRecord(original, source), 1)
      expect(back.key).to.deep.equal(original.key)
      expect(back.value).to.deep.equal(original.value)
      expect(back.headers).to.deep.equal(original.headers)
      expect(back.partition).to.equal(1)
      expect(back.timestamp).to.equal(original.timestamp)
    }
  })

  it('writes one object and a newline per record as a RecordFormat', () => {
    const sink = new MemorySink()
    JSON_RECORD_FORMAT.render(record({value: Buffer.from('a')}), source, sink)
    JSON_RECORD_FORMAT.render(record({value: Buffer.from('b')}), source, sink)
    const lines = sink.text().split('\n')
    expect(lines).to.have.length(3)
    expect(lines[2]).to.equal('')
    expect(JSON.parse(lines[1]).value).to.equal('b')
  })

  it('reads minimal objects: absent fields are null, no headers, any partition', () => {
    expect(decodeJsonRecord('{"value":"v"}', 1)).to.deep.equal({partition: undefined, key: null, value: Buffer.from('v'), headers: [], timestamp: undefined})
    expect(decodeJsonRecord('{"partition":-1}', 1).partition).to.equal(undefined)
  })

  it('accepts "utf8" as an explicit encoding', () => {
    expect(decodeJsonRecord('{"value":"v","valueEncoding":"utf8"}', 1).value).to.deep.equal(Buffer.from('v'))
  })

  it('rejects malformed lines, naming the line', () => {
    const bad = [
      ['not json', /line 3: not JSON/],
      ['[1]', /expected a JSON object/],
      ['{"value":5}', /value must be a string or null/],
      ['{"value":"@@","valueEncoding":"base64"}', /not valid base64/],
      ['{"value":"v","valueEncoding":"hex"}', /valueEncoding must be/],
      ['{"headers":{}}', /headers must be an array/],
      ['{"headers":[{"value":"x"}]}', /headers\[0\]/],
      ['{"partition":1.5}', /partition must be an integer/],
      ['{"partition":-2}', /partition must be >= 0/],
      ['{"timestamp":"now"}', /timestamp must be an integer/],
    ] as const
    for (const [line, message] of bad) {
      expect(() => decodeJsonRecord(line, 3), line).to.throw(InputError, message)
    }
  })
})
