/**
 * The daemon's settings, and their command-line form for its entry point (main.js):
 *
 *   --data-dir DIR               default: $WEIR_HOME, else ~/.weir
 *   --host HOST --port N         TCP listener, default 127.0.0.1:9092; port 0 picks a free port
 *   --no-tcp                     Unix socket only
 *   --config KEY=VALUE           a broker config under its Kafka name (repeatable), over the data
 *                                directory's server.properties (see broker-config.ts)
 *   --[no-]auto-create-topics    auto.create.topics.enable: whether Metadata creates missing topics
 *   --default-partitions N       num.partitions: partitions of auto-created topics and of
 *                                CreateTopics with -1
 *
 * Broker configs left out here come from server.properties, else Kafka's defaults (auto creation
 * on, 1 partition). daemonArgs() writes exactly what parseDaemonArgs() reads, so a spawner and the
 * daemon agree. Only the form of --config is checked here; its keys and values when the daemon
 * starts (this module stays light: the CLI loads it).
 */
import {parseArgs} from 'node:util'
import {DaemonUsageError} from './errors.js'
import {resolveDataDir} from './paths.js'

export interface DaemonOptions {
  dataDir: string
  tcp: {host: string; port: number} | null
  /** auto.create.topics.enable, when given as a flag. */
  autoCreateTopics?: boolean
  /** num.partitions, when given as a flag. */
  defaultPartitions?: number
  /** Broker configs by Kafka name, given as flags: they win over server.properties. */
  configs?: Record<string, string>
}

export const DEFAULT_TCP = {host: '127.0.0.1', port: 9092} as const
export const MAX_DEFAULT_PARTITIONS = 10_000

export function daemonArgs(opts: DaemonOptions): string[] {
  const args = ['--data-dir', opts.dataDir]
  if (opts.tcp === null) args.push('--no-tcp')
  else args.push('--host', opts.tcp.host, '--port', String(opts.tcp.port))
  if (opts.autoCreateTopics !== undefined) args.push(opts.autoCreateTopics ? '--auto-create-topics' : '--no-auto-create-topics')
  if (opts.defaultPartitions !== undefined) args.push('--default-partitions', String(opts.defaultPartitions))
  for (const [key, value] of Object.entries(opts.configs ?? {})) args.push('--config', `${key}=${value}`)
  return args
}

/** Throws DaemonUsageError naming the first bad argument. */
export function parseDaemonArgs(argv: string[]): DaemonOptions {
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    values = parseArgs({args: argv, strict: true, allowPositionals: false, options: {
      'data-dir': {type: 'string'},
      host: {type: 'string'},
      port: {type: 'string'},
      'no-tcp': {type: 'boolean'},
      'auto-create-topics': {type: 'boolean'},
      'no-auto-create-topics': {type: 'boolean'},
      'default-partitions': {type: 'string'},
      config: {type: 'string', multiple: true},
    }}).values
  } catch (error) {
    throw new DaemonUsageError((error as Error).message)
  }
  const noTcp = values['no-tcp'] === true
  if (noTcp && (values.host !== undefined || values.port !== undefined)) {
    throw new DaemonUsageError('--no-tcp cannot be combined with --host or --port')
  }
  if (values['auto-create-topics'] === true && values['no-auto-create-topics'] === true) {
    throw new DaemonUsageError('--auto-create-topics cannot be combined with --no-auto-create-topics')
  }
  const opts: DaemonOptions = {
    dataDir: resolveDataDir(values['data-dir'] as string | undefined),
    tcp: noTcp ? null : {
      host: (values.host as string | undefined) ?? DEFAULT_TCP.host,
      port: integerArg('--port', values.port as string | undefined, DEFAULT_TCP.port, 0, 65_535),
    },
  }
  if (values['auto-create-topics'] === true) opts.autoCreateTopics = true
  if (values['no-auto-create-topics'] === true) opts.autoCreateTopics = false
  const partitions = values['default-partitions'] as string | undefined
  if (partitions !== undefined) opts.defaultPartitions = integerArg('--default-partitions', partitions, 1, 1, MAX_DEFAULT_PARTITIONS)
  const configs = values.config as string[] | undefined
  if (configs !== undefined) opts.configs = parseConfigPairs(configs)
  return opts
}

/**
 * `KEY=VALUE` texts -> a record (a later pair wins over an earlier one with the same key); throws
 * DaemonUsageError for a text without `=` or with an empty key.
 */
export function parseConfigPairs(pairs: readonly string[]): Record<string, string> {
  const configs: Record<string, string> = {}
  for (const pair of pairs) {
    const equals = pair.indexOf('=')
    const key = equals === -1 ? '' : pair.slice(0, equals).trim()
    if (key === '') throw new DaemonUsageError(`--config takes KEY=VALUE with a Kafka broker config name, got "${pair}"`)
    configs[key] = pair.slice(equals + 1)
  }
  return configs
}

function integerArg(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new DaemonUsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`)
  }
  return value
}
