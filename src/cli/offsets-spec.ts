import {UsageError} from './cli-errors.js'

/** Where a consumer starts in each partition. */
export type StartOffset = number | 'earliest' | 'latest'

/** `--offset` text: earliest, latest (also kcat's beginning/end) or an absolute offset >= 0. */
export function parseOffsetSpec(text: string): StartOffset {
  const lower = text.toLowerCase()
  if (lower === 'earliest' || lower === 'beginning') return 'earliest'
  if (lower === 'latest' || lower === 'end') return 'latest'
  if (/^\d+$/.test(text)) {
    const offset = Number(text)
    if (Number.isSafeInteger(offset)) return offset
  }
  throw new UsageError(`--offset must be earliest, latest or a number >= 0, got '${text}'`)
}

/**
 * The start offset from `--offset` and `--from-beginning` (which oclif keeps from being given
 * together). Like kafka-console-consumer, the default is the end: only new records.
 */
export function startOffset(flags: {offset?: string; fromBeginning?: boolean}): StartOffset {
  if (flags.offset !== undefined) return parseOffsetSpec(flags.offset)
  return flags.fromBeginning ? 'earliest' : 'latest'
}
