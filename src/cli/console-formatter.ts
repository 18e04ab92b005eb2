import {unescapeBytes} from './escape-sequences.js'
import {parseBooleanProperty, parseKeyValueList, requireKnownKeys} from './key-value-pairs.js'
import {
  type FormatPart, RecordFormat, headersPart, keyPart, literalPart, offsetPart, partitionPart,
  timestampWithTypePart, valuePart,
} from './record-format.js'

/** The kafka-console-consumer `--property` keys (DefaultMessageFormatter) Weir understands. */
export const FORMATTER_PROPERTIES = [
  'print.timestamp', 'print.partition', 'print.offset', 'print.headers', 'print.key', 'print.value',
  'key.separator', 'line.separator', 'headers.separator', 'null.literal',
] as const

/**
 * Kafka's console record layout from its `--property` settings: the enabled fields in
 * Kafka's fixed order (timestamp, partition, offset, headers, key, value) joined by
 * key.separator and ended by line.separator; nulls print null.literal. With no properties
 * this is Kafka's default: the value and a newline.
 */
export function consoleFormat(properties: readonly string[] | undefined): RecordFormat {
  const props = parseKeyValueList(properties, 'property')
  requireKnownKeys(props, FORMATTER_PROPERTIES, 'property')
  const flag = (key: string, fallback: boolean): boolean =>
    props[key] === undefined ? fallback : parseBooleanProperty(props[key], key)
  const bytes = (key: string, fallback: string): Buffer => unescapeBytes(props[key] ?? fallback, key)

  const nullText = bytes('null.literal', 'null')
  const fields: FormatPart[] = []
  if (flag('print.timestamp', false)) fields.push(timestampWithTypePart)
  if (flag('print.partition', false)) fields.push(prefixed('Partition:', partitionPart))
  if (flag('print.offset', false)) fields.push(prefixed('Offset:', offsetPart))
  if (flag('print.headers', false)) {
    fields.push(headersPart({
      separator: bytes('headers.separator', ','),
      keyValueSeparator: Buffer.from(':'),
      nullText,
      noneText: Buffer.from('NO_HEADERS'),
    }))
  }
  if (flag('print.key', false)) fields.push(keyPart(nullText))
  if (flag('print.value', true)) fields.push(valuePart(nullText))

  const separator = literalPart(bytes('key.separator', '\t'))
  const parts: FormatPart[] = []
  for (const [index, field] of fields.entries()) {
    if (index > 0) parts.push(separator)
    parts.push(field)
  }
  parts.push(literalPart(bytes('line.separator', '\n')))
  return new RecordFormat(parts)
}

function prefixed(label: string, part: FormatPart): FormatPart {
  const labelPart = literalPart(Buffer.from(label))
  return (record, source, out) => {
    labelPart(record, source, out)
    part(record, source, out)
  }
}
