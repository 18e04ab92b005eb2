// One connection to one broker, over the local daemon's Unix socket or TCP. Requests are pipelined:
// each is written at once and its response matched back by correlation id. A broker answers in request
// order, so an id that matches nothing pending means the stream is out of step: the connection is
// closed loudly rather than handing a response to the wrong caller.
//
// A request goes out as the chunks of its frame (encodeRequestChunks): a Produce request's record
// batches are written from the producer's own buffers, corked into one writev, never copied into a
// frame buffer. The caller keeps those buffers unchanged until the request is answered (or, without
// an answer, written).
import net from 'node:net'
import {decodeResponse, encodeRequestChunks, type ApiKeyValue, type RequestTypes, type ResponseTypes} from '../protocol/index.js'
import {formatAddress, type BrokerAddress} from './address.js'
import {ConnectionError, MalformedResponseError, NotRunningError, TimeoutError, WeirError} from './errors.js'
import {FrameReader} from './frame-reader.js'

export interface ConnectionOptions {
  address: BrokerAddress
  clientId: string
  /** Default time a request may wait for its response. */
  requestTimeoutMs: number
  connectTimeoutMs?: number
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000

interface PendingRequest {
  apiKey: number
  version: number
  resolve: (frame: Buffer) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

export class Connection {
  readonly address: BrokerAddress
  private readonly clientId: string
  private readonly requestTimeoutMs: number
  private readonly pending = new Map<number, PendingRequest>()
  private readonly frames = new FrameReader()
  private readonly closeListeners: ((error: Error) => void)[] = []
  private nextCorrelationId = 1
  private closeError: Error | null = null

  private constructor(private readonly socket: net.Socket, options: ConnectionOptions) {
    this.address = options.address
    this.clientId = options.clientId
    this.requestTimeoutMs = options.requestTimeoutMs
    socket.on('data', (chunk: Buffer) => this.onData(chunk))
    socket.on('error', (error) => this.fail(this.transportError(error)))
    socket.on('close', () => this.fail(new ConnectionError(`connection to ${this.describe()} closed by the broker`)))
  }

  static open(options: ConnectionOptions): Promise<Connection> {
    const {address} = options
    const socket =
      address.kind === 'unix' ? net.connect({path: address.path}) : net.connect({host: address.host, port: address.port})
    if (address.kind === 'tcp') socket.setNoDelay(true)
    return new Promise((resolve, reject) => {
      const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new TimeoutError(`timed out after ${timeoutMs} ms connecting to ${formatAddress(address)}`))
      }, timeoutMs)
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        socket.destroy()
        reject(connectError(address, error))
      })
      socket.once('connect', () => {
        clearTimeout(timer)
        socket.removeAllListeners('error')
        resolve(new Connection(socket, options))
      })
    })
  }

  get closed(): boolean {
    return this.closeError !== null
  }

  /** Requests written and still waiting for their response. */
  get inFlight(): number {
    return this.pending.size
  }

  /** Sends a request and resolves with its decoded response. */
  async request<K extends ApiKeyValue>(
    apiKey: K,
    version: number,
    body: RequestTypes[K],
    timeoutMs = this.requestTimeoutMs,
  ): Promise<ResponseTypes[K]> {
    const frame = await this.requestFrame(apiKey, version, body, timeoutMs)
    return decodeFrame(apiKey, version, frame)
  }

  /**
   * Sends a request and resolves with the raw response frame (header included, size prefix excluded), for
   * callers that must look at it before choosing how to decode it (ApiVersions).
   */
  async requestFrame<K extends ApiKeyValue>(
    apiKey: K,
    version: number,
    body: RequestTypes[K],
    timeoutMs = this.requestTimeoutMs,
  ): Promise<Buffer> {
    const {correlationId, chunks} = this.prepare(apiKey, version, body)
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => this.onTimeout(correlationId, timeoutMs), timeoutMs)
      this.pending.set(correlationId, {apiKey, version, resolve, reject, timer})
      this.write(chunks)
    })
  }

  /** Sends a request the broker does not answer (Produce with acks=0); resolves once it is written. */
  async send<K extends ApiKeyValue>(apiKey: K, version: number, body: RequestTypes[K]): Promise<void> {
    const {chunks} = this.prepare(apiKey, version, body)
    return new Promise<void>((resolve, reject) => {
      this.write(chunks, (error) => (error ? reject(this.closeError ?? this.transportError(error)) : resolve()))
    })
  }

  /** Closes the connection; pending requests fail with a ConnectionError. */
  close(): void {
    this.fail(new ConnectionError(`connection to ${this.describe()} was closed`))
  }

  /** Called once, with the error that pending requests were rejected with. */
  onClose(listener: (error: Error) => void): void {
    if (this.closeError) listener(this.closeError)
    else this.closeListeners.push(listener)
  }

  /** Encodes a request with the next correlation id; throws if the connection is closed. */
  private prepare<K extends ApiKeyValue>(apiKey: K, version: number, body: RequestTypes[K]) {
    if (this.closeError) throw this.closeError
    const correlationId = this.nextCorrelationId
    this.nextCorrelationId = correlationId === 0x7fffffff ? 1 : correlationId + 1
    const chunks = encodeRequestChunks({apiKey, apiVersion: version, correlationId, clientId: this.clientId}, body)
    return {correlationId, chunks}
  }

  /** Writes a frame's chunks as one writev; `done` is called once the last one is written. */
  private write(chunks: Buffer[], done?: (error?: Error | null) => void): void {
    if (chunks.length > 1) this.socket.cork()
    for (let i = 0; i < chunks.length - 1; i++) this.socket.write(chunks[i]!)
    this.socket.write(chunks[chunks.length - 1]!, done)
    if (chunks.length > 1) this.socket.uncork()
  }

  private onData(chunk: Buffer): void {
    let frames: Buffer[]
    try {
      frames = this.frames.push(chunk)
    } catch (error) {
      this.fail(new ConnectionError(`bad frame from ${this.describe()}: ${(error as Error).message}`))
      return
    }
    for (const frame of frames) {
      if (this.closeError) return
      this.onFrame(frame)
    }
  }

  private onFrame(frame: Buffer): void {
    const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1
    const request = this.pending.get(correlationId)
    if (!request) {
      const expected = this.pending.keys().next().value
      this.fail(
        new ConnectionError(
          `response with correlation id ${correlationId} from ${this.describe()} matches no pending request` +
            (expected === undefined ? '' : ` (expected ${expected})`),
        ),
      )
      return
    }
    this.pending.delete(correlationId)
    clearTimeout(request.timer)
    request.resolve(frame)
  }

  /**
   * A timed-out request fails with a TimeoutError and the connection is closed: the broker answers in
   * order, so everything behind the stuck request is stuck too, and a retry deserves a fresh connection.
   */
  private onTimeout(correlationId: number, timeoutMs: number): void {
    const request = this.pending.get(correlationId)
    if (!request) return
    this.pending.delete(correlationId)
    request.reject(
      new TimeoutError(`request (api ${request.apiKey} v${request.version}) to ${this.describe()} timed out after ${timeoutMs} ms`),
    )
    this.fail(new ConnectionError(`connection to ${this.describe()} closed after a request timed out`))
  }

  private fail(error: Error): void {
    if (this.closeError) return
    this.closeError = error
    this.socket.destroy()
    for (const request of this.pending.values()) {
      clearTimeout(request.timer)
      request.reject(error)
    }
    this.pending.clear()
    for (const listener of this.closeListeners.splice(0)) listener(error)
  }

  private transportError(error: NodeJS.ErrnoException): WeirError {
    return new ConnectionError(`connection to ${this.describe()} failed: ${error.code ?? error.message}`, {cause: error})
  }

  private describe(): string {
    return formatAddress(this.address)
  }
}

/** Decodes a response frame, turning codec failures into a client error. */
export function decodeFrame<K extends ApiKeyValue>(apiKey: K, version: number, frame: Buffer): ResponseTypes[K] {
  try {
    return decodeResponse(apiKey, version, frame).body
  } catch (error) {
    throw new MalformedResponseError(`cannot decode response (api ${apiKey} v${version}): ${(error as Error).message}`, {
      cause: error,
    })
  }
}

function connectError(address: BrokerAddress, error: NodeJS.ErrnoException): WeirError {
  if (address.kind === 'unix') {
    if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') return new NotRunningError(address.path, error)
    return new ConnectionError(`cannot connect to the Weir server at ${address.path}: ${error.code ?? error.message}`, {
      cause: error,
    })
  }
  const where = formatAddress(address)
  if (error.code === 'ECONNREFUSED') {
    return new ConnectionError(`cannot connect to ${where}: connection refused`, {
      hint: `check that a Kafka broker listens on ${where}`,
      cause: error,
    })
  }
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
    return new ConnectionError(`cannot connect to ${where}: unknown host ${address.host}`, {cause: error})
  }
  return new ConnectionError(`cannot connect to ${where}: ${error.code ?? error.message}`, {cause: error})
}
