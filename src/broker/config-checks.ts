/**
 * Value checks for configs, shared by topic and broker configs: each returns why a value is
 * refused (a phrase that follows "name=value"), or null when it is accepted. Values are checked as
 * given, surrounding spaces aside.
 */
import {MIN_SEGMENT_BYTES} from '../storage/index.js'

export type Check = (value: string) => string | null

export const INT32_MAX = 2_147_483_647n
export const INT64_MAX = 9_223_372_036_854_775_807n
/** Kafka's Long.MAX_VALUE as text: the "never" of flush.messages, flush.ms and the timestamp bounds. */
export const LONG_MAX_TEXT = INT64_MAX.toString()

const integer = (min: bigint, max: bigint): Check => value => {
  if (!/^-?\d+$/.test(value.trim())) return 'must be an integer'
  const n = BigInt(value.trim())
  if (n < min) return `must be at least ${min}`
  if (n > max) return `must be at most ${max}`
  return null
}

/** A 32-bit integer from `min` to `max`. */
export const int = (min: number, max = INT32_MAX): Check => integer(BigInt(min), max)

/** A 64-bit integer from `min`. */
export const long = (min: number): Check => integer(BigInt(min), INT64_MAX)

export const ratio: Check = value => {
  const n = Number(value.trim())
  return value.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? null : 'must be a number between 0 and 1'
}

/** true or false in any case; `refuseTrue` says why true is refused where Weir cannot honour it. */
export const bool = (refuseTrue?: string): Check => value => {
  const v = value.trim().toLowerCase()
  if (v !== 'true' && v !== 'false') return 'must be true or false'
  return v === 'true' && refuseTrue !== undefined ? refuseTrue : null
}

/** One of `allowed`; the keys of `refused` are known values refused with their reason. */
export const oneOf = (allowed: string[], refused: Record<string, string> = {}): Check => value => {
  const v = value.trim()
  if (Object.hasOwn(refused, v)) return refused[v]
  return allowed.includes(v) ? null : `must be one of ${[...allowed, ...Object.keys(refused)].join(', ')}`
}

/** A comma-separated list of items from `allowed`. */
export const listOf = (allowed: string[]): Check => value => {
  const items = splitList(value)
  return items.length > 0 && items.every(item => allowed.includes(item))
    ? null : `must be a comma-separated list of ${allowed.join(', ')}`
}

export const throttledReplicas: Check = value =>
  /^(\*|\d+:\d+(,\d+:\d+)*)?$/.test(value.replace(/\s/g, '')) ? null : 'must be empty, "*" or partition:broker pairs'

export const anyText: Check = () => null

/** segment.bytes: storage's floor, with the reason for it. */
export const segmentBytes: Check = value => {
  const refusal = int(MIN_SEGMENT_BYTES)(value)
  return refusal === null || !refusal.startsWith('must be at least') ? refusal
    : `must be at least ${MIN_SEGMENT_BYTES} (1 MiB, Kafka 4.0's minimum segment size)`
}

/** The items of a list config's value, trimmed, empty items dropped. */
export function splitList(value: string): string[] {
  return value.split(',').map(item => item.trim()).filter(item => item !== '')
}
