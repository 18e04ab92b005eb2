import {Writable} from 'node:stream'

import type {ByteSink} from '../../src/cli/output.js'

/** A ByteSink that keeps what was written, for formatter tests. */
export class MemorySink implements ByteSink {
  private readonly parts: Buffer[] = []

  write(bytes: Buffer): void {
    this.parts.push(Buffer.from(bytes))
  }

  writeString(text: string): void {
    this.parts.push(Buffer.from(text, 'utf8'))
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts)
  }

  text(): string {
    return this.bytes().toString('utf8')
  }
}

/** A Writable that records each write it receives, optionally slow to drain. */
export class RecordingStream extends Writable {
  readonly writes: Buffer[] = []
  private readonly holdCallbacks: boolean
  private readonly held: (() => void)[] = []

  constructor(opts: {highWaterMark?: number; holdCallbacks?: boolean} = {}) {
    super({highWaterMark: opts.highWaterMark ?? 16 * 1024})
    this.holdCallbacks = opts.holdCallbacks ?? false
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writes.push(Buffer.from(chunk))
    if (this.holdCallbacks) this.held.push(() => callback())
    else callback()
  }

  /** Completes the writes held so far (lets the stream drain). */
  release(): void {
    for (const callback of this.held.splice(0)) callback()
  }

  get heldCount(): number {
    return this.held.length
  }

  all(): Buffer {
    return Buffer.concat(this.writes)
  }
}
