/**
 * One client connection: frames in, responses out, in request order.
 *
 * Each frame is handed to the handler as soon as it arrives, so requests run concurrently (a
 * produce behind a pending long-poll fetch is appended at once), but responses leave strictly in
 * request order: a FIFO of settled-or-pending results is written from its head only. A handler
 * that resolves null (Produce acks=0) takes its turn and writes nothing. A handler that rejects
 * closes this connection (after the responses before it) and is logged; other connections carry on.
 *
 * Backpressure: reading pauses while the socket's write buffer is full or too many responses are
 * pending, and resumes on drain. The socket is half-open: a peer that shuts down its sending side
 * still receives the answers to what it sent.
 *
 * Every handler gets the connection's hangup signal, aborted once the peer stops sending (it ended
 * its side, as a client that exits does) or the socket closes: a pending long poll then answers at
 * once with what it has instead of holding its wait until MaxWaitMs.
 */
import {setMaxListeners} from 'node:events'
import type {Socket} from 'node:net'
import {FrameError, FrameReader} from './frame-reader.js'
import type {LogLine} from './logger.js'

/**
 * One frame (no size prefix) -> the response frame (with prefix), null for none; rejects to close.
 * `hangup` aborts when the peer has stopped sending or the connection closed.
 */
export type FrameHandler = (frame: Buffer, hangup: AbortSignal) => Promise<Buffer | null>

type Settled = {ok: true; response: Buffer | null} | {ok: false; error: unknown}

/** Responses pending per connection before reading pauses; clients keep far fewer in flight. */
export const MAX_PENDING_RESPONSES = 256
const CLOSE_GRACE_MS = 5_000

export class Connection {
  readonly label: string
  /** Resolves once the socket is closed, whoever closed it. */
  readonly closed: Promise<void>
  private readonly socket: Socket
  private readonly handler: FrameHandler
  private readonly log: LogLine
  private readonly reader: FrameReader
  private readonly pending: Promise<Settled>[] = []
  private readonly hangup = new AbortController()
  private writing = false
  private writeBlocked = false
  private peerEnded = false
  private closing = false
  private isClosed = false
  private ending = false

  constructor(socket: Socket, handler: FrameHandler, log: LogLine, label: string, reader = new FrameReader()) {
    this.socket = socket
    this.handler = handler
    this.log = log
    this.label = label
    this.reader = reader
    this.closed = new Promise(resolve => socket.once('close', () => {
      this.isClosed = true
      this.hangup.abort()
      resolve()
    }))
    // Every pending long poll listens to the signal; backpressure already bounds how many there are,
    // so Node's warning about more than 10 listeners would be noise.
    setMaxListeners(0, this.hangup.signal)
    socket.setNoDelay(true)
    socket.on('data', chunk => this.onData(chunk as Buffer))
    socket.on('drain', () => {
      this.writeBlocked = false
      this.updateReading()
    })
    socket.on('end', () => {
      this.peerEnded = true
      this.hangup.abort()
      this.endIfIdle()
    })
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A peer that hangs up before reading its answers is ordinary, not worth a log line.
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') this.log(`${this.label}: socket error: ${error.message}`)
    })
  }

  /** Graceful close: read nothing more, answer what was received, then end the socket. */
  async drainAndClose(): Promise<void> {
    this.closing = true
    this.updateReading()
    this.endIfIdle()
    const timer = setTimeout(() => {
      this.log(`${this.label}: closed with ${this.pending.length} responses still pending`)
      this.socket.destroy()
    }, CLOSE_GRACE_MS)
    await this.closed
    clearTimeout(timer)
  }

  destroy(): void {
    this.socket.destroy()
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return
    let frames: Buffer[]
    try {
      frames = this.reader.push(chunk)
    } catch (error) {
      if (!(error instanceof FrameError)) throw error
      this.log(`${this.label}: closing connection: ${error.message}`)
      this.closing = true
      this.socket.destroy()
      return
    }
    for (const frame of frames) this.enqueue(frame)
    this.updateReading()
  }

  private enqueue(frame: Buffer): void {
    let result: Promise<Buffer | null>
    try {
      result = this.handler(frame, this.hangup.signal)
    } catch (error) {
      result = Promise.reject(error)
    }
    // Settle at once so a rejection waiting behind a long poll is never "unhandled".
    this.pending.push(result.then(response => ({ok: true, response}), error => ({ok: false, error})))
    if (!this.writing) void this.writeInOrder()
  }

  private async writeInOrder(): Promise<void> {
    this.writing = true
    while (this.pending.length > 0 && !this.isClosed) {
      const settled = await this.pending[0]
      this.pending.shift()
      if (!settled.ok) {
        this.log(`${this.label}: closing connection: ${describe(settled.error)}`)
        this.closing = true
        this.socket.destroy()
        break
      }
      if (settled.response !== null && !this.isClosed && !this.socket.write(settled.response)) {
        this.writeBlocked = true
      }
      this.updateReading()
    }
    this.writing = false
    this.endIfIdle()
  }

  private updateReading(): void {
    if (this.isClosed) return
    const read = !this.closing && !this.writeBlocked && this.pending.length < MAX_PENDING_RESPONSES
    if (read && this.socket.isPaused()) this.socket.resume()
    else if (!read && !this.socket.isPaused()) this.socket.pause()
  }

  private endIfIdle(): void {
    if ((this.peerEnded || this.closing) && this.pending.length === 0 && !this.isClosed && !this.ending) {
      this.ending = true
      // Once our last bytes are handed to the kernel there is nothing left to wait for.
      this.socket.end(() => this.socket.destroy())
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
