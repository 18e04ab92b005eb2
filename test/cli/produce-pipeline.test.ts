import {expect} from 'chai'

import {InputError} from '../../src/cli/cli-errors.js'
import {encodeJsonRecord} from '../../src/cli/json-record.js'
import {type OutgoingRecord, type ProduceOptions, type RecordSender, produceStream} from '../../src/cli/produce-pipeline.js'

/** Keeps records; asks for a drain every `every` records. */
class FakeSender implements RecordSender {
  readonly records: OutgoingRecord[] = []
  drains = 0
  constructor(private readonly every = Number.POSITIVE_INFINITY) {}

  send(record: OutgoingRecord): boolean {
    this.records.push({...record, key: copy(record.key), value: copy(record.value)})
    return this.records.length % this.every !== 0
  }

  async drain(): Promise<void> {
    this.drains++
  }
}

function copy(buffer: Buffer | null): Buffer | null {
  return buffer === null ? null : Buffer.from(buffer)
}

async function* chunks(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.isBuffer(part) ? part : Buffer.from(part)
}

const lines: ProduceOptions = {
  topic: 't',
  partition: undefined,
  headers: [],
  input: 'lines',
  lines: {keySeparator: null, ignoreError: false, nullMarker: null},
}

describe('produceStream', () => {
  it('sends one record per line, across chunk boundaries, with the last unterminated line', async () => {
    const sender = new FakeSender()
    const count = await produceStream(chunks('1\n2', '2\n\n3'), sender, lines)
    expect(count).to.equal(4)
    expect(sender.records.map((r) => r.value?.toString())).to.deep.equal(['1', '22', '', '3'])
    expect(sender.records.every((r) => r.topic === 't' && r.key === null && r.partition === undefined)).to.equal(true)
  })

  it('splits keys, sets the partition and static headers', async () => {
    const sender = new FakeSender()
    const headers = [{key: 'src', value: Buffer.from('cli')}]
    await produceStream(chunks('a:1\nb:2\n'), sender, {...lines, partition: 2, headers,
      lines: {keySeparator: Buffer.from(':'), ignoreError: false, nullMarker: null}})
    expect(sender.records.map((r) => [r.key?.toString(), r.value?.toString(), r.partition])).to.deep.equal([['a', '1', 2], ['b', '2', 2]])
    expect(sender.records[0].headers).to.deep.equal(headers)
  })

  it('waits for drain when the sender pushes back', async () => {
    const sender = new FakeSender(2)
    await produceStream(chunks('1\n2\n3\n', '4\n5\n'), sender, lines)
    expect(sender.records).to.have.length(5)
    expect(sender.drains).to.equal(2)
  })

  it('cuts a large chunk into slices without losing or splitting a line, asking for drain per slice', async () => {
    const values = Array.from({length: 20_000}, (_, i) => 'v'.repeat(i % 37) + String(i))
    const sender = new FakeSender(1000)
    const before = Date.now()
    await produceStream(chunks(values.join('\n') + '\n'), sender, lines)
    expect(sender.records.map((r) => r.value?.toString())).to.deep.equal(values)
    expect(sender.drains).to.be.greaterThan(1)
    expect(sender.records.every((r) => r.timestamp! >= before && r.timestamp! <= Date.now())).to.equal(true)
  })

  it('stops at a bad line after sending the lines before it', async () => {
    const sender = new FakeSender()
    const keyed = {...lines, lines: {keySeparator: Buffer.from(':'), ignoreError: false, nullMarker: null}}
    let error: unknown
    try {
      await produceStream(chunks('a:1\nbad\nc:3\n'), sender, keyed)
    } catch (caught) {
      error = caught
    }
    expect(error).to.be.instanceOf(InputError)
    expect((error as Error).message).to.match(/line 2/)
    expect(sender.records).to.have.length(1)
  })

  it('reads consume --json lines back exactly, skipping blank lines', async () => {
    const source = {topic: 'orig', partition: 4}
    const originals = [
      {offset: 0, timestamp: 1000, timestampType: 'CreateTime' as const, key: Buffer.from([0xff]), value: null, headers: [{key: 'h', value: Buffer.from('v')}]},
      {offset: 1, timestamp: 2000, timestampType: 'LogAppendTime' as const, key: null, value: Buffer.from('text'), headers: []},
    ]
    const input = originals.map((r) => encodeJsonRecord(r, source)).join('\n\n') + '\n'
    const sender = new FakeSender()
    const count = await produceStream(chunks(input.slice(0, 50), input.slice(50)), sender, {...lines, topic: 'copy', input: 'json'})
    expect(count).to.equal(2)
    expect(sender.records).to.deep.equal([
      {topic: 'copy', key: Buffer.from([0xff]), value: null, headers: [{key: 'h', value: Buffer.from('v')}], partition: 4, timestamp: 1000},
      {topic: 'copy', key: null, value: Buffer.from('text'), headers: [], partition: 4, timestamp: 2000},
    ])
  })

  it('lets --partition override the partition of JSON records, and appends static headers', async () => {
    const sender = new FakeSender()
    await produceStream(chunks('{"partition":1,"value":"v","headers":[{"key":"a","value":"1"}]}\n'), sender,
      {...lines, input: 'json', partition: 0, headers: [{key: 'b', value: Buffer.from('2')}]})
    expect(sender.records[0].partition).to.equal(0)
    expect(sender.records[0].headers?.map((h) => h.key)).to.deep.equal(['a', 'b'])
  })
})
