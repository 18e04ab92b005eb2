import {Chalk, type ChalkInstance} from 'chalk'

/**
 * Whether to colour what goes to `stream`. chalk 5 reads FORCE_COLOR but ignores NO_COLOR,
 * so the decision is made here and chalk is only told the outcome.
 *
 * FORCE_COLOR wins when set ("0"/"false" off, anything else on), as in Node and
 * supports-color; then a non-empty NO_COLOR turns colour off (no-color.org); then
 * TERM=dumb; otherwise colour follows whether the stream is a terminal.
 */
export function colourEnabled(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  if (env.TERM === 'dumb') return false
  return stream.isTTY === true
}

/** A chalk instance that colours exactly when colourEnabled() says so. */
export function palette(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({level: colourEnabled(stream, env) ? 1 : 0})
}
