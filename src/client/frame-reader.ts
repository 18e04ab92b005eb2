// Cuts a byte stream into Kafka frames (int32 size, then that many bytes). Chunks are kept as they
// arrive and joined only once a whole frame is present, so a 50 MiB Fetch response arriving in 64 KiB
// reads costs one copy, and small frames inside one chunk cost none (they are views).

/** Larger frames mean a corrupt size field (Kafka's own limit is 100 MiB for requests). */
export const MAX_FRAME_BYTES = 1024 * 1024 * 1024

export class FrameSizeError extends Error {}

export class FrameReader {
  private chunks: Buffer[] = []
  private buffered = 0
  /** Size of the frame being assembled, -1 while its size prefix is incomplete. */
  private frameSize = -1

  /** Feeds one chunk; returns the frames it completed (size prefix excluded). */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk)
    this.buffered += chunk.length
    const frames: Buffer[] = []
    for (;;) {
      if (this.frameSize < 0) {
        if (this.buffered < 4) break
        this.frameSize = this.readSize()
      }
      if (this.buffered < 4 + this.frameSize) break
      frames.push(this.take(4 + this.frameSize).subarray(4))
      this.frameSize = -1
    }
    return frames
  }

  /** Bytes received that do not yet form a whole frame. */
  get pendingBytes(): number {
    return this.buffered
  }

  private readSize(): number {
    const head = this.chunks[0]!.length >= 4 ? this.chunks[0]! : this.join()
    const size = head.readInt32BE(0)
    if (size < 0 || size > MAX_FRAME_BYTES) throw new FrameSizeError(`invalid frame size ${size}`)
    return size
  }

  /** Removes and returns the first `length` buffered bytes. */
  private take(length: number): Buffer {
    const first = this.chunks[0]!
    const whole = first.length >= length ? first : this.join()
    const frame = whole.subarray(0, length)
    if (whole.length === length) this.chunks.shift()
    else this.chunks[0] = whole.subarray(length)
    this.buffered -= length
    return frame
  }

  private join(): Buffer {
    const joined = Buffer.concat(this.chunks, this.buffered)
    this.chunks = [joined]
    return joined
  }
}
