import {UsageError} from './cli-errors.js'
import {unescapeBytes} from './escape-sequences.js'
import {parseBooleanProperty, parseKeyValueList, requireKnownKeys} from './key-value-pairs.js'
import type {LineRecordOptions} from './line-record-parser.js'

/** The kafka-console-producer `--property` keys Weir understands. */
export const PRODUCER_PROPERTIES = ['parse.key', 'key.separator', 'ignore.error', 'null.marker'] as const

/** Kafka's default key separator is a TAB. */
const DEFAULT_KEY_SEPARATOR = '\t'

/**
 * Line-reading options from `--key-separator` (kcat's -K: giving it turns key parsing on)
 * and Kafka's `--property parse.key=true --property key.separator=:` spelling.
 */
export function lineRecordOptions(flags: {keySeparator?: string; properties?: readonly string[]}): LineRecordOptions {
  const props = parseKeyValueList(flags.properties, 'property')
  requireKnownKeys(props, PRODUCER_PROPERTIES, 'property')
  const parseKey = props['parse.key'] === undefined ? false : parseBooleanProperty(props['parse.key'], 'parse.key')
  if (flags.keySeparator !== undefined && props['key.separator'] !== undefined) {
    throw new UsageError('give the key separator once: --key-separator or --property key.separator')
  }
  const separatorText = flags.keySeparator ?? props['key.separator']
  const keyed = flags.keySeparator !== undefined || parseKey
  const keySeparator = keyed ? unescapeBytes(separatorText ?? DEFAULT_KEY_SEPARATOR, 'key separator') : null
  if (keySeparator !== null && keySeparator.length === 0) throw new UsageError('the key separator cannot be empty')
  const nullMarker = props['null.marker'] === undefined ? null : unescapeBytes(props['null.marker'], 'null.marker')
  if (nullMarker !== null && keySeparator !== null && nullMarker.equals(keySeparator)) {
    throw new UsageError('null.marker and the key separator must differ')
  }
  const ignoreError = props['ignore.error'] === undefined ? false : parseBooleanProperty(props['ignore.error'], 'ignore.error')
  return {keySeparator, ignoreError, nullMarker}
}
