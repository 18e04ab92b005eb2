/**
 * The resync scan: after a defect at a byte of a .log, the position of the next valid batch, as
 * damaged-region.ts describes: a frame with a plausible header (length, magic, offset delta),
 * offsets inside [minOffset, maxOffset], wholly before the end, with a valid CRC-32C, followed by
 * the end or by another plausible header with higher offsets. The damaged batch's claimed end is
 * tried first; then every byte after the defect, reading the file in chunks. Costs nothing unless
 * the log is damaged, and then one pass over the damaged bytes.
 */
import {type Fs, readAt} from './fs.js'
import {BATCH_HEADER_SIZE, type BatchFrame, frameCrcIsValid, isFrameDefect, readFrameHeader} from './stored-batch.js'

const RESYNC_CHUNK_BYTES = 1 << 20

export interface ResyncBounds {
  /** the .log's size */
  end: number
  /** the next valid batch holds no offset below this (the offset the damaged bytes start at) */
  minOffset: number
  /** nor above this (the segment's base offset plus the largest relative offset) */
  maxOffset: number
}

/** Position of the first valid batch after the defect at `defectAt`, or `bounds.end` when none follows. */
export function nextValidFrame(fs: Fs, fd: number, defectAt: number, bounds: ResyncBounds): number {
  const claimed = claimedEnd(fs, fd, defectAt, bounds.end)
  if (claimed !== undefined && isValidFrameAt(fs, fd, claimed, bounds)) return claimed
  let chunkStart = defectAt + 1
  while (chunkStart + BATCH_HEADER_SIZE <= bounds.end) {
    const chunk = readAt(fs, fd, chunkStart, Math.min(RESYNC_CHUNK_BYTES, bounds.end - chunkStart))
    const last = chunk.length - BATCH_HEADER_SIZE
    for (let at = 0; at <= last; at++) {
      if (plausibleHeader(chunk, at, chunkStart + at, bounds) && isValidFrameAt(fs, fd, chunkStart + at, bounds)) return chunkStart + at
    }
    chunkStart += last + 1
  }
  return bounds.end
}

/** Where the batch at `position` would end if its length field is right; undefined when its header is unreadable. */
function claimedEnd(fs: Fs, fd: number, position: number, end: number): number | undefined {
  if (end - position < BATCH_HEADER_SIZE) return undefined
  const header = readFrameHeader(readAt(fs, fd, position, BATCH_HEADER_SIZE), 0)
  if (isFrameDefect(header) || position + header.size > end) return undefined
  return position + header.size
}

function isValidFrameAt(fs: Fs, fd: number, position: number, bounds: ResyncBounds): boolean {
  if (position === bounds.end) return true
  if (bounds.end - position < BATCH_HEADER_SIZE) return false
  const header = readAt(fs, fd, position, BATCH_HEADER_SIZE)
  const frame = headerWithin(header, 0, position, bounds)
  if (!frame) return false
  if (!frameCrcIsValid(readAt(fs, fd, position, frame.size), 0, frame.size)) return false
  const after = position + frame.size
  if (after === bounds.end) return true
  if (bounds.end - after < BATCH_HEADER_SIZE) return false
  return headerWithin(readAt(fs, fd, after, BATCH_HEADER_SIZE), 0, after, {...bounds, minOffset: frame.lastOffset + 1}) !== undefined
}

function plausibleHeader(bytes: Buffer, at: number, position: number, bounds: ResyncBounds): boolean {
  return bytes[at + 16] === 2 && headerWithin(bytes, at, position, bounds) !== undefined
}

/** The header at `at` when it is plausible and its frame fits before the end with offsets inside the bounds. */
function headerWithin(bytes: Buffer, at: number, position: number, bounds: ResyncBounds): BatchFrame | undefined {
  const frame = readFrameHeader(bytes, at)
  if (isFrameDefect(frame)) return undefined
  const fits = position + frame.size <= bounds.end && frame.baseOffset >= bounds.minOffset && frame.lastOffset <= bounds.maxOffset
  return fits ? frame : undefined
}
