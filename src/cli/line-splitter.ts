const NEWLINE = 0x0a

/**
 * Cuts a byte stream into lines at '\n' without decoding anything: each line is handed
 * over as a Buffer view of the chunk it sits in (no copy), except a line that spans chunks,
 * which is joined once. The bytes of a line are exactly those between delimiters: a '\r'
 * before the '\n' stays part of the line, and empty lines are lines. A final line without
 * '\n' is delivered by end(); input that ends with '\n' has no extra empty line.
 */
export class LineSplitter {
  private pending: Buffer[] = []
  private readonly onLine: (line: Buffer) => void

  constructor(onLine: (line: Buffer) => void) {
    this.onLine = onLine
  }

  push(chunk: Buffer): void {
    let start = 0
    let end = chunk.indexOf(NEWLINE, start)
    if (end !== -1 && this.pending.length > 0) {
      this.pending.push(chunk.subarray(0, end))
      const joined = Buffer.concat(this.pending)
      this.pending = []
      this.onLine(joined)
      start = end + 1
      end = chunk.indexOf(NEWLINE, start)
    }
    while (end !== -1) {
      this.onLine(chunk.subarray(start, end))
      start = end + 1
      end = chunk.indexOf(NEWLINE, start)
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start))
  }

  /** Delivers the unterminated last line, if any. */
  end(): void {
    if (this.pending.length === 0) return
    const last = Buffer.concat(this.pending)
    this.pending = []
    this.onLine(last)
  }
}
