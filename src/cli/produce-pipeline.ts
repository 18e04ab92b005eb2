import type {OutgoingRecord} from '../client/index.js'
import {decodeJsonRecord} from './json-record.js'
import {type LineRecordOptions, parseLineRecord} from './line-record-parser.js'
import {LineSplitter} from './line-splitter.js'

export type {OutgoingRecord}

/** The part of the client's Producer this pipeline drives. */
export interface RecordSender {
  /** false = the sender's buffer is full: wait for drain() before sending more. */
  send(record: OutgoingRecord): boolean
  drain(): Promise<void>
}

export interface ProduceOptions {
  topic: string
  /** Every record goes to this partition (beats a partition given in JSON input). */
  partition: number | undefined
  /** Added to every record, after any headers of a JSON record. */
  headers: {key: string; value: Buffer | null}[]
  /** 'lines': one record per line (key parsing per `lines`); 'json': one `consume --json` object per line. */
  input: 'lines' | 'json'
  lines: LineRecordOptions
}

/**
 * Streams `input` into records and hands them to `sender`, one record per '\n'-terminated
 * line. Lines are cut from each chunk as views (no per-line strings in line mode), and the
 * sender's backpressure is honoured once per chunk, so memory stays bounded by the sender's
 * buffer plus one chunk. Returns how many records were handed over; the caller flushes.
 */
export async function produceStream(input: AsyncIterable<Buffer | string>, sender: RecordSender, opts: ProduceOptions): Promise<number> {
  let lineNumber = 0
  let sent = 0
  let mustDrain = false
  const toRecord = opts.input === 'json' ? jsonLineRecord(opts) : textLineRecord(opts)
  const splitter = new LineSplitter((line) => {
    lineNumber++
    const record = toRecord(line, lineNumber)
    if (record === null) return
    sent++
    if (!sender.send(record)) mustDrain = true
  })
  for await (const chunk of input) {
    splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    if (mustDrain) {
      mustDrain = false
      await sender.drain()
    }
  }
  splitter.end()
  return sent
}

type LineToRecord = (line: Buffer, lineNumber: number) => OutgoingRecord | null

function textLineRecord(opts: ProduceOptions): LineToRecord {
  const headers = opts.headers.length > 0 ? opts.headers : undefined
  return (line, lineNumber) => {
    const {key, value} = parseLineRecord(line, lineNumber, opts.lines)
    const record: OutgoingRecord = {topic: opts.topic, key, value}
    if (opts.partition !== undefined) record.partition = opts.partition
    if (headers !== undefined) record.headers = headers
    return record
  }
}

const BLANK = /^\s*$/

function jsonLineRecord(opts: ProduceOptions): LineToRecord {
  return (line, lineNumber) => {
    const text = line.toString('utf8')
    if (BLANK.test(text)) return null
    const decoded = decodeJsonRecord(text, lineNumber)
    const record: OutgoingRecord = {
      topic: opts.topic,
      key: decoded.key,
      value: decoded.value,
      headers: opts.headers.length > 0 ? [...decoded.headers, ...opts.headers] : decoded.headers,
    }
    const partition = opts.partition ?? decoded.partition
    if (partition !== undefined) record.partition = partition
    if (decoded.timestamp !== undefined && decoded.timestamp >= 0) record.timestamp = decoded.timestamp
    return record
  }
}
