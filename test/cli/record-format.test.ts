import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {type FormattableRecord, parseKcatFormat} from '../../src/cli/record-format.js'
import {MemorySink} from './memory-sink.js'

const record: FormattableRecord = {
  offset: 42,
  timestamp: 1_700_000_000_123,
  timestampType: 'CreateTime',
  key: Buffer.from('k1'),
  value: Buffer.from('hello'),
  headers: [{key: 'a', value: Buffer.from('1')}, {key: 'b', value: Buffer.from('2')}],
}
const source = {topic: 'orders', partition: 3}

function render(format: string, rec: FormattableRecord = record): Buffer {
  const sink = new MemorySink()
  parseKcatFormat(format).render(rec, source, sink)
  return sink.bytes()
}

describe('parseKcatFormat', () => {
  it('renders topic, partition, offset, timestamp, key and value', () => {
    expect(render('%t %p %o %T %k %s').toString()).to.equal('orders 3 42 1700000000123 k1 hello')
  })

  it('renders key and value lengths, -1 for null', () => {
    expect(render('%K %S').toString()).to.equal('2 5')
    expect(render('%K %S', {...record, key: null, value: null}).toString()).to.equal('-1 -1')
  })

  it('renders null keys and values as nothing', () => {
    expect(render('[%k][%s]', {...record, key: null, value: null}).toString()).to.equal('[][]')
  })

  it('renders headers as name=value pairs joined by commas, nothing without headers', () => {
    expect(render('%h').toString()).to.equal('a=1,b=2')
    expect(render('<%h>', {...record, headers: []}).toString()).to.equal('<>')
  })

  it('renders the value length as 4 big-endian bytes with %R', () => {
    expect(render('%R')).to.deep.equal(Buffer.from([0, 0, 0, 5]))
  })

  it('turns escapes into bytes and %% into a percent sign', () => {
    expect(render('%k\\t%s\\n100%%').toString()).to.equal('k1\thello\n100%')
    expect(render('\\x41%s')).to.deep.equal(Buffer.from('Ahello'))
  })

  it('copies binary payloads unchanged', () => {
    const value = Buffer.from([0xff, 0x00, 0xfe])
    expect(render('%s', {...record, value})).to.deep.equal(value)
  })

  it('rejects unknown and dangling tokens', () => {
    expect(() => parseKcatFormat('%z')).to.throw(UsageError, /unknown token '%z'/)
    expect(() => parseKcatFormat('abc%')).to.throw(UsageError, /unknown token '%'/)
  })
})
