import {expect} from 'chai'

import {InputError} from '../../src/cli/cli-errors.js'
import {type LineRecordOptions, parseLineRecord} from '../../src/cli/line-record-parser.js'

const plain: LineRecordOptions = {keySeparator: null, ignoreError: false, nullMarker: null}
const keyed: LineRecordOptions = {keySeparator: Buffer.from(':'), ignoreError: false, nullMarker: null}

function text(buffer: Buffer | null): string | null {
  return buffer === null ? null : buffer.toString()
}

describe('parseLineRecord', () => {
  it('uses the whole line as the value without a separator', () => {
    const record = parseLineRecord(Buffer.from('a:b'), 1, plain)
    expect(record.key).to.equal(null)
    expect(text(record.value)).to.equal('a:b')
  })

  it('splits at the first separator only', () => {
    const record = parseLineRecord(Buffer.from('k:v:w'), 1, keyed)
    expect(text(record.key)).to.equal('k')
    expect(text(record.value)).to.equal('v:w')
  })

  it('accepts empty keys and values', () => {
    const record = parseLineRecord(Buffer.from(':'), 1, keyed)
    expect(text(record.key)).to.equal('')
    expect(text(record.value)).to.equal('')
  })

  it('handles multi-byte separators', () => {
    const record = parseLineRecord(Buffer.from('k=>v'), 1, {...keyed, keySeparator: Buffer.from('=>')})
    expect([text(record.key), text(record.value)]).to.deep.equal(['k', 'v'])
  })

  it('fails on a line without the separator, naming the line', () => {
    expect(() => parseLineRecord(Buffer.from('nokey'), 7, keyed)).to.throw(InputError, /line 7/)
  })

  it('sends such a line keyless with ignore.error', () => {
    const record = parseLineRecord(Buffer.from('nokey'), 7, {...keyed, ignoreError: true})
    expect(record.key).to.equal(null)
    expect(text(record.value)).to.equal('nokey')
  })

  it('turns fields equal to the null marker into null', () => {
    const opts = {...keyed, nullMarker: Buffer.from('NULL')}
    const tombstone = parseLineRecord(Buffer.from('k:NULL'), 1, opts)
    expect(text(tombstone.key)).to.equal('k')
    expect(tombstone.value).to.equal(null)
    const keyless = parseLineRecord(Buffer.from('NULL:v'), 1, opts)
    expect(keyless.key).to.equal(null)
    expect(text(keyless.value)).to.equal('v')
    expect(text(parseLineRecord(Buffer.from('NULLx'), 1, {...plain, nullMarker: Buffer.from('NULL')}).value)).to.equal('NULLx')
  })

  it('returns views of the line', () => {
    const line = Buffer.from('k:v')
    const record = parseLineRecord(line, 1, keyed)
    expect(record.value?.buffer).to.equal(line.buffer)
  })
})
