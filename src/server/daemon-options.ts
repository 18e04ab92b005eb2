/**
 * The daemon's settings, and their command-line form for its entry point (main.js):
 *
 *   --data-dir DIR               default: $WEIR_HOME, else ~/.weir
 *   --host HOST --port N         TCP listener, default 127.0.0.1:9092; port 0 picks a free port
 *   --no-tcp                     Unix socket only
 *   --no-auto-create-topics      Metadata never creates topics
 *   --default-partitions N       partitions of auto-created topics and of CreateTopics with -1 (default 1)
 *
 * daemonArgs() writes exactly what parseDaemonArgs() reads, so a spawner and the daemon agree.
 */
import {parseArgs} from 'node:util'
import {DaemonUsageError} from './errors.js'
import {resolveDataDir} from './paths.js'

export interface DaemonOptions {
  dataDir: string
  tcp: {host: string; port: number} | null
  autoCreateTopics: boolean
  defaultPartitions: number
}

export const DEFAULT_TCP = {host: '127.0.0.1', port: 9092} as const
export const MAX_DEFAULT_PARTITIONS = 10_000

export function daemonArgs(opts: DaemonOptions): string[] {
  const args = ['--data-dir', opts.dataDir]
  if (opts.tcp === null) args.push('--no-tcp')
  else args.push('--host', opts.tcp.host, '--port', String(opts.tcp.port))
  if (!opts.autoCreateTopics) args.push('--no-auto-create-topics')
  args.push('--default-partitions', String(opts.defaultPartitions))
  return args
}

/** Throws DaemonUsageError naming the first bad argument. */
export function parseDaemonArgs(argv: string[]): DaemonOptions {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({args: argv, strict: true, allowPositionals: false, options: {
      'data-dir': {type: 'string'},
      host: {type: 'string'},
      port: {type: 'string'},
      'no-tcp': {type: 'boolean'},
      'no-auto-create-topics': {type: 'boolean'},
      'default-partitions': {type: 'string'},
    }}).values
  } catch (error) {
    throw new DaemonUsageError((error as Error).message)
  }
  const noTcp = values['no-tcp'] === true
  if (noTcp && (values.host !== undefined || values.port !== undefined)) {
    throw new DaemonUsageError('--no-tcp cannot be combined with --host or --port')
  }
  return {
    dataDir: resolveDataDir(values['data-dir'] as string | undefined),
    tcp: noTcp ? null : {
      host: (values.host as string | undefined) ?? DEFAULT_TCP.host,
      port: integerArg('--port', values.port as string | undefined, DEFAULT_TCP.port, 0, 65_535),
    },
    autoCreateTopics: values['no-auto-create-topics'] !== true,
    defaultPartitions: integerArg('--default-partitions', values['default-partitions'] as string | undefined, 1, 1, MAX_DEFAULT_PARTITIONS),
  }
}

function integerArg(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new DaemonUsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`)
  }
  return value
}
