import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {lineRecordOptions} from '../../src/cli/producer-properties.js'

describe('lineRecordOptions', () => {
  it('reads whole lines as values by default', () => {
    expect(lineRecordOptions({})).to.deep.equal({keySeparator: null, ignoreError: false, nullMarker: null})
  })

  it('turns key parsing on with --key-separator, escapes allowed', () => {
    expect(lineRecordOptions({keySeparator: ':'}).keySeparator).to.deep.equal(Buffer.from(':'))
    expect(lineRecordOptions({keySeparator: '\\t'}).keySeparator).to.deep.equal(Buffer.from('\t'))
  })

  it('accepts Kafka\'s parse.key and key.separator, TAB by default', () => {
    expect(lineRecordOptions({properties: ['parse.key=true', 'key.separator=:']}).keySeparator).to.deep.equal(Buffer.from(':'))
    expect(lineRecordOptions({properties: ['parse.key=true']}).keySeparator).to.deep.equal(Buffer.from('\t'))
  })

  it('ignores key.separator unless parse.key is true, as Kafka does', () => {
    expect(lineRecordOptions({properties: ['key.separator=:']}).keySeparator).to.equal(null)
    expect(lineRecordOptions({properties: ['parse.key=false', 'key.separator=:']}).keySeparator).to.equal(null)
  })

  it('reads ignore.error and null.marker', () => {
    const opts = lineRecordOptions({keySeparator: ':', properties: ['ignore.error=true', 'null.marker=<null>']})
    expect(opts.ignoreError).to.equal(true)
    expect(opts.nullMarker).to.deep.equal(Buffer.from('<null>'))
  })

  it('rejects unknown properties, two separators, an empty separator and a clashing marker', () => {
    expect(() => lineRecordOptions({properties: ['parse.headers=true']})).to.throw(UsageError, /supported/)
    expect(() => lineRecordOptions({keySeparator: ':', properties: ['key.separator=;']})).to.throw(UsageError, /once/)
    expect(() => lineRecordOptions({keySeparator: ''})).to.throw(UsageError, /empty/)
    expect(() => lineRecordOptions({keySeparator: ':', properties: ['null.marker=:']})).to.throw(UsageError, /differ/)
  })
})
