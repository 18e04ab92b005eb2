import {UsageError} from './cli-errors.js'
import {unescapeBytes} from './escape-sequences.js'
import type {ByteSink} from './output.js'

/** What a formatter reads from a consumed record (structurally the client's ConsumedRecord). */
export interface FormattableRecord {
  offset: number
  timestamp: number
  timestampType: 'CreateTime' | 'LogAppendTime'
  key: Buffer | null
  value: Buffer | null
  headers: readonly {key: string; value: Buffer | null}[]
}

/** Where the record came from; the same for every record of a fetched batch. */
export interface RecordSource {
  topic: string
  partition: number
}

/** One piece of an output line: writes its bytes for a record. */
export type FormatPart = (record: FormattableRecord, source: RecordSource, out: ByteSink) => void

/**
 * A compiled output layout: a list of parts run in order for each record, so formatting a
 * record costs no parsing and writes bytes straight into the sink (payloads are copied raw,
 * never decoded).
 */
export class RecordFormat {
  private readonly parts: readonly FormatPart[]

  constructor(parts: readonly FormatPart[]) {
    this.parts = parts
  }

  render(record: FormattableRecord, source: RecordSource, out: ByteSink): void {
    for (const part of this.parts) part(record, source, out)
  }
}

// ---- the parts ------------------------------------------------------------------------

export function literalPart(bytes: Buffer): FormatPart {
  return (_record, _source, out) => out.write(bytes)
}

export const topicPart: FormatPart = (_record, source, out) => out.writeString(source.topic)
export const partitionPart: FormatPart = (_record, source, out) => out.writeString(String(source.partition))
export const offsetPart: FormatPart = (record, _source, out) => out.writeString(String(record.offset))
export const timestampPart: FormatPart = (record, _source, out) => out.writeString(String(record.timestamp))

/** Kafka's `CreateTime:<ms>` / `LogAppendTime:<ms>` (a negative timestamp is NO_TIMESTAMP). */
export const timestampWithTypePart: FormatPart = (record, _source, out) =>
  out.writeString(record.timestamp < 0 ? 'NO_TIMESTAMP' : `${record.timestampType}:${record.timestamp}`)

/** The key's raw bytes; `nullText` stands for a null key. */
export function keyPart(nullText: Buffer): FormatPart {
  return (record, _source, out) => out.write(record.key ?? nullText)
}

/** The value's raw bytes; `nullText` stands for a null value (a tombstone). */
export function valuePart(nullText: Buffer): FormatPart {
  return (record, _source, out) => out.write(record.value ?? nullText)
}

/** Length in bytes, -1 for null (kcat's %K and %S). */
export const keyLengthPart: FormatPart = (record, _source, out) => out.writeString(String(record.key?.length ?? -1))
export const valueLengthPart: FormatPart = (record, _source, out) => out.writeString(String(record.value?.length ?? -1))

/** kcat's %R: the value length as a 4-byte big-endian integer, for length-prefixed framing. */
export const valueLengthBinaryPart: FormatPart = (record, _source, out) => {
  const prefix = Buffer.allocUnsafe(4)
  prefix.writeInt32BE(record.value?.length ?? -1)
  out.write(prefix)
}

export interface HeaderLayout {
  /** Between two headers. */
  separator: Buffer
  /** Between a header's name and its value. */
  keyValueSeparator: Buffer
  /** Written for a header whose value is null. */
  nullText: Buffer
  /** Written when the record has no headers. */
  noneText: Buffer
}

export function headersPart(layout: HeaderLayout): FormatPart {
  return (record, _source, out) => {
    const headers = record.headers
    if (headers.length === 0) {
      out.write(layout.noneText)
      return
    }
    for (let i = 0; i < headers.length; i++) {
      if (i > 0) out.write(layout.separator)
      out.writeString(headers[i].key)
      out.write(layout.keyValueSeparator)
      out.write(headers[i].value ?? layout.nullText)
    }
  }
}

// ---- kcat's -f syntax ------------------------------------------------------------------

const EMPTY = Buffer.alloc(0)

const KCAT_TOKENS: Record<string, FormatPart> = {
  t: topicPart,
  p: partitionPart,
  o: offsetPart,
  T: timestampPart,
  k: keyPart(EMPTY),
  K: keyLengthPart,
  s: valuePart(EMPTY),
  S: valueLengthPart,
  R: valueLengthBinaryPart,
  h: headersPart({separator: Buffer.from(','), keyValueSeparator: Buffer.from('='), nullText: EMPTY, noneText: EMPTY}),
}

/** The tokens --format accepts, for help text and error messages. */
export const KCAT_TOKEN_HELP = '%t topic, %p partition, %o offset, %T timestamp (ms), %k key, %K key length, ' +
  '%s value, %S value length, %R value length (4-byte big-endian), %h headers (n=v,..), %% a percent sign'

/**
 * Compiles a kcat `-f` format string: the tokens above, and the escapes \n \t \r \0 \\ \xNN
 * in the text between them. Null keys and values print nothing; their lengths print -1.
 */
export function parseKcatFormat(format: string): RecordFormat {
  const parts: FormatPart[] = []
  let literal = ''
  const flushLiteral = (): void => {
    if (literal !== '') parts.push(literalPart(unescapeBytes(literal, '--format')))
    literal = ''
  }
  for (let i = 0; i < format.length; i++) {
    const char = format[i]
    if (char !== '%') {
      literal += char
      continue
    }
    const token = format[i + 1]
    i++
    if (token === '%') {
      literal += '%'
      continue
    }
    const part = token === undefined ? undefined : KCAT_TOKENS[token]
    if (part === undefined) {
      throw new UsageError(`--format: unknown token '%${token ?? ''}' (known: ${KCAT_TOKEN_HELP})`)
    }
    flushLiteral()
    parts.push(part)
  }
  flushLiteral()
  return new RecordFormat(parts)
}
