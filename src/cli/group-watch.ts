import {setTimeout as delay} from 'node:timers/promises'

/** Where frames go: stdout, or a test's memory. */
export interface FrameSink {
  isTTY?: boolean
  write(text: string): unknown
}

export interface WatchOptions {
  intervalMs: number
  /** The command as typed, for the header line. */
  title: string
  out: FrameSink
  /** Failures go here when frames are appended (not redrawn), so a log of the output keeps only data. */
  err: FrameSink
  /** The lines of one frame; a failure is shown in its place and the watch goes on. */
  render: () => Promise<string[]>
  /** Frames without the header and blank separator lines (one JSON line per frame, say). */
  bare?: boolean
  /** Stops the watch (Ctrl-C ends the process anyway). */
  signal?: AbortSignal
  now?: () => Date
}

const HOME = '\x1b[H'
const CLEAR_LINE_END = '\x1b[K'
const CLEAR_BELOW = '\x1b[J'

/**
 * `--watch`: renders a frame every interval until stopped. On a terminal each frame replaces the last
 * in place, as watch(1) does (cursor home, each line cleared to its end, the rest of the screen
 * cleared: no flicker); elsewhere (a pipe, a file) frames are appended one after the other under
 * their header line, so `--watch 60 >> lag.log` keeps a history. A failed frame (the server
 * restarting, say) shows its error and the next frame tries again.
 */
export async function watchFrames(options: WatchOptions): Promise<void> {
  const now = options.now ?? (() => new Date())
  const tty = options.out.isTTY === true
  for (let first = true; !options.signal?.aborted; first = false) {
    if (!first) {
      try {
        await delay(options.intervalMs, undefined, {signal: options.signal})
      } catch {
        return
      }
    }
    const header = `Every ${options.intervalMs / 1000}s: ${options.title}  ${timeOfDay(now())}`
    let lines: string[]
    let failure: string | null = null
    try {
      lines = await options.render()
    } catch (error) {
      lines = []
      failure = `Error: ${(error as Error).message}`
    }
    if (options.bare) {
      options.out.write(lines.map((line) => line + '\n').join(''))
      if (failure !== null) options.err.write(failure + '\n')
    } else if (tty) {
      const frame = [header, '', ...lines, ...(failure === null ? [] : [failure])]
      options.out.write(HOME + frame.map((line) => line + CLEAR_LINE_END).join('\n') + '\n' + CLEAR_BELOW)
    } else {
      options.out.write([header, '', ...lines, ''].join('\n') + '\n')
      if (failure !== null) options.err.write(failure + '\n')
    }
  }
}

/** Local wall-clock time, HH:MM:SS. */
function timeOfDay(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':')
}

/**
 * oclif flags always take a value, but `--watch` may come alone: the default interval is put after a
 * bare --watch (one followed by nothing, by another flag, or by a group name) so that parsing sees
 * `--watch SECONDS`. `--watch=N` and `--watch N` pass as they are.
 */
export function watchArgv(argv: readonly string[], defaultSeconds: number): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    out.push(arg)
    if (arg === '--') {
      out.push(...argv.slice(i + 1))
      break
    }
    if (arg === '--watch' && !isSeconds(argv[i + 1])) out.push(String(defaultSeconds))
  }
  return out
}

function isSeconds(text: string | undefined): boolean {
  return text !== undefined && /^\d+(\.\d+)?$/.test(text)
}
