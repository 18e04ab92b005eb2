/**
 * Typed readers of topic config values, with Kafka's types and ranges: INT (i32), LONG (i64),
 * DOUBLE, LIST (comma-separated) and one-of STRING. Each returns the fallback when the config is
 * absent and throws InvalidConfigError naming the config and the bad text otherwise.
 *
 * LONGs are JavaScript numbers: a value above Number.MAX_SAFE_INTEGER (2^53 - 1, about 285,000
 * years of milliseconds or 9 * 10^15 records) is read as MAX_SAFE_INTEGER, which storage treats as
 * "never", as Kafka treats Long.MAX_VALUE, its default for flush.messages and flush.ms.
 */
import {InvalidConfigError} from './errors.js'

export type Configs = Readonly<Record<string, string>>

export const INT32_MAX = 0x7fffffff
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n
/** Kafka's Long.MAX_VALUE as storage holds it */
export const LONG_MAX = Number.MAX_SAFE_INTEGER
const INTEGER = /^\s*[-+]?\d+\s*$/
const DECIMAL = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/

export function intConfig(configs: Configs, name: string, fallback: number, min: number): number {
  const text = configs[name]
  if (text === undefined) return fallback
  const value = INTEGER.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value) || value < min || value > INT32_MAX) {
    throw new InvalidConfigError(`${name} must be an integer from ${min} to ${INT32_MAX}, not '${text}'`)
  }
  return value
}

/** A LONG at or above `min` (no lower bound when undefined). */
export function longConfig(configs: Configs, name: string, fallback: number, min?: number): number {
  const text = configs[name]
  if (text === undefined) return fallback
  const value = INTEGER.test(text) ? BigInt(text.trim()) : undefined
  const low = min === undefined ? INT64_MIN : BigInt(min)
  if (value === undefined || value < low || value > INT64_MAX) {
    throw new InvalidConfigError(`${name} must be an integer from ${low} to ${INT64_MAX}, not '${text}'`)
  }
  return value > BigInt(LONG_MAX) ? LONG_MAX : value < -BigInt(LONG_MAX) ? -LONG_MAX : Number(value)
}

export function doubleConfig(configs: Configs, name: string, fallback: number, min: number, max: number): number {
  const text = configs[name]
  if (text === undefined) return fallback
  const value = DECIMAL.test(text) ? Number(text) : NaN
  if (!(value >= min && value <= max)) throw new InvalidConfigError(`${name} must be a number from ${min} to ${max}, not '${text}'`)
  return value
}

/** A comma-separated list whose items are all in `allowed`; spaces around items are ignored, an empty text is an empty list. */
export function listConfig<T extends string>(configs: Configs, name: string, fallback: readonly T[], allowed: readonly T[]): T[] {
  const text = configs[name]
  if (text === undefined) return [...fallback]
  const items = text.trim() === '' ? [] : text.split(',').map((item) => item.trim())
  const bad = items.find((item) => !(allowed as readonly string[]).includes(item))
  if (bad !== undefined) throw new InvalidConfigError(`${name} must be a list of ${allowed.join(', ')}, not '${text}' ('${bad}')`)
  return [...new Set(items)] as T[]
}

export function oneOfConfig<T extends string>(configs: Configs, name: string, fallback: T, allowed: readonly T[]): T {
  const text = configs[name]
  if (text === undefined) return fallback
  if ((allowed as readonly string[]).includes(text)) return text as T
  throw new InvalidConfigError(`${name} must be ${allowed.join(' or ')}, not '${text}'`)
}

/**
 * A config's interval as a timer delay: Node runs a timer longer than 2^31-1 ms after 1 ms instead,
 * so Kafka's "never" (Long.MAX) would spin. Longer intervals wait 2^31-1 ms (24.8 days) at a time.
 */
export function timerDelayMs(intervalMs: number): number {
  return Math.min(intervalMs, INT32_MAX)
}
