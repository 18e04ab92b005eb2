import {ProtocolError} from './protocol-error.js'

/** Kafka shows a UUID as its 16 bytes in URL-safe base64 without padding: 22 characters. */
export const UUID_BYTES = 16
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA'

export function uuidFromBytes(buf: Buffer, offset: number): string {
  return buf.toString('base64url', offset, offset + UUID_BYTES)
}

/**
 * Node's base64 decoder skips characters it does not know, so the text is checked by decoding and
 * encoding again: only the canonical 22-character form is accepted.
 */
export function uuidToBytes(uuid: string): Buffer {
  const bytes = Buffer.from(uuid, 'base64url')
  if (bytes.length !== UUID_BYTES || bytes.toString('base64url') !== uuid) {
    throw new ProtocolError(`not a UUID (22 characters of URL-safe base64 expected): ${JSON.stringify(uuid)}`)
  }
  return bytes
}
