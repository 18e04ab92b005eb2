/**
 * FrameScanner: walks the batch frames of a .log file from a position, reading the file in
 * chunks so a scan costs one read per chunk rather than one per batch. Used by recovery (every
 * frame, CRC checked), by index rebuilds and by the short scan from an index entry to the batch
 * containing an offset (headers only).
 *
 * A scan ends at `end` exactly (`{done}`), or at the first position that does not hold a whole
 * valid frame (`{defect}`): 'torn' when the bytes left before `end` are too few for the header or
 * for the length the header claims, otherwise the header or CRC defect. The caller may then step
 * over the damage (resumeAt) and go on.
 */
import {CorruptLogError} from './errors.js'
import {type Fs} from './fs.js'
import {BATCH_HEADER_SIZE, type BatchFrame, type FrameDefect, frameCrcIsValid, isFrameDefect, readFrameHeader} from './stored-batch.js'

export interface ScannedFrame extends BatchFrame {
  position: number
}

export type ScanDefect = FrameDefect | 'torn'

export type ScanStep = {frame: ScannedFrame} | {done: true; position: number} | {defect: ScanDefect; position: number}

export const DEFAULT_SCAN_CHUNK_BYTES = 1 << 20

export class FrameScanner {
  private buffer: Buffer
  private bufferStart = 0
  private bufferEnd = 0

  constructor(
    private readonly fs: Fs,
    private readonly fd: number,
    private position: number,
    private readonly end: number,
    private readonly options: {verifyCrc: boolean; chunkBytes?: number},
  ) {
    this.buffer = Buffer.allocUnsafe(Math.min(options.chunkBytes ?? DEFAULT_SCAN_CHUNK_BYTES, Math.max(end - position, BATCH_HEADER_SIZE)))
  }

  /** Where the next frame is looked for. */
  get nextPosition(): number {
    return this.position
  }

  /** Goes on from `position` (the end of a damaged region, damaged-region.ts) instead. */
  resumeAt(position: number): void {
    this.position = position
  }

  next(): ScanStep {
    const position = this.position
    if (position === this.end) return {done: true, position}
    if (this.end - position < BATCH_HEADER_SIZE) return {defect: 'torn', position}
    const at = this.load(position, BATCH_HEADER_SIZE)
    const header = readFrameHeader(this.buffer, at)
    if (isFrameDefect(header)) return {defect: header, position}
    if (header.size > this.end - position) return {defect: 'torn', position}
    if (this.options.verifyCrc) {
      const frameAt = this.load(position, header.size)
      if (!frameCrcIsValid(this.buffer, frameAt, header.size)) return {defect: 'bad-crc', position}
    }
    this.position = position + header.size
    return {frame: {...header, position}}
  }

  /**
   * The file bytes [position, position + length), clipped to the scan's end, as a view of the
   * scanner's buffer: valid until the next call. For reading more of a frame next() returned.
   */
  bytesAt(position: number, length: number): Buffer {
    const clipped = Math.max(0, Math.min(length, this.end - position))
    const at = this.load(position, clipped)
    return this.buffer.subarray(at, at + clipped)
  }

  /** Makes file bytes [position, position + length) present in the buffer; returns where they start in it. */
  private load(position: number, length: number): number {
    if (position >= this.bufferStart && position + length <= this.bufferEnd) return position - this.bufferStart
    const want = Math.min(Math.max(length, this.buffer.length), this.end - position)
    if (want > this.buffer.length) this.buffer = Buffer.allocUnsafe(want)
    let filled = 0
    while (filled < want) {
      const n = this.fs.read(this.fd, this.buffer, filled, want - filled, position + filled)
      if (n === 0) throw new CorruptLogError(`file ends at ${position + filled}, before the ${this.end} bytes it was scanned to`)
      filled += n
    }
    this.bufferStart = position
    this.bufferEnd = position + filled
    return 0
  }
}
