import {UsageError} from './cli-errors.js'
import {parseIsoTime, parseTimePoint} from './time-point.js'

/**
 * Where `consumer-groups reset-offsets` moves a group's offsets, one of Kafka's reset specifications:
 * the log start or end, an absolute offset, the committed offset shifted by N, the first record at or
 * after a time (--to-datetime, --by-duration), the committed offset itself (--to-current), or the
 * offsets a CSV file lists (--from-file).
 */
export type ResetSpec =
  | {kind: 'earliest'}
  | {kind: 'latest'}
  | {kind: 'current'}
  | {kind: 'offset'; offset: number}
  | {kind: 'shift'; by: number}
  | {kind: 'time'; timestamp: number}
  | {kind: 'file'; path: string}

/** The reset flags as oclif parses them (the numbers as text, so their errors are worded here). */
export interface ResetSpecFlags {
  'to-earliest'?: boolean
  'to-latest'?: boolean
  'to-current'?: boolean
  'to-offset'?: string
  'shift-by'?: string
  'to-datetime'?: string
  'by-duration'?: string
  'from-file'?: string
}

export const RESET_SPEC_FLAGS = ['to-earliest', 'to-latest', 'to-current', 'to-offset', 'shift-by', 'to-datetime', 'by-duration', 'from-file'] as const

const JAVA_DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:[.,](\d{1,9}))?S)?)?$/i
const CLI_DURATION = /^(?:\d+[dhms])+$/

/** The one reset specification the flags give; none or several is a usage error, as in Kafka. */
export function parseResetSpec(flags: ResetSpecFlags, now: number): ResetSpec {
  const given = RESET_SPEC_FLAGS.filter((name) => flags[name] !== undefined && flags[name] !== false)
  if (given.length !== 1) {
    const choices = RESET_SPEC_FLAGS.map((name) => `--${name}`).join(', ')
    throw new UsageError(given.length === 0 ? 'say where to move the offsets' : `give only one of ${given.map((name) => `--${name}`).join(' and ')}`,
      `choose one of ${choices}`)
  }
  switch (given[0]!) {
    case 'to-earliest':
      return {kind: 'earliest'}
    case 'to-latest':
      return {kind: 'latest'}
    case 'to-current':
      return {kind: 'current'}
    case 'to-offset':
      return {kind: 'offset', offset: parseCount(flags['to-offset']!, 'to-offset', false)}
    case 'shift-by':
      return {kind: 'shift', by: parseCount(flags['shift-by']!, 'shift-by', true)}
    case 'to-datetime':
      return {kind: 'time', timestamp: parseResetDatetime(flags['to-datetime']!, now)}
    case 'by-duration':
      return {kind: 'time', timestamp: now - parseResetDuration(flags['by-duration']!)}
    case 'from-file':
      return {kind: 'file', path: flags['from-file']!}
  }
}

/** An offset (N >= 0) or, with `signed`, a shift (+N or -N). */
function parseCount(text: string, flag: string, signed: boolean): number {
  const match = (signed ? /^[+-]?\d+$/ : /^\d+$/).exec(text.trim())
  const value = match ? Number(match[0]) : Number.NaN
  if (!Number.isSafeInteger(value)) {
    throw new UsageError(`--${flag} must be ${signed ? 'a whole number such as 10 or -10' : 'an offset (a whole number, 0 or more)'}, got '${text}'`)
  }
  return value
}

/**
 * --to-datetime: Kafka's `YYYY-MM-DDTHH:mm:SS.sss` with an optional zone (Z, +hh:mm); like Kafka's
 * tool, a time without a zone is UTC, so a command line means the same here and against Kafka. Any
 * ISO-8601 date or date-time, epoch milliseconds and a duration back from now (-1h) are accepted too.
 */
export function parseResetDatetime(text: string, now: number): number {
  const trimmed = text.trim()
  const timestamp = /^\d{4}-\d{2}-\d{2}/.test(trimmed) ? parseIsoTime(inUtcUnlessZoned(trimmed)) : parseTimePoint(trimmed, now)
  if (timestamp === null) {
    throw new UsageError(`--to-datetime must be a time such as 2024-05-01T12:00:00.000 (UTC) or 2024-05-01T14:00:00.000+02:00, got '${text}'`,
      'epoch ms and a duration back from now such as -1h are accepted too')
  }
  return timestamp
}

/** An ISO-8601 text with its zone as +hh:mm, Z added when it has none (a date alone: UTC midnight). */
function inUtcUnlessZoned(text: string): string {
  const [date, time] = text.split(/[T ]/i)
  if (time === undefined) return `${date}T00:00Z`
  const zone = /(Z|[+-]\d{2}(?::?\d{2})?)$/i.exec(time)
  if (zone === null) return `${text}Z`
  // Java's patterns also take +hh and +hhmm.
  const offset = zone[1]!.toUpperCase() === 'Z' ? 'Z' : `${zone[1]!.slice(0, 3)}:${zone[1]!.slice(3).replace(':', '').padEnd(2, '0')}`
  return `${date}T${time.slice(0, zone.index)}${offset}`
}

/**
 * --by-duration in ms: Kafka's ISO-8601 `PnDTnHnMnS` (Java's Duration, seconds with up to nine
 * decimals) or the CLI's own `1d2h30m` form.
 */
export function parseResetDuration(text: string): number {
  const trimmed = text.trim()
  const java = JAVA_DURATION.exec(trimmed)
  let ms: number | null = null
  if (java && trimmed.length > 1 && !/T$/i.test(trimmed)) {
    const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = ''] = java
    ms = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000 +
      Math.floor(Number(`0.${fraction || '0'}`) * 1000)
  } else if (CLI_DURATION.test(trimmed)) {
    // A duration back from now is what time-point reads as `-<duration>`: its ms are now minus that point.
    const point = parseTimePoint(`-${trimmed}`, 0)
    ms = point === null ? null : -point
  }
  if (ms === null || !Number.isSafeInteger(ms)) {
    throw new UsageError(`--by-duration must be a duration such as PT1H30M, P1DT12H or 1h30m, got '${text}'`)
  }
  return ms
}
