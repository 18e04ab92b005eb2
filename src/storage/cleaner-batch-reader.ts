/**
 * Reads the whole batches of a sealed segment's .log (format: log-segment.ts) for the log cleaner,
 * a chunk at a time (one read per MiB rather than one per batch), each checked: length, header,
 * increasing offsets and CRC-32C. A batch that fails is never cleaned into a new segment, nor
 * skipped: the cleaning of that log stops (CorruptLogError), and its reads report the damage as
 * before.
 *
 * Memory: one chunk buffer, grown to the largest batch when a batch is larger than a chunk.
 */
import {CorruptLogError} from './errors.js'
import {type Fs} from './fs.js'
import {BATCH_HEADER_SIZE, type BatchFrame, frameCrcIsValid, isFrameDefect, readFrameHeader} from './stored-batch.js'

const CHUNK_BYTES = 1 << 20

/**
 * Calls `visit` with each batch of the file at `path` (the first `size` bytes), in order, until it
 * answers 'stop'; the buffer is valid only until `visit` settles. Closes the file when done or failed.
 */
export async function forEachStoredBatch(
  fs: Fs,
  path: string,
  size: number,
  visit: (batch: Buffer, frame: BatchFrame) => Promise<void | 'stop'>,
): Promise<void> {
  const fd = fs.open(path, 'r')
  try {
    let chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(size, BATCH_HEADER_SIZE)))
    let chunkStart = 0
    let chunkEnd = 0
    let position = 0
    let nextOffset = -1
    while (position < size) {
      if (position + BATCH_HEADER_SIZE > chunkEnd) [chunkStart, chunkEnd] = [position, fill(fs, fd, chunk, position, size)]
      if (position + BATCH_HEADER_SIZE > chunkEnd) throw new CorruptLogError(`${path}: torn batch header at byte ${position}`)
      const frame = readFrameHeader(chunk, position - chunkStart)
      if (isFrameDefect(frame)) throw new CorruptLogError(`${path}: ${frame} at byte ${position}`)
      if (frame.baseOffset < nextOffset) throw new CorruptLogError(`${path}: offsets do not increase at byte ${position}`)
      if (position + frame.size > chunkEnd) {
        if (frame.size > chunk.length) chunk = Buffer.allocUnsafe(frame.size)
        ;[chunkStart, chunkEnd] = [position, fill(fs, fd, chunk, position, size)]
        if (position + frame.size > chunkEnd) throw new CorruptLogError(`${path}: torn batch at byte ${position}`)
      }
      if (!frameCrcIsValid(chunk, position - chunkStart, frame.size)) throw new CorruptLogError(`${path}: bad-crc at byte ${position}`)
      if ((await visit(chunk.subarray(position - chunkStart, position - chunkStart + frame.size), frame)) === 'stop') return
      position += frame.size
      nextOffset = frame.lastOffset + 1
    }
  } finally {
    fs.close(fd)
  }
}

/** Reads from `position` into `chunk`, as much as fits before `size`; returns the file position the chunk ends at. */
function fill(fs: Fs, fd: number, chunk: Buffer, position: number, size: number): number {
  const want = Math.min(chunk.length, size - position)
  let done = 0
  while (done < want) {
    const n = fs.read(fd, chunk, done, want - done, position + done)
    if (n === 0) break
    done += n
  }
  return position + done
}
