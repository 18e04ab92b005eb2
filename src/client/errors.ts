// Errors raised by the Kafka client. Every class carries a stable `code` ('WEIR_ERR_…') that callers
// (the CLI's error rendering, scripts reading --json) match on instead of message text, and an optional
// `hint` saying what the user can do about it.
import {ErrorCode, errorInfo} from '../protocol/index.js'

export interface WeirErrorOptions {
  hint?: string
  cause?: unknown
}

export class WeirError extends Error {
  readonly code: string
  readonly hint?: string

  constructor(code: string, message: string, options: WeirErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = new.target.name
    this.code = code
    if (options.hint !== undefined) this.hint = options.hint
  }
}

/** Nothing listens on the local daemon's socket. */
export class NotRunningError extends WeirError {
  readonly socketPath: string

  constructor(socketPath: string, cause?: unknown) {
    super('WEIR_ERR_NOT_RUNNING', `the Weir server is not running (no socket at ${socketPath})`, {
      hint: 'start it with: weir server start',
      cause,
    })
    this.socketPath = socketPath
  }
}

/** The transport failed: refused, reset, closed while requests were pending. */
export class ConnectionError extends WeirError {
  constructor(message: string, options: WeirErrorOptions = {}) {
    super('WEIR_ERR_CONNECTION', message, options)
  }
}

/** A request got no response within its timeout. */
export class TimeoutError extends WeirError {
  constructor(message: string, options: WeirErrorOptions = {}) {
    super('WEIR_ERR_TIMEOUT', message, options)
  }
}

/** A response could not be decoded at the version it was requested with. */
export class MalformedResponseError extends WeirError {
  constructor(message: string, options: WeirErrorOptions = {}) {
    super('WEIR_ERR_MALFORMED_RESPONSE', message, options)
  }
}

/** The broker and this client share no version of an API, or of a feature of one. */
export class UnsupportedVersionError extends WeirError {
  constructor(message: string, options: WeirErrorOptions = {}) {
    super('WEIR_ERR_UNSUPPORTED_VERSION', message, options)
  }
}

/**
 * The broker answered with a Kafka error code. `subject` names what failed ("orders/3", "topic orders"),
 * `detail` is the broker's own error message when it sent one.
 */
export class KafkaProtocolError extends WeirError {
  readonly kafkaCode: number
  readonly kafkaName: string
  readonly retriable: boolean
  readonly subject: string

  constructor(kafkaCode: number, subject: string, detail?: string | null) {
    const info = errorInfo(kafkaCode)
    const explanation = detail && detail.length > 0 ? detail : info.message
    super('WEIR_ERR_KAFKA', `${subject}: ${info.name}${explanation ? ` (${explanation})` : ''}`)
    this.kafkaCode = kafkaCode
    this.kafkaName = info.name
    this.retriable = info.retriable
    this.subject = subject
  }
}

/** The client was used after close(). */
export class ClosedError extends WeirError {
  constructor(what: string) {
    super('WEIR_ERR_CLOSED', `${what} is closed`)
  }
}

/** Failures of the connection rather than of the request: another attempt may well succeed. */
export function isTransportError(error: unknown): boolean {
  return error instanceof ConnectionError || error instanceof TimeoutError || error instanceof NotRunningError
}

/** A partition the topic does not have. */
export function unknownPartitionError(topic: string, partition: number, partitionCount: number): KafkaProtocolError {
  const detail = `topic ${topic} has ${partitionCount} partition${partitionCount === 1 ? '' : 's'}`
  return new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `${topic}/${partition}`, detail)
}
