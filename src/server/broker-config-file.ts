/**
 * <data-dir>/server.properties: broker configs under Kafka's names, in Java's properties format,
 * read once when the daemon starts. The format, as Java reads it: one `key=value` per line (`:` or
 * whitespace also separate key and value; spaces around them are dropped); lines starting with `#`
 * or `!` are comments; a line ending in an odd number of backslashes continues on the next; `\t`,
 * `\n`, `\r`, `\f`, `\uXXXX` and a backslash before any other character are escapes. A later line
 * wins over an earlier one with the same key.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

export const SERVER_PROPERTIES = 'server.properties'

/** One entry of the file, with the line it starts on (for messages naming it). */
export interface PropertyEntry {
  key: string
  value: string
  line: number
}

export function serverPropertiesPath(dataDir: string): string {
  return join(dataDir, SERVER_PROPERTIES)
}

/** The entries of the data directory's server.properties; none when there is no such file. */
export function readServerProperties(dataDir: string): PropertyEntry[] {
  let text: string
  try {
    text = readFileSync(serverPropertiesPath(dataDir), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return parseProperties(text)
}

/** Java properties text -> its entries, in file order. */
export function parseProperties(text: string): PropertyEntry[] {
  const entries: PropertyEntry[] = []
  const lines = text.split(/\r\n|\r|\n/)
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let logical = lines[i].replace(/^[ \t\f]+/, '')
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue
    while (endsInContinuation(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + lines[++i].replace(/^[ \t\f]+/, '')
    }
    if (endsInContinuation(logical)) logical = logical.slice(0, -1)
    entries.push({...splitEntry(logical), line: start + 1})
  }
  return entries
}

function endsInContinuation(line: string): boolean {
  const backslashes = /\\*$/.exec(line)![0].length
  return backslashes % 2 === 1
}

/** Splits at the first unescaped `=`, `:` or whitespace, then unescapes both sides. */
function splitEntry(line: string): {key: string; value: string} {
  let end = 0
  while (end < line.length && !/[=: \t\f]/.test(line[end])) end += line[end] === '\\' ? 2 : 1
  let rest = line.slice(end).replace(/^[ \t\f]*/, '')
  if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '')
  return {key: unescape(line.slice(0, end)), value: unescape(rest)}
}

const ESCAPES: Record<string, string> = {t: '\t', n: '\n', r: '\r', f: '\f'}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, escaped: string) =>
    escaped.length === 5 ? String.fromCharCode(parseInt(escaped.slice(1), 16)) : ESCAPES[escaped] ?? escaped)
}
