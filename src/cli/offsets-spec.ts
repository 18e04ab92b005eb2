import {UsageError} from './cli-errors.js'
import {TIME_FORMS, parseTimePoint} from './time-point.js'

/**
 * A point in each partition, as `consume --offset` and `--until` take it (kcat -o and rpk -o):
 * the log start or end, an absolute offset, N records before the end, or the first record at or
 * after a time.
 */
export type OffsetSpec =
  | {kind: 'earliest'}
  | {kind: 'latest'}
  | {kind: 'offset'; offset: number}
  | {kind: 'before-end'; count: number}
  | {kind: 'time'; timestamp: number}

/** What `--until` accepts: a point that does not move with the end of the log. */
export type UntilSpec = Exclude<OffsetSpec, {kind: 'before-end'}>

const FORMS = 'N, -N, earliest, latest, @TIME or @-DURATION'
const UNTIL_FORMS = 'N, earliest, latest, @TIME or @-DURATION'

/**
 * `--offset` text: earliest/beginning, latest/end, N, -N, `@<time>` (also kcat's `s@<ms>`), where
 * a time is epoch ms, ISO-8601 or a duration relative to `now` (`@-1h`).
 */
export function parseOffsetSpec(text: string, now: number, flag = 'offset'): OffsetSpec {
  const spec = parseSpec(text, now)
  if (spec === null) {
    throw new UsageError(`--${flag} must be ${FORMS}, got '${text}'`, `a time is ${TIME_FORMS}`)
  }
  return spec
}

/** `--until` text: the forms of --offset but -N (kcat's `e@<ms>` is accepted for `@<ms>`). */
export function parseUntilSpec(text: string, now: number): UntilSpec {
  const spec = parseSpec(text.replace(/^e@/i, '@'), now)
  if (spec === null || spec.kind === 'before-end') {
    throw new UsageError(`--until must be ${UNTIL_FORMS}, got '${text}'`, `a time is ${TIME_FORMS}`)
  }
  return spec
}

function parseSpec(text: string, now: number): OffsetSpec | null {
  const lower = text.toLowerCase()
  if (lower === 'earliest' || lower === 'beginning') return {kind: 'earliest'}
  if (lower === 'latest' || lower === 'end') return {kind: 'latest'}
  const number = /^(-?)(\d+)$/.exec(text)
  if (number) {
    const value = Number(number[2])
    if (!Number.isSafeInteger(value)) return null
    return number[1] === '-' ? {kind: 'before-end', count: value} : {kind: 'offset', offset: value}
  }
  const time = /^s?@(.+)$/i.exec(text)
  if (time) {
    const timestamp = parseTimePoint(time[1]!, now)
    return timestamp === null ? null : {kind: 'time', timestamp}
  }
  return null
}

/**
 * The start from `--offset` and `--from-beginning` (which oclif keeps from being given together).
 * Like kafka-console-consumer, the default is the end: only new records.
 */
export function startSpec(flags: {offset?: string; fromBeginning?: boolean}, now: number): OffsetSpec {
  if (flags.offset !== undefined) return parseOffsetSpec(flags.offset, now)
  return flags.fromBeginning ? {kind: 'earliest'} : {kind: 'latest'}
}
