import {UsageError} from './cli-errors.js'

const SIMPLE_ESCAPES: Record<string, number> = {n: 0x0a, t: 0x09, r: 0x0d, '0': 0x00, '\\': 0x5c}

/**
 * Bytes of a separator or format string typed on a command line, with the backslash
 * escapes kcat accepts: \n \t \r \0 \\ and \xNN. Any other backslash stays literal, so
 * a Windows-style path or a regex-looking separator is not mangled.
 */
export function unescapeBytes(text: string, what: string): Buffer {
  const out: number[] = []
  const raw = Buffer.from(text, 'utf8')
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]
    if (byte !== 0x5c || i + 1 >= raw.length) {
      out.push(byte)
      continue
    }
    const next = String.fromCharCode(raw[i + 1])
    if (next in SIMPLE_ESCAPES) {
      out.push(SIMPLE_ESCAPES[next])
      i++
    } else if (next === 'x') {
      const hex = raw.subarray(i + 2, i + 4).toString('latin1')
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new UsageError(`${what}: \\x must be followed by two hex digits`)
      out.push(Number.parseInt(hex, 16))
      i += 3
    } else {
      out.push(byte)
    }
  }
  return Buffer.from(out)
}
