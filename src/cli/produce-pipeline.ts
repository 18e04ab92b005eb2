import {setImmediate as nextTurn} from 'node:timers/promises'

import type {OutgoingRecord} from '../client/index.js'
import {decodeJsonRecord} from './json-record.js'
import {type LineRecordOptions, parseLineRecord} from './line-record-parser.js'
import {LineSplitter} from './line-splitter.js'

export type {OutgoingRecord}

/** The part of the client's Producer this pipeline drives. */
export interface RecordSender {
  /**
   * false = the sender's buffer is full: wait for drain() before sending more. The record object is
   * the sender's only until send returns (the pipeline fills the same object again for the next line).
   */
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
 * Input is cut into records a slice at a time, with a turn of the event loop between slices. The
 * sender writes requests to its socket meanwhile: the kernel takes only ~200 KiB of a 1 MB request
 * at once, and the rest would wait until the pipeline stopped for backpressure, so without these
 * turns the connection idles while lines are split and the pipeline idles while it drains.
 */
const SLICE_BYTES = 128 * 1024

/**
 * Streams `input` into records and hands them to `sender`, one record per '\n'-terminated
 * line. Lines are cut from each chunk as views (no per-line strings in line mode), and the
 * sender's backpressure is honoured once per slice, so memory stays bounded by the sender's
 * buffer plus one chunk. Returns how many records were handed over; the caller flushes.
 */
export async function produceStream(input: AsyncIterable<Buffer | string>, sender: RecordSender, opts: ProduceOptions): Promise<number> {
  let lineNumber = 0
  let sent = 0
  let mustDrain = false
  const records = opts.input === 'json' ? new JsonLineRecords(opts) : new TextLineRecords(opts)
  const splitter = new LineSplitter((line) => {
    lineNumber++
    const record = records.make(line, lineNumber)
    if (record === null) return
    sent++
    if (!sender.send(record)) mustDrain = true
  })
  let first = true
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
      if (!first) await nextTurn()
      first = false
      records.timestamp = Date.now()
      splitter.push(bytes.length <= SLICE_BYTES ? bytes : bytes.subarray(at, at + SLICE_BYTES))
      if (mustDrain) {
        mustDrain = false
        await sender.drain()
      }
    }
  }
  splitter.end()
  return sent
}

/** Makes the record of each line, or null for a line that is no record. */
interface LineRecords {
  /** CreateTime of records without their own: read once per slice, not per line. */
  timestamp: number
  make(line: Buffer, lineNumber: number): OutgoingRecord | null
}

/** Lines as values, or keys and values (LineRecordOptions). */
class TextLineRecords implements LineRecords {
  timestamp = Date.now()
  /** One object, filled again for every line (see RecordSender.send): a line costs no allocation. */
  private readonly record: OutgoingRecord

  constructor(private readonly opts: ProduceOptions) {
    this.record = {topic: opts.topic, partition: opts.partition, key: null, value: null,
      headers: opts.headers.length > 0 ? opts.headers : undefined, timestamp: undefined}
  }

  make(line: Buffer, lineNumber: number): OutgoingRecord {
    parseLineRecord(line, lineNumber, this.opts.lines, this.record)
    this.record.timestamp = this.timestamp
    return this.record
  }
}

const BLANK = /^\s*$/

/** `consume --json` objects, blank lines skipped. */
class JsonLineRecords implements LineRecords {
  timestamp = Date.now()

  constructor(private readonly opts: ProduceOptions) {}

  make(line: Buffer, lineNumber: number): OutgoingRecord | null {
    const text = line.toString('utf8')
    if (BLANK.test(text)) return null
    const decoded = decodeJsonRecord(text, lineNumber)
    const opts = this.opts
    const record: OutgoingRecord = {
      topic: opts.topic,
      key: decoded.key,
      value: decoded.value,
      headers: opts.headers.length > 0 ? [...decoded.headers, ...opts.headers] : decoded.headers,
    }
    const partition = opts.partition ?? decoded.partition
    if (partition !== undefined) record.partition = partition
    record.timestamp = decoded.timestamp !== undefined && decoded.timestamp >= 0 ? decoded.timestamp : this.timestamp
    return record
  }
}
