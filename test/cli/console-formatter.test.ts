import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {consoleFormat} from '../../src/cli/console-formatter.js'
import type {FormattableRecord} from '../../src/cli/record-format.js'
import {MemorySink} from './memory-sink.js'

const record: FormattableRecord = {
  offset: 7,
  timestamp: 1000,
  timestampType: 'CreateTime',
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: [{key: 'h', value: Buffer.from('x')}],
}

function render(properties: string[] | undefined, rec: FormattableRecord = record): string {
  const sink = new MemorySink()
  consoleFormat(properties).render(rec, {topic: 't', partition: 2}, sink)
  return sink.text()
}

describe('consoleFormat (kafka-console-consumer properties)', () => {
  it('prints the value and a newline by default, null as "null"', () => {
    expect(render(undefined)).to.equal('v\n')
    expect(render([], {...record, value: null})).to.equal('null\n')
  })

  it('prints key and value joined by key.separator', () => {
    expect(render(['print.key=true'])).to.equal('k\tv\n')
    expect(render(['print.key=true', 'key.separator=:'])).to.equal('k:v\n')
  })

  it('prints every field in Kafka\'s order', () => {
    const all = ['print.value=true', 'print.key=true', 'print.headers=true', 'print.offset=true', 'print.partition=true', 'print.timestamp=true']
    expect(render(all)).to.equal('CreateTime:1000\tPartition:2\tOffset:7\th:x\tk\tv\n')
  })

  it('prints NO_HEADERS, NO_TIMESTAMP and null.literal', () => {
    expect(render(['print.headers=true', 'print.value=false'], {...record, headers: []})).to.equal('NO_HEADERS\n')
    expect(render(['print.timestamp=true', 'print.value=false'], {...record, timestamp: -1})).to.equal('NO_TIMESTAMP\n')
    expect(render(['print.key=true', 'null.literal=-'], {...record, key: null})).to.equal('-\tv\n')
  })

  it('honours line.separator', () => {
    expect(render(['line.separator=\\r\\n'])).to.equal('v\r\n')
  })

  it('rejects unknown properties', () => {
    expect(() => consoleFormat(['print.epoch=true'])).to.throw(UsageError, /print.epoch/)
  })
})
