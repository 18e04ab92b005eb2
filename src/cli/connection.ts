import {parseHostPort} from '../client/index.js'
import {UsageError} from './cli-errors.js'

/** How a command reaches Kafka: the local daemon's Unix socket or TCP bootstrap servers. */
export type ConnectionTarget =
  | {kind: 'socket'; path: string; /** set when the socket was derived from --data-dir */ dataDirFlag?: string}
  | {kind: 'bootstrap'; servers: string[]}

export interface ConnectionFlags {
  socket?: string
  'bootstrap-server'?: string
  'data-dir'?: string
}

/**
 * Flags beat the environment, and the environment beats the default:
 * --socket, --bootstrap-server, --data-dir (its socket), then $WEIR_BOOTSTRAP_SERVER, then the
 * socket of $WEIR_HOME or ~/.weir. `socketFor` maps a data-dir flag (or undefined) to its socket.
 */
export function connectionTarget(flags: ConnectionFlags, env: NodeJS.ProcessEnv,
  socketFor: (dataDirFlag: string | undefined) => string): ConnectionTarget {
  const given = [flags.socket, flags['bootstrap-server'], flags['data-dir']].filter((flag) => flag !== undefined)
  if (given.length > 1) throw new UsageError('give only one of --socket, --bootstrap-server and --data-dir')
  if (flags.socket !== undefined) return {kind: 'socket', path: flags.socket}
  if (flags['bootstrap-server'] !== undefined) return {kind: 'bootstrap', servers: serverList(flags['bootstrap-server'])}
  if (flags['data-dir'] !== undefined) {
    return {kind: 'socket', path: socketFor(flags['data-dir']), dataDirFlag: flags['data-dir']}
  }
  const fromEnv = env.WEIR_BOOTSTRAP_SERVER
  if (fromEnv !== undefined && fromEnv.trim() !== '') return {kind: 'bootstrap', servers: serverList(fromEnv)}
  return {kind: 'socket', path: socketFor(undefined)}
}

/** `host:port[,host:port..]`, blanks ignored; a malformed address is a usage error (exit 2). */
export function serverList(text: string): string[] {
  const servers = text.split(',').map((server) => server.trim()).filter((server) => server !== '')
  if (servers.length === 0) throw new UsageError('--bootstrap-server needs at least one HOST:PORT')
  for (const server of servers) {
    try {
      parseHostPort(server)
    } catch (error) {
      throw new UsageError((error as Error).message, 'for example: --bootstrap-server 127.0.0.1:9092')
    }
  }
  return servers
}
