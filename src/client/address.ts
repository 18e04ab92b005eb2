// Where a broker listens: the local daemon's Unix socket, or a TCP host and port.
import {WeirError} from './errors.js'

export type BrokerAddress = {kind: 'unix'; path: string} | {kind: 'tcp'; host: string; port: number}

/** Parses "host:port", "[v6-address]:port" or "v6-address-without-brackets:port" (last colon wins). */
export function parseHostPort(text: string): BrokerAddress {
  const trimmed = text.trim()
  const colon = trimmed.lastIndexOf(':')
  const portText = colon < 0 ? '' : trimmed.slice(colon + 1)
  let host = colon < 0 ? trimmed : trimmed.slice(0, colon)
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1)
  const port = Number(portText)
  if (host.length === 0 || !/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) {
    throw new WeirError('WEIR_ERR_BAD_ADDRESS', `invalid broker address "${text}": expected host:port`, {
      hint: 'for example: --bootstrap-server 127.0.0.1:9092',
    })
  }
  return {kind: 'tcp', host, port}
}

/** Human form, also used as a connection-pool key. */
export function formatAddress(address: BrokerAddress): string {
  if (address.kind === 'unix') return address.path
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`
}
