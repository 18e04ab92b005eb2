/**
 * One client connection: frames in, responses out, in request order.
 *
 * One request at a time, as Kafka serves a connection: request n+1 starts only once request n has
 * settled, so pipelined CreateTopics, Metadata and Produce see each other's effects. The one
 * exception is a handler that parks (a long-poll Fetch waiting for data): it calls `parked()` and
 * the next request starts while it waits, so a produce pipelined behind a long poll is still served.
 * Responses leave strictly in request order: a FIFO of settled-or-pending results is written from
 * its head only. A handler that resolves null (Produce acks=0) takes its turn and writes nothing.
 * A handler that rejects closes this connection (after the responses before it; nothing after it
 * starts) and is logged; other connections carry on.
 *
 * Backpressure: reading pauses while the socket's write buffer is full or too many responses are
 * pending, and resumes on drain. Frames are taken from a received chunk only while fewer than
 * MAX_PENDING_RESPONSES are outstanding: the rest of the chunk stays buffered until answers leave.
 * Across connections, a frame's bytes count against the daemon's request memory (request-memory.ts)
 * from its size prefix until it is answered; a connection whose next frame does not fit stops
 * reading until memory is released. Any error while reading closes this connection only. The socket is half-open: a peer that shuts down its sending side
 * still receives the answers to what it sent.
 *
 * Every handler gets the connection's hangup signal, aborted once the peer stops sending (it ended
 * its side, as a client that exits does) or the socket closes: a pending long poll then answers at
 * once with what it has instead of holding its wait until MaxWaitMs.
 */
import {setMaxListeners} from 'node:events'
import type {Socket} from 'node:net'
import {FrameError, FrameReader, MAX_FRAME_BYTES} from './frame-reader.js'
import type {LogLine} from './logger.js'
import {UNLIMITED_MEMORY, type FrameMemory} from './request-memory.js'

/**
 * One frame (no size prefix) -> the response frame (with prefix), null for none; rejects to close.
 * `hangup` aborts when the peer has stopped sending or the connection closed. `parked` is called by
 * a handler that from now on only waits (a long poll): the connection may start the next request.
 */
export type FrameHandler = (frame: Buffer, hangup: AbortSignal, parked: () => void) => Promise<Buffer | readonly Buffer[] | null>

type Settled = {ok: true; response: Buffer | readonly Buffer[] | null} | {ok: false; error: unknown}

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
  /** The daemon-wide request memory: each frame's bytes are held from its size prefix to its answer. */
  private readonly memory: FrameMemory
  /** Cancels the wait for request memory while the next frame's size does not fit. */
  private cancelMemoryWait: (() => void) | undefined
  /** Results of started requests, in request order, written from the head. */
  private readonly pending: Promise<Settled>[] = []
  /** Frames received but not started: they wait for the running request to settle or park. */
  private readonly waiting: Buffer[] = []
  /** A started request has neither settled nor parked. */
  private running = false
  /** A request failed: the connection closes and nothing after it starts. */
  private failed = false
  private readonly hangup = new AbortController()
  private writing = false
  private writeBlocked = false
  private peerEnded = false
  private closing = false
  private isClosed = false
  private ending = false

  constructor(socket: Socket, handler: FrameHandler, log: LogLine, label: string, memory: FrameMemory = UNLIMITED_MEMORY) {
    this.socket = socket
    this.handler = handler
    this.log = log
    this.label = label
    this.memory = memory
    this.reader = new FrameReader(MAX_FRAME_BYTES, memory)
    this.closed = new Promise(resolve => socket.once('close', () => {
      this.isClosed = true
      this.hangup.abort()
      this.releaseUnstarted()
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
    this.reader.append(chunk)
    this.takeFrames()
  }

  /**
   * Takes frames from what was received while fewer than MAX_PENDING_RESPONSES requests are
   * outstanding; the rest stays buffered (reading pauses) until responses drain.
   */
  private takeFrames(): void {
    try {
      while (!this.failed && !this.isClosed && this.outstanding < MAX_PENDING_RESPONSES) {
        const frame = this.reader.next()
        if (frame === null) break
        this.enqueue(frame)
      }
    } catch (error) {
      // A refused size, or anything else (an allocation that failed): this connection only.
      const why = error instanceof FrameError ? error.message : `reading a request failed: ${describe(error)}`
      this.log(`${this.label}: closing connection: ${why}`)
      this.closing = true
      this.socket.destroy()
      return
    }
    if (this.reader.blocked && this.cancelMemoryWait === undefined && !this.isClosed) {
      this.cancelMemoryWait = this.memory.onRelease(() => {
        this.cancelMemoryWait = undefined
        this.takeFrames()
      })
    }
    this.updateReading()
  }

  /** On close: what was received but never started gives its memory back. */
  private releaseUnstarted(): void {
    this.cancelMemoryWait?.()
    this.cancelMemoryWait = undefined
    for (const frame of this.waiting.splice(0)) this.memory.release(frame.length)
    this.reader.discard()
  }

  /** Requests received and not yet answered. */
  private get outstanding(): number {
    return this.pending.length + this.waiting.length
  }

  private enqueue(frame: Buffer): void {
    this.waiting.push(frame)
    this.startNext()
  }

  /** Starts the oldest waiting frame unless a request is running (neither settled nor parked). */
  private startNext(): void {
    const frame = this.running || this.failed || this.isClosed ? undefined : this.waiting.shift()
    if (frame === undefined) return
    this.running = true
    let released = false
    // Deferred, because a handler may park before it returns: its result must be queued first.
    const release = () => {
      if (released) return
      released = true
      queueMicrotask(() => {
        this.running = false
        this.startNext()
      })
    }
    let result: ReturnType<FrameHandler>
    try {
      result = this.handler(frame, this.hangup.signal, release)
    } catch (error) {
      result = Promise.reject(error)
    }
    // Settle at once so a rejection waiting behind a long poll is never "unhandled".
    this.pending.push(result.then(
      response => {
        this.memory.release(frame.length)
        release()
        return {ok: true, response}
      },
      error => {
        this.memory.release(frame.length)
        this.failed = true
        release()
        return {ok: false, error}
      }))
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
      if (settled.response !== null && !this.isClosed && !this.write(settled.response)) {
        this.writeBlocked = true
      }
      this.takeFrames()
    }
    this.writing = false
    this.endIfIdle()
  }

  /** Writes one response (a frame, or a frame's chunks in order); false when the socket buffer is full. */
  private write(response: Buffer | readonly Buffer[]): boolean {
    if (Buffer.isBuffer(response)) return this.socket.write(response)
    this.socket.cork()
    let flowing = true
    for (const chunk of response) flowing = this.socket.write(chunk)
    this.socket.uncork()
    return flowing
  }

  private updateReading(): void {
    if (this.isClosed) return
    const read = !this.closing && !this.writeBlocked && !this.reader.hasBuffered && !this.reader.blocked &&
      this.outstanding < MAX_PENDING_RESPONSES
    if (read && this.socket.isPaused()) this.socket.resume()
    else if (!read && !this.socket.isPaused()) this.socket.pause()
  }

  private endIfIdle(): void {
    const idle = this.pending.length === 0 && ((this.waiting.length === 0 && !this.reader.hasBuffered) || this.failed)
    if ((this.peerEnded || this.closing) && idle && !this.isClosed && !this.ending) {
      this.ending = true
      // Once our last bytes are handed to the kernel there is nothing left to wait for.
      this.socket.end(() => this.socket.destroy())
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
