/**
 * Points in time as users write them after `@` in offset forms (kcat's `s@<ms>`, rpk's `@t`):
 * epoch milliseconds, an ISO-8601 date or date-time, or a duration relative to now such as
 * `-1h`, `-1h30m` or `+10m` (units d, h, m, s). An ISO time without a zone is UTC, as Kafka's
 * tools read one (Utils.getDateTime adds "Z"); that includes a date alone (midnight UTC), so a
 * command line means the same on every machine and against Kafka's own tools.
 */

const UNIT_MS: Readonly<Record<string, number>> = {d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000}
const DURATION = /^([+-])((?:\d+[dhms])+)$/
const DURATION_PART = /(\d+)([dhms])/g
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i

/** What a time text may look like, for error messages. */
export const TIME_FORMS = 'epoch ms, an ISO-8601 time such as 2024-05-01T12:00:00Z, or a duration such as -1h or -1h30m'

/** Epoch ms of `text`, or null when it is none of the accepted forms. `now` anchors durations. */
export function parseTimePoint(text: string, now: number): number | null {
  if (/^\d+$/.test(text)) {
    const ms = Number(text)
    return Number.isSafeInteger(ms) ? ms : null
  }
  const duration = DURATION.exec(text)
  if (duration) {
    const ms = durationMs(duration[2]!)
    return ms === null ? null : duration[1] === '-' ? now - ms : now + ms
  }
  return parseIsoTime(text)
}

/** A sum of `<n><unit>` parts in ms; null when it overflows a safe integer. */
function durationMs(parts: string): number | null {
  let total = 0
  for (const [, count, unit] of parts.matchAll(DURATION_PART)) total += Number(count) * UNIT_MS[unit!]!
  return Number.isSafeInteger(total) ? total : null
}

/**
 * An ISO-8601 date or date-time in epoch ms, or null. Out-of-range fields (month 13, February
 * 30th, hour 25) are refused rather than rolled over into the next month or day, as Date would.
 */
export function parseIsoTime(text: string): number | null {
  const match = ISO.exec(text)
  if (!match) return null
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = ''] = match
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysIn(Number(year), Number(month))) return null
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null
  const millis = fraction === '' ? '' : fraction.slice(0, 4).padEnd(4, '0')
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}${millis}${zone === '' ? 'Z' : zone.toUpperCase()}`)
  return Number.isNaN(ms) ? null : ms
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}
