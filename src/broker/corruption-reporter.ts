/**
 * Reads that hit a damaged batch (storage's CorruptLogError) are answered CORRUPT_MESSAGE and
 * reported in server.log. A consumer retries such a read every few hundred milliseconds, so each
 * distinct defect is logged once, not once per request; storage lists every defect it found for
 * `weir server status` as well.
 */
import type {CorruptLogError} from '../storage/index.js'

/** Distinct defects remembered before the memory starts over (each is then logged once more). */
const MAX_REMEMBERED = 1000

export class CorruptionReporter {
  private readonly reported = new Set<string>()

  constructor(private readonly log: (line: string) => void) {}

  /** `read` says what was being read ("fetch from orders-0 at offset 42"). */
  report(read: string, partition: string, error: CorruptLogError): void {
    const key = `${partition}: ${error.message}`
    if (this.reported.has(key)) return
    if (this.reported.size >= MAX_REMEMBERED) this.reported.clear()
    this.reported.add(key)
    this.log(`CORRUPT DATA in ${partition}: ${read} hit a damaged batch and was answered CORRUPT_MESSAGE: ${error.message}`)
  }
}
