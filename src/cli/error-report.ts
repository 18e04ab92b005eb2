import {stripVTControlCharacters} from 'node:util'

import {shellWord} from './shell-word.js'

/**
 * How one failure is shown to a user: one line of text (or one JSON object), a stable code
 * and an exit status. Every error a user can cause carries a string `code` (the client's
 * WeirError, the daemon's errors, CliError, Node's system errors such as ENOENT) and is shown
 * without a stack; an error without one is a bug and says how to get its stack.
 */
export interface ErrorReport {
  code: string
  message: string
  hint?: string
  exit: number
  /** Only for errors without a code, and only when asked for (WEIR_DEBUG). */
  stack?: string
}

interface ErrorFields {
  message?: unknown
  code?: unknown
  hint?: unknown
  exit?: unknown
  oclif?: {exit?: unknown}
  parse?: unknown
  args?: unknown
  stack?: unknown
}

export function errorReport(error: unknown, opts: {commandLine: string; debug: boolean}): ErrorReport {
  const fields = (typeof error === 'object' && error !== null ? error : {message: String(error)}) as ErrorFields
  const message = oneLine(typeof fields.message === 'string' ? fields.message : String(error))
  const hint = typeof fields.hint === 'string' && fields.hint !== '' ? fields.hint : undefined
  if (fields.parse !== undefined || typeof fields.oclif?.exit === 'number') {
    return usageReport(fields, message, opts.commandLine)
  }
  const exit = typeof fields.exit === 'number' ? fields.exit : 1
  if (typeof fields.code === 'string' && fields.code !== '') {
    return {code: fields.code, message, exit, ...(hint === undefined ? {} : {hint})}
  }
  const report: ErrorReport = {
    code: 'WEIR_ERR_UNEXPECTED',
    message,
    exit,
    hint: opts.debug ? undefined : 'this is a bug in weir; run again with WEIR_DEBUG=1 to see where it happened',
  }
  if (opts.debug && typeof fields.stack === 'string') report.stack = fields.stack
  if (report.hint === undefined) delete report.hint
  return report
}

/** oclif's own errors: parse errors (exit 2) and this.error()/this.exit() from commands. */
function usageReport(fields: ErrorFields, message: string, commandLine: string): ErrorReport {
  const exit = typeof fields.oclif?.exit === 'number' ? fields.oclif.exit : 2
  const code = typeof fields.code === 'string' && fields.code !== '' ? fields.code : exit === 2 ? 'WEIR_ERR_USAGE' : 'WEIR_ERR_FAILED'
  const text = requiredArgsMessage(fields) ?? message
  return {code, message: text, exit, ...(fields.parse === undefined ? {} : {hint: `see: ${commandLine} --help`})}
}

function requiredArgsMessage(fields: ErrorFields): string | undefined {
  if (!Array.isArray(fields.args) || !String(fields.message).startsWith('Missing')) return undefined
  const names = fields.args.map((arg: {name?: string}) => (arg.name ?? '').toUpperCase()).filter(Boolean)
  return names.length === 0 ? undefined : `missing argument${names.length === 1 ? '' : 's'} ${names.join(' ')}`
}

/** oclif messages span lines (a heading, a list, "See more help with --help"): fold them into one. */
function oneLine(message: string): string {
  return stripVTControlCharacters(message)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'See more help with --help' && !/^The following errors? occurred:$/.test(line))
    .join('; ')
}

/**
 * `message. Hint` as one line, e.g. "the Weir server is not running (..). Start it with: weir server
 * start". The message keeps its case: it may begin with a topic name.
 */
export function reportLine(report: ErrorReport): string {
  if (report.hint === undefined) return report.message
  const message = /[\p{L}\p{N})'"]$/u.test(report.message) ? `${report.message}.` : report.message
  return `${message} ${capitalize(report.hint)}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The --json error document. */
export function reportJson(report: ErrorReport): {error: {code: string; message: string; hint?: string; exit: number}} {
  return {error: {code: report.code, message: report.message, ...(report.hint === undefined ? {} : {hint: report.hint}), exit: report.exit}}
}

/**
 * Hints name the command that fixes things ("start it with: weir server start"); when the user
 * chose a data directory with --data-dir, that command needs it too.
 */
export function hintWithDataDir(report: ErrorReport, dataDirFlag: string | undefined): ErrorReport {
  if (dataDirFlag === undefined || report.hint === undefined) return report
  if (!/\bserver (start|stop)$/.test(report.hint)) return report
  return {...report, hint: `${report.hint} --data-dir ${shellWord(dataDirFlag)}`}
}
