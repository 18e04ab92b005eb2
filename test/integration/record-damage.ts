/**
 * Damage that only the CRC can see: bytes flipped inside a record of a stored batch, leaving its
 * length, offsets and header plausible, as a bad disk sector or a stray write would. Storage must
 * find it by the batch's CRC-32C (which covers everything from the attributes on) and never serve it.
 */
import {readSync, openSync, writeSync, closeSync} from 'node:fs'

import {type FrameOnDisk} from './crash-segment-files.js'

/** How many bytes are flipped, and how far before the batch's end they start. */
const FLIPPED_BYTES = 4
const FROM_END = 20

/**
 * Inverts a few bytes inside the value of the batch's last record (an uncompressed batch ends with
 * that value and a one-byte header count). The value must be longer than FROM_END bytes.
 */
export function flipBytesInLastRecord(logPath: string, frame: FrameOnDisk): void {
  const at = frame.position + frame.size - FROM_END
  const fd = openSync(logPath, 'r+')
  try {
    const bytes = Buffer.alloc(FLIPPED_BYTES)
    readSync(fd, bytes, 0, FLIPPED_BYTES, at)
    for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xff
    writeSync(fd, bytes, 0, FLIPPED_BYTES, at)
  } finally {
    closeSync(fd)
  }
}
