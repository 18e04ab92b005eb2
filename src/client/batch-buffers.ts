// Spare record-batch buffers, so that a producer writing batch after batch of about the same size
// (up to 1 MB each) fills the buffers of acknowledged batches again instead of allocating new ones:
// fresh megabyte buffers are external memory, and churning through them triggers full GCs.
//
// Safety rests on the caller: a buffer is given back only when nothing refers to its bytes any more,
// i.e. its batch was acknowledged (the request was written and answered, or with acks=0 written).

export class BatchBuffers {
  private readonly spare: Buffer[] = []

  /** Keeps at most `maxSpare` buffers (the rest are left to the garbage collector). */
  constructor(private readonly maxSpare: number) {}

  /** A spare buffer of at least `capacity` bytes, else a new one of exactly that size. */
  take(capacity: number): Buffer {
    const at = this.spare.findIndex((buffer) => buffer.length >= capacity)
    if (at < 0) return Buffer.allocUnsafe(capacity)
    const [buffer] = this.spare.splice(at, 1)
    return buffer!
  }

  /** Hands back a buffer whose bytes nobody reads any more. */
  give(buffer: Buffer): void {
    if (this.spare.length < this.maxSpare) this.spare.push(buffer)
  }

  get spareCount(): number {
    return this.spare.length
  }
}
