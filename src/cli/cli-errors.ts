/**
 * Errors raised by the command-line layer itself (as opposed to the client or the daemon).
 * Each carries a stable `code` and the process exit status it stands for, so the base
 * command renders it as one line without a stack trace.
 */
export class CliError extends Error {
  readonly code: string
  readonly exit: number
  readonly hint: string | undefined

  constructor(message: string, opts: {code: string; exit?: number; hint?: string}) {
    super(message)
    this.name = 'CliError'
    this.code = opts.code
    this.exit = opts.exit ?? 1
    this.hint = opts.hint
  }
}

/** A command line that cannot be carried out as written: exit status 2, like oclif's parse errors. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, {code: 'WEIR_ERR_USAGE', exit: 2, hint})
    this.name = 'UsageError'
  }
}

/** Input records that cannot be read (a bad JSON line, a line without its key separator). */
export class InputError extends CliError {
  constructor(message: string) {
    super(message, {code: 'WEIR_ERR_BAD_INPUT', exit: 1})
    this.name = 'InputError'
  }
}
