/**
 * HeldDescriptor: a descriptor an active segment keeps open for its appends (its .log or .index).
 * When the segment is sealed the descriptor is released: closed at once, or, when an fdatasync is
 * still running on it, as soon as that sync returns. Closing under a running sync would free the
 * number for the next open, and the sync would then flush, or fail on, some other file.
 */
import {type Fs} from './fs.js'

export class HeldDescriptor {
  private syncsRunning = 0
  private released = false
  private closed = false

  constructor(
    private readonly fs: Fs,
    readonly fd: number,
  ) {}

  async datasync(): Promise<void> {
    this.syncsRunning++
    try {
      await this.fs.datasync(this.fd)
    } finally {
      this.syncsRunning--
      this.closeIfReleased()
    }
  }

  /** No more writes: close now, or after the running syncs. */
  release(): void {
    this.released = true
    this.closeIfReleased()
  }

  private closeIfReleased(): void {
    if (!this.released || this.syncsRunning > 0 || this.closed) return
    this.closed = true
    this.fs.close(this.fd)
  }
}
