/**
 * Splits a connection's byte stream into Kafka frames: `int32 size` (big-endian, excluding itself)
 * followed by `size` bytes. Frames come out without the size prefix.
 *
 * A frame wholly inside one chunk is returned as a view of that chunk (no copy); a frame spanning
 * chunks is copied once into a buffer of its exact size, so a large frame arriving in many small
 * chunks costs one copy, not one per chunk. A negative size or one above the limit (Kafka's
 * socket.request.max.bytes is 100 MiB) is a FrameError: the connection must be closed.
 */
export const MAX_FRAME_BYTES = 100 * 1024 * 1024

export class FrameError extends Error {}

export class FrameReader {
  private readonly maxFrameBytes: number
  /** Size prefix bytes seen so far when a prefix spans chunks. */
  private readonly sizeBytes = Buffer.alloc(4)
  private sizeFilled = 0
  /** The frame being assembled across chunks, and how much of it is filled. */
  private partial: Buffer | null = null
  private partialFilled = 0

  constructor(maxFrameBytes = MAX_FRAME_BYTES) {
    this.maxFrameBytes = maxFrameBytes
  }

  /** Consumes a chunk; returns the frames it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = []
    let at = 0
    while (at < chunk.length) {
      if (this.partial !== null) {
        at = this.fillPartial(chunk, at, frames)
        continue
      }
      if (this.sizeFilled === 0 && chunk.length - at >= 4) {
        const size = this.checkedSize(chunk.readInt32BE(at))
        at += 4
        if (chunk.length - at >= size) {
          frames.push(chunk.subarray(at, at + size))
          at += size
        } else {
          this.startPartial(size)
        }
        continue
      }
      const take = Math.min(4 - this.sizeFilled, chunk.length - at)
      chunk.copy(this.sizeBytes, this.sizeFilled, at, at + take)
      this.sizeFilled += take
      at += take
      if (this.sizeFilled === 4) {
        this.sizeFilled = 0
        const size = this.checkedSize(this.sizeBytes.readInt32BE(0))
        if (size === 0) frames.push(Buffer.alloc(0))
        else this.startPartial(size)
      }
    }
    return frames
  }

  /** True when no frame is half read: the peer stopped on a frame boundary. */
  get idle(): boolean {
    return this.partial === null && this.sizeFilled === 0
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

  private fillPartial(chunk: Buffer, at: number, frames: Buffer[]): number {
    const partial = this.partial as Buffer
    const take = Math.min(partial.length - this.partialFilled, chunk.length - at)
    chunk.copy(partial, this.partialFilled, at, at + take)
    this.partialFilled += take
    if (this.partialFilled === partial.length) this.finishPartial(frames)
    return at + take
  }

  private finishPartial(frames: Buffer[]): void {
    frames.push(this.partial as Buffer)
    this.partial = null
    this.partialFilled = 0
  }
}
