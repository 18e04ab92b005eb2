/**
 * A bare Kafka protocol connection for server tests: requests encoded by src/protocol, responses
 * expected in request order (a response out of order fails its request). It doubles as a raw
 * socket for sending bad bytes.
 */
import {connect as netConnect, type Socket} from 'node:net'
import {decodeResponse, encodeRequest, type ApiKeyValue, type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import {FrameReader} from '../../src/server/frame-reader.js'

interface Pending {
  correlationId: number
  apiKey: ApiKeyValue
  version: number
  resolve(body: unknown): void
  reject(error: Error): void
}

export class WireClient {
  /** Resolves when the server (or we) closed the connection. */
  readonly closed: Promise<void>
  private readonly pending: Pending[] = []
  private readonly reader = new FrameReader()
  private correlationId = 0

  private constructor(private readonly socket: Socket) {
    socket.on('data', chunk => {
      for (const frame of this.reader.push(chunk)) this.answer(frame)
    })
    socket.on('error', () => undefined)
    this.closed = new Promise(resolve => socket.once('close', () => {
      for (const waiter of this.pending.splice(0)) waiter.reject(new Error('connection closed'))
      resolve()
    }))
  }

  /** `to` is a Unix socket path or a TCP port on 127.0.0.1. */
  static connect(to: string | number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = typeof to === 'number' ? netConnect(to, '127.0.0.1') : netConnect(to)
      socket.once('error', reject)
      socket.once('connect', () => {
        socket.off('error', reject)
        resolve(new WireClient(socket))
      })
    })
  }

  request<K extends ApiKeyValue>(apiKey: K, version: number, body: object): Promise<ResponseTypes[K]> {
    const correlationId = ++this.correlationId
    const frame = encodeRequest({apiKey, apiVersion: version, correlationId, clientId: 'server-test'}, body as RequestTypes[K])
    return new Promise((resolve, reject) => {
      this.pending.push({correlationId, apiKey, version, resolve: resolve as (body: unknown) => void, reject})
      this.socket.write(frame)
    })
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes)
  }

  close(): void {
    this.socket.destroy()
  }

  private answer(frame: Buffer): void {
    const waiter = this.pending.shift()
    if (waiter === undefined) throw new Error('a response nobody asked for')
    const response = decodeResponse(waiter.apiKey, waiter.version, frame)
    if (response.correlationId !== waiter.correlationId) {
      waiter.reject(new Error(`response ${response.correlationId} arrived where ${waiter.correlationId} was due`))
    } else {
      waiter.resolve(response.body)
    }
  }
}
