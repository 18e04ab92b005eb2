/**
 * Splits a connection's byte stream into Kafka frames: `int32 size` (big-endian, excluding itself)
 * followed by `size` bytes. Frames come out without the size prefix.
 *
 * Frames are taken one at a time (`next()`), so a caller that has enough requests in hand leaves
 * the rest of a chunk buffered instead of splitting it: one 64 KB chunk can carry hundreds of small
 * frames. `push()` takes everything at once, for callers that want no such limit.
 *
 * A frame wholly inside one chunk is returned as a view of that chunk (no copy); a frame spanning
 * chunks is copied once into a buffer of its exact size, so a large frame arriving in many small
 * chunks costs one copy, not one per chunk. A negative size or one above the limit (Kafka's
 * socket.request.max.bytes is 100 MiB) is a FrameError: the connection must be closed.
 *
 * Each frame's size is reserved from a FrameMemory before its body is taken (see request-memory.ts);
 * the reservation passes to whoever takes the frame, who releases it when done. When it does not
 * fit, `next()` returns null and `blocked` is true until a later `next()` gets the reservation.
 */
import {UNLIMITED_MEMORY, type FrameMemory} from './request-memory.js'

export const MAX_FRAME_BYTES = 100 * 1024 * 1024

export class FrameError extends Error {}

export class FrameReader {
  private readonly maxFrameBytes: number
  /** Received bytes not consumed yet; the first one from `offset`. */
  private readonly chunks: Buffer[] = []
  private offset = 0
  /** Size prefix bytes seen so far when a prefix spans chunks. */
  private readonly sizeBytes = Buffer.alloc(4)
  private sizeFilled = 0
  /** The frame being assembled across chunks, and how much of it is filled. */
  private partial: Buffer | null = null
  private partialFilled = 0
  private readonly memory: FrameMemory
  private isBlocked = false

  constructor(maxFrameBytes = MAX_FRAME_BYTES, memory: FrameMemory = UNLIMITED_MEMORY) {
    this.maxFrameBytes = maxFrameBytes
    this.memory = memory
  }

  /** Keeps a chunk for `next()`; nothing is parsed yet. */
  append(chunk: Buffer): void {
    if (chunk.length > 0) this.chunks.push(chunk)
  }

  /** The next whole frame, or null until more bytes arrive. Throws FrameError for a refused size. */
  next(): Buffer | null {
    this.isBlocked = false
    if (this.sizeFilled === 4) {
      const frame = this.startFrame(this.sizeBytes.readInt32BE(0))
      if (frame !== null || this.isBlocked) return frame
    }
    while (this.chunks.length > 0 && !this.isBlocked) {
      const chunk = this.chunks[0]
      const frame = this.step(chunk)
      if (this.offset === chunk.length) {
        this.chunks.shift()
        this.offset = 0
      }
      if (frame !== null) return frame
    }
    return null
  }

  /** Consumes a chunk; returns every frame it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    this.append(chunk)
    const frames: Buffer[] = []
    for (let frame = this.next(); frame !== null; frame = this.next()) frames.push(frame)
    return frames
  }

  /** True when no frame is half read and nothing is buffered: the peer stopped on a frame boundary. */
  get idle(): boolean {
    return this.partial === null && this.sizeFilled === 0 && this.chunks.length === 0
  }

  /** True when the last `next()` stopped because the next frame's size did not fit the memory budget. */
  get blocked(): boolean {
    return this.isBlocked
  }

  /** Gives back the reservation of a frame half received; for a connection that closes. */
  discard(): void {
    if (this.partial !== null) this.memory.release(this.partial.length)
    this.partial = null
    this.chunks.length = 0
  }

  /** True when received bytes wait to be taken with `next()`. */
  get hasBuffered(): boolean {
    return this.chunks.length > 0
  }

  /** Consumes bytes of `chunk` from `offset`; returns a frame once one is complete. */
  private step(chunk: Buffer): Buffer | null {
    if (this.partial !== null) return this.fillPartial(chunk)
    if (this.sizeFilled === 0 && chunk.length - this.offset >= 4) {
      const size = this.checkedSize(chunk.readInt32BE(this.offset))
      // Blocked: the prefix stays in the chunk, to be read again by the next try.
      if (!this.reserve(size)) return null
      this.offset += 4
      if (chunk.length - this.offset >= size) {
        const frame = chunk.subarray(this.offset, this.offset + size)
        this.offset += size
        return frame
      }
      this.startPartial(size)
      return null
    }
    const take = Math.min(4 - this.sizeFilled, chunk.length - this.offset)
    chunk.copy(this.sizeBytes, this.sizeFilled, this.offset, this.offset + take)
    this.sizeFilled += take
    this.offset += take
    if (this.sizeFilled < 4) return null
    return this.startFrame(this.sizeBytes.readInt32BE(0))
  }

  /** A size prefix assembled across chunks: reserve, then start the frame (kept whole if blocked). */
  private startFrame(prefix: number): Buffer | null {
    const size = this.checkedSize(prefix)
    if (!this.reserve(size)) return null
    this.sizeFilled = 0
    if (size === 0) return Buffer.alloc(0)
    this.startPartial(size)
    return null
  }

  private reserve(size: number): boolean {
    this.isBlocked = !this.memory.tryReserve(size)
    return !this.isBlocked
  }

  private checkedSize(size: number): number {
    if (size < 0) throw new FrameError(`negative frame size ${size}`)
    if (size > this.maxFrameBytes) throw new FrameError(`frame of ${size} bytes exceeds the limit of ${this.maxFrameBytes}`)
    return size
  }

  private startPartial(size: number): void {
    this.partial = Buffer.allocUnsafe(size)
    this.partialFilled = 0
  }

  private fillPartial(chunk: Buffer): Buffer | null {
    const partial = this.partial as Buffer
    const take = Math.min(partial.length - this.partialFilled, chunk.length - this.offset)
    chunk.copy(partial, this.partialFilled, this.offset, this.offset + take)
    this.partialFilled += take
    this.offset += take
    if (this.partialFilled < partial.length) return null
    this.partial = null
    this.partialFilled = 0
    return partial
  }
}
