/**
 * Raised for bytes that do not follow the Kafka protocol (truncated frames, negative lengths, bad
 * CRCs, unknown codecs) and for values that cannot be encoded. A broker answers it with an error
 * code or closes the one connection; it never means the process is in a bad state.
 */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ProtocolError'
  }
}
