/**
 * The package version reported in server.json, read from package.json, which sits three levels
 * above this compiled file (`<build root>/src/server/version.js`, package.json beside the build root).
 */
import {readFileSync} from 'node:fs'

let cached: string | undefined

export function packageVersion(): string {
  if (cached !== undefined) return cached
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {version?: unknown}
    cached = typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    cached = '0.0.0'
  }
  return cached
}
