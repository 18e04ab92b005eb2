/**
 * A fault that ends the client's connection rather than producing a Kafka error code: bytes that
 * cannot be parsed, an API key or version we do not serve, or a failure we cannot express in the
 * response. The server closes that one connection and logs the message; the daemon carries on.
 */
export class ConnectionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConnectionError'
  }
}

/**
 * A broker config the daemon was started with that it cannot use: an unknown key or a bad value.
 * `key` names it, so the caller can say where it came from (a flag, server.properties).
 */
export class BrokerConfigError extends Error {
  readonly key: string

  constructor(key: string, message: string) {
    super(message)
    this.name = 'BrokerConfigError'
    this.key = key
  }
}
