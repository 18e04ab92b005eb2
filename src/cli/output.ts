import {once} from 'node:events'
import type {Writable} from 'node:stream'

/** Where formatters put bytes; StreamWriter implements it, tests may collect into memory. */
export interface ByteSink {
  write(bytes: Buffer): void
  writeString(text: string): void
}

const DEFAULT_CHUNK_SIZE = 256 * 1024

/**
 * Batches many small writes (one record is a few bytes) into large writes to a stream, and
 * makes the stream's backpressure and failure visible to an async producer of output:
 *
 * - write()/writeString() copy into the current chunk and never block; a full chunk goes to
 *   the stream at once;
 * - settle() waits while the stream asks for a pause ('drain'), so memory stays bounded by
 *   one chunk plus whatever the caller writes between two settle() calls;
 * - a stream error (EPIPE when the reader of a pipe went away, as in `| head -3`) is kept
 *   in `failure` instead of being thrown, and resolves `closed`, so a consumer can stop
 *   fetching and end cleanly. Everything written after that is dropped.
 */
export class StreamWriter implements ByteSink {
  private chunk: Buffer
  private used = 0
  private needsDrain = false
  private failed: Error | null = null
  private readonly stream: Writable
  private readonly chunkSize: number
  /** Resolves with the stream's error when it fails or is closed under us. */
  readonly closed: Promise<Error>

  constructor(stream: Writable, chunkSize = DEFAULT_CHUNK_SIZE) {
    this.stream = stream
    this.chunkSize = chunkSize
    this.chunk = Buffer.allocUnsafe(chunkSize)
    this.closed = new Promise((resolve) => {
      stream.on('error', (error: Error) => {
        this.failed ??= error
        resolve(this.failed)
      })
    })
  }

  /** The stream's error, once it has failed (EPIPE or otherwise). */
  get failure(): Error | null {
    return this.failed
  }

  write(bytes: Buffer): void {
    if (this.failed) return
    if (bytes.length > this.chunkSize - this.used) {
      this.spill()
      if (bytes.length >= this.chunkSize) {
        this.send(Buffer.from(bytes))
        return
      }
    }
    // TypedArray set, not Buffer.copy: for the short payloads of most records the argument handling
    // of copy() costs more than the bytes (75 ns against 17 ns for 100 bytes).
    this.chunk.set(bytes, this.used)
    this.used += bytes.length
  }

  writeString(text: string): void {
    if (this.failed) return
    // length * 3 bounds the UTF-8 size of a JS string, so the common short case skips byteLength().
    if (text.length * 3 > this.chunkSize - this.used) {
      this.write(Buffer.from(text, 'utf8'))
      return
    }
    this.used += this.chunk.write(text, this.used, 'utf8')
  }

  /** Bytes accepted but not yet handed to the stream. */
  get buffered(): number {
    return this.used
  }

  /** Waits until the stream can take more (or has failed). */
  async settle(): Promise<void> {
    if (!this.needsDrain || this.failed) return
    await Promise.race([once(this.stream, 'drain'), this.closed])
    this.needsDrain = false
  }

  /** Hands everything buffered to the stream and waits for it to be accepted. */
  async flush(): Promise<void> {
    this.spill()
    await this.settle()
  }

  private spill(): void {
    if (this.used === 0 || this.failed) return
    // The stream keeps a reference to what it was given, so the chunk cannot be reused as is:
    // a small remainder is copied out (cheap), a large one is handed over and replaced.
    let out: Buffer
    if (this.used < this.chunkSize / 4) {
      out = Buffer.from(this.chunk.subarray(0, this.used))
    } else {
      out = this.chunk.subarray(0, this.used)
      this.chunk = Buffer.allocUnsafe(this.chunkSize)
    }
    this.used = 0
    this.send(out)
  }

  private send(bytes: Buffer): void {
    if (!this.stream.write(bytes)) this.needsDrain = true
  }
}

/** Whether an error from an output stream means its reader has gone (a closed pipe). */
export function isBrokenPipe(error: Error | null): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === 'EPIPE'
}
