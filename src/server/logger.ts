/**
 * The daemon's log: `<dataDir>/server.log`, one line per event, `<ISO time> <message>`.
 * Lines are written synchronously in append mode so the last words before a crash are on disk and
 * lines from a detached daemon's redirected stderr interleave whole. A foreground daemon also
 * echoes each line to stderr.
 */
import {closeSync, openSync, writeSync} from 'node:fs'

export type LogLine = (line: string) => void

export interface Logger {
  log: LogLine
  close(): void
}

export function openLogger(path: string, opts: {echo?: boolean; now?: () => Date} = {}): Logger {
  const fd = openSync(path, 'a', 0o600)
  const now = opts.now ?? (() => new Date())
  let open = true
  return {
    log(message: string) {
      const line = formatLogLine(now(), message)
      if (open) writeSync(fd, line)
      if (opts.echo) process.stderr.write(line)
    },
    close() {
      if (!open) return
      open = false
      closeSync(fd)
    },
  }
}

/** One event on one line: embedded newlines would split an event, so they are escaped. */
export function formatLogLine(time: Date, message: string): string {
  return `${time.toISOString()} ${message.replace(/\r?\n/g, '\\n')}\n`
}
