// The records every interop writer sends and every reader must return byte for byte.
// Payloads cross process boundaries as base64 inside JSON lines, so no client's idea of
// text encoding can blur the comparison.

export type Header = [name: string, value: Buffer | null]

export interface TestRecord {
  key: Buffer | null
  value: Buffer | null
  headers: Header[]
}

export interface ReadRecord extends TestRecord {
  topic: string
  partition: number
  offset: number
}

/** Lines of text a line-oriented writer (kcat, `weir produce`) can send: key, value, one header. */
export function textRecords(count: number, source: string): TestRecord[] {
  return Array.from({length: count}, (_, i) => ({
    key: Buffer.from(`key-${i}`),
    value: Buffer.from(`value ${i} from ${source}: ünïcödé ✓ ${'x'.repeat(i % 7)}`),
    headers: [['source', Buffer.from(source)]],
  }))
}

/**
 * Records a client with a real API can send: bytes that are not UTF-8 (newlines, 0xff),
 * null keys, a tombstone, empty key and value, several headers, one header with a null
 * value (unless the client cannot send one), and one record of 100 KB.
 */
export function richRecords(source: string, opts: {nullHeaderValues: boolean}): TestRecord[] {
  const binary = Buffer.from(Array.from({length: 300}, (_, i) => (i * 37 + 11) % 256))
  const large = Buffer.alloc(100 * 1024, `${source} large record `)
  const records: TestRecord[] = [
    {key: Buffer.from('plain'), value: Buffer.from(`hello from ${source}`), headers: []},
    {key: null, value: binary, headers: [['kind', Buffer.from('binary')]]},
    {key: binary.subarray(0, 16), value: Buffer.from('line one\nline two\r\n\ttabbed'), headers: []},
    {key: Buffer.from('tombstone'), value: null, headers: []},
    {key: Buffer.alloc(0), value: Buffer.alloc(0), headers: [['empty', Buffer.alloc(0)]]},
    {
      key: Buffer.from('headers'),
      value: Buffer.from('several headers'),
      // repeated names stay adjacent: kafkajs takes headers as an object of name -> values
      headers: [['a', Buffer.from('1')], ['a', Buffer.from('again')], ['b', Buffer.from([0xff, 0x00, 0x0a])]],
    },
    {key: Buffer.from('large'), value: large, headers: []},
  ]
  if (opts.nullHeaderValues) {
    records.push({key: Buffer.from('null-header'), value: Buffer.from('v'), headers: [['nothing', null]]})
  }
  for (let i = 0; i < 50; i++) {
    records.push({key: Buffer.from(`k${i}`), value: Buffer.from(`value ${i} ✓`), headers: [['i', Buffer.from(String(i))]]})
  }
  return records
}

function b64(data: Buffer | null): string | null {
  return data === null ? null : data.toString('base64')
}

function unb64(text: string | null): Buffer | null {
  return text === null ? null : Buffer.from(text, 'base64')
}

/** The JSON line the Python drivers read: payloads in base64, partition 0 unless told. */
export function toDriverLine(record: TestRecord, partition: number | null = 0): string {
  return JSON.stringify({
    partition,
    key: b64(record.key),
    value: b64(record.value),
    headers: record.headers.map(([name, value]) => [name, b64(value)]),
  })
}

interface DriverLine {
  topic: string
  partition: number
  offset: number
  key: string | null
  value: string | null
  headers: [string, string | null][]
}

/** Parses the records a Python driver printed. */
export function fromDriverOutput(output: string): ReadRecord[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as DriverLine
      return {
        topic: parsed.topic,
        partition: parsed.partition,
        offset: parsed.offset,
        key: unb64(parsed.key),
        value: unb64(parsed.value),
        headers: parsed.headers.map(([name, value]): Header => [name, unb64(value)]),
      }
    })
}

/** A readable, exact form of a record for deep comparisons and failure messages. */
export function describeRecord(record: TestRecord): string {
  const show = (data: Buffer | null) => (data === null ? 'null' : `hex:${data.toString('hex')}`)
  const headers = record.headers.map(([name, value]) => `${name}=${show(value)}`).join(',')
  return `key=${show(record.key)} value=${show(record.value)} headers=[${headers}]`
}

/** The records of one topic in offset order, described exactly. */
export function describeTopic(records: ReadRecord[], topic: string): string[] {
  return records
    .filter((record) => record.topic === topic)
    .sort((a, b) => a.partition - b.partition || a.offset - b.offset)
    .map(describeRecord)
}
