import {UsageError} from './cli-errors.js'

/** Splits `k=v` at the first `=`; the value may itself contain `=` and may be empty. */
export function parseKeyValue(text: string, flag: string): [string, string] {
  const at = text.indexOf('=')
  if (at <= 0) throw new UsageError(`--${flag} expects key=value, got '${text}'`)
  return [text.slice(0, at), text.slice(at + 1)]
}

/** Repeated `--flag k=v` values as an ordered record; a repeated key keeps its last value. */
export function parseKeyValueList(list: readonly string[] | undefined, flag: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const item of list ?? []) {
    const [key, value] = parseKeyValue(item, flag)
    result[key] = value
  }
  return result
}

/** Rejects keys outside `known`, naming the ones that are accepted. */
export function requireKnownKeys(pairs: Record<string, string>, known: readonly string[], flag: string): void {
  for (const key of Object.keys(pairs)) {
    if (!known.includes(key)) {
      throw new UsageError(`unknown --${flag} '${key}' (supported: ${known.join(', ')})`)
    }
  }
}

/** A Kafka-style boolean property value. */
export function parseBooleanProperty(value: string, key: string): boolean {
  const lower = value.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  throw new UsageError(`--property ${key} must be true or false, got '${value}'`)
}
