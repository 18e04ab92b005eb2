/**
 * CorruptionLog: the defects found in one partition's log, each reported once, loudly.
 *
 * Recovery checks every batch it scans (from the segment holding the recovery point on, or the
 * last segment's tail after a clean shutdown); damage below the recovery point is kept and
 * reported here (damaged-region.ts), only a torn tail above it is cut. The rest of the log was on
 * disk and is trusted without a scan, so reads check what they serve: every batch's length and
 * header, and its CRC-32C (a few GB/s, a fraction of a millisecond per fetch). A batch that fails
 * is never served: the batches before it are, and a read that starts at it throws CorruptLogError,
 * which the broker answers with CORRUPT_MESSAGE. Each defect (one per first offset it keeps from
 * being read) is logged once (the server log) and listed (LogManager.corruptions(), published for
 * `weir server status`) until the process stops; a restart finds it again when it scans or reads there.
 */
import {type DamagedRegion, DamagedRegionError, describeRegion} from './damaged-region.js'
import {CorruptLogError} from './errors.js'
import {type Logger} from './logger.js'
import {type CorruptionReport} from './partition-log-types.js'
import {BATCH_HEADER_SIZE, frameCrcIsValid, isFrameDefect, readFrameHeader} from './stored-batch.js'

export class CorruptionLog {
  private readonly found = new Map<number, CorruptionReport>()

  constructor(
    private readonly topic: string,
    private readonly partition: number,
    private readonly logger: Logger,
  ) {}

  list(): CorruptionReport[] {
    return [...this.found.values()]
  }

  /** Records a defect (once per offset: the first reason stays) and returns the error a read that reaches it throws. */
  report(offset: number, reason: string): CorruptLogError {
    if (!this.found.has(offset)) {
      this.found.set(offset, {topic: this.topic, partition: this.partition, offset, reason})
      this.logger(`${this.topic}-${this.partition}: CORRUPT batch at offset ${offset}, not served: ${reason}`)
    }
    return new CorruptLogError(`${this.topic}-${this.partition}: corrupt batch at offset ${offset} (${reason})`)
  }

  /** Records a damaged region a scan found and kept. */
  reportRegion(region: DamagedRegion): void {
    this.report(region.firstOffset, describeRegion(region))
  }

  /**
   * Records the defect a read ran into and returns the error to throw: a damaged region under its
   * first offset, anything else at `offset`, where the read was.
   */
  reportError(err: CorruptLogError, offset: number): CorruptLogError {
    if (!(err instanceof DamagedRegionError)) return this.report(offset, err.message)
    this.reportRegion(err.region)
    return new DamagedRegionError(err.region, `${this.topic}-${this.partition}`)
  }

  /**
   * The whole, CRC-valid batches at the start of `bytes` (what a read is about to serve), which
   * start with the batch holding `offset`; throws CorruptLogError when the first is not valid.
   */
  verified(bytes: Buffer, offset: number): Buffer {
    let end = 0
    let next = offset
    while (end < bytes.length) {
      const defect = this.defectAt(bytes, end)
      if (defect) {
        if (end === 0) throw this.report(next, defect)
        this.report(next, defect)
        break
      }
      const frame = readFrameHeader(bytes, end)
      if (isFrameDefect(frame)) break
      if (end > 0 && frame.baseOffset < next) {
        this.report(next, 'offset-not-increasing')
        break
      }
      next = frame.lastOffset + 1
      end += frame.size
    }
    return bytes.subarray(0, end)
  }

  private defectAt(bytes: Buffer, at: number): string | undefined {
    if (bytes.length - at < BATCH_HEADER_SIZE) return 'torn: the log ends inside a batch header'
    const frame = readFrameHeader(bytes, at)
    if (isFrameDefect(frame)) return frame
    if (at + frame.size > bytes.length) return 'torn: the log ends inside the batch'
    return frameCrcIsValid(bytes, at, frame.size) ? undefined : 'bad-crc'
  }
}
