import {UsageError} from './cli-errors.js'

export interface ListenAddress {
  host: string
  port: number
}

/** Kafka's listener port and loopback host: TCP never leaves the machine unless asked. */
export const DEFAULT_LISTEN: ListenAddress = {host: '127.0.0.1', port: 9092}

/** `HOST:PORT`, with IPv6 hosts in brackets (`[::1]:9092`). */
export function parseListenAddress(text: string): ListenAddress {
  const at = text.lastIndexOf(':')
  if (at <= 0) throw new UsageError(`--listen expects HOST:PORT, got '${text}'`)
  let host = text.slice(0, at)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  else if (host.includes(':')) throw new UsageError(`--listen: write an IPv6 host in brackets, as [${host}]:PORT`)
  return {host, port: parsePort(text.slice(at + 1), '--listen')}
}

export function parsePort(text: string, flag: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!(port >= 0 && port <= 65_535)) throw new UsageError(`${flag}: port must be 0..65535, got '${text}'`)
  return port
}

/**
 * The TCP listener from `--listen` (else $WEIR_LISTEN, else 127.0.0.1:9092), `--port` (replaces
 * the port) and `--no-tcp`; null = Unix socket only.
 */
export function tcpListener(flags: {tcp: boolean; listen?: string; port?: number}, env: NodeJS.ProcessEnv = process.env): ListenAddress | null {
  if (!flags.tcp) return null
  const fromEnv = env.WEIR_LISTEN === undefined || env.WEIR_LISTEN.trim() === '' ? undefined : env.WEIR_LISTEN.trim()
  const text = flags.listen ?? fromEnv
  const base = text === undefined ? DEFAULT_LISTEN : parseListenAddress(text)
  return flags.port === undefined ? base : {host: base.host, port: flags.port}
}
