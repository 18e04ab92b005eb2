import {isUtf8} from 'node:buffer'

import {InputError} from './cli-errors.js'
import {type FormattableRecord, type FormatPart, RecordFormat, type RecordSource} from './record-format.js'

/**
 * The `--json` record line shared by `weir consume --json` (writes it) and
 * `weir produce --json` (reads it back), so that a pipe between the two copies records
 * exactly, binary payloads included:
 *
 *   {"topic":"t","partition":0,"offset":7,"timestamp":1700000000000,"timestampType":"CreateTime",
 *    "key":"k","value":"v","headers":[{"key":"h","value":"x"}]}
 *
 * A key, value or header value that is valid UTF-8 is a JSON string of that text; any other
 * bytes are base64 and the object says so with "keyEncoding"/"valueEncoding":"base64" next to
 * the field. null stays null (a tombstone has "value":null).
 */

export type PayloadEncoding = 'utf8' | 'base64'

export function encodeJsonRecord(record: FormattableRecord, source: RecordSource): string {
  let line = `{"topic":${JSON.stringify(source.topic)},"partition":${source.partition},"offset":${record.offset}` +
    `,"timestamp":${record.timestamp},"timestampType":"${record.timestampType}"` +
    `,${payloadFields('key', record.key)},${payloadFields('value', record.value)},"headers":[`
  const headers = record.headers
  for (let i = 0; i < headers.length; i++) {
    if (i > 0) line += ','
    line += `{"key":${JSON.stringify(headers[i].key)},${payloadFields('value', headers[i].value)}}`
  }
  return line + ']}'
}

function payloadFields(name: string, bytes: Buffer | null): string {
  if (bytes === null) return `"${name}":null`
  if (isUtf8(bytes)) return `"${name}":${JSON.stringify(bytes.toString('utf8'))}`
  return `"${name}":"${bytes.toString('base64')}","${name}Encoding":"base64"`
}

/** consume --json as a RecordFormat: one compact object and a newline per record. */
export const jsonLinePart: FormatPart = (record, source, out) => out.writeString(encodeJsonRecord(record, source) + '\n')
export const JSON_RECORD_FORMAT = new RecordFormat([jsonLinePart])

/** A record read back from a JSON line; `topic` and `offset` in the line are ignored. */
export interface JsonInputRecord {
  partition: number | undefined
  key: Buffer | null
  value: Buffer | null
  headers: {key: string; value: Buffer | null}[]
  timestamp: number | undefined
}

export function decodeJsonRecord(line: string, lineNumber: number): JsonInputRecord {
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch (error) {
    throw new InputError(`line ${lineNumber}: not JSON (${(error as Error).message})`)
  }
  if (!isPlainObject(parsed)) throw new InputError(`line ${lineNumber}: expected a JSON object`)
  const where = `line ${lineNumber}`
  return {
    partition: partitionOf(parsed.partition, where),
    key: payload(parsed, 'key', where),
    value: payload(parsed, 'value', where),
    headers: headerList(parsed.headers, where),
    timestamp: optionalInteger(parsed.timestamp, `${where}: timestamp`),
  }
}

function headerList(headers: unknown, where: string): {key: string; value: Buffer | null}[] {
  if (headers === undefined || headers === null) return []
  if (!Array.isArray(headers)) throw new InputError(`${where}: headers must be an array`)
  return headers.map((header: unknown, index) => {
    const at = `${where}: headers[${index}]`
    if (!isPlainObject(header) || typeof header.key !== 'string') {
      throw new InputError(`${at} must be an object with a string "key"`)
    }
    return {key: header.key, value: payload(header, 'value', at)}
  })
}

function payload(object: Record<string, unknown>, name: string, where: string): Buffer | null {
  const text = object[name]
  const encoding = encodingOf(object[`${name}Encoding`], `${where}: ${name}Encoding`)
  if (text === undefined || text === null) return null
  if (typeof text !== 'string') throw new InputError(`${where}: ${name} must be a string or null`)
  if (encoding === 'utf8') return Buffer.from(text, 'utf8')
  if (!isBase64(text)) throw new InputError(`${where}: ${name} is not valid base64`)
  return Buffer.from(text, 'base64')
}

function encodingOf(value: unknown, where: string): PayloadEncoding {
  if (value === undefined || value === null || value === 'utf8') return 'utf8'
  if (value === 'base64') return 'base64'
  throw new InputError(`${where} must be "utf8" or "base64"`)
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function isBase64(text: string): boolean {
  return BASE64.test(text)
}

/** -1 (as in kcat's -p -1) and absence both leave the choice to the partitioner. */
function partitionOf(value: unknown, where: string): number | undefined {
  const partition = optionalInteger(value, `${where}: partition`)
  if (partition === undefined || partition === -1) return undefined
  if (partition < 0) throw new InputError(`${where}: partition must be >= 0 (or -1 for any)`)
  return partition
}

function optionalInteger(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new InputError(`${what} must be an integer`)
  return value
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
