/**
 * The files of one partition directory as the tests see them on disk, read independently of the
 * storage code (Kafka's layouts):
 *
 *   <base>.log        RecordBatch v2 frames back to back: baseOffset int64, batchLength int32, ...
 *   <base>.index      8-byte entries: relativeOffset u32, position u32
 *   <base>.timeindex  12-byte entries: timestamp int64, relativeOffset u32 (once storage writes it)
 *
 * and the damage the tests inflict on them while the daemon is down: a cut at a byte, garbage
 * appended, an index zeroed.
 */
import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, statSync, truncateSync, appendFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

export interface SegmentFiles {
  baseOffset: number
  log: string
  index: string
  timeindex: string
}

export interface FrameOnDisk {
  baseOffset: number
  position: number
  /** bytes of the whole frame, its 12-byte offset and length prefix included */
  size: number
}

export interface IndexEntryOnDisk {
  offset: number
  /** the timestamp of a .timeindex entry; absent for .index entries */
  timestamp?: number
}

const LOG_FILE = /^(\d{20})\.log$/
const FRAME_PREFIX = 12

/** The segments of a partition directory, by base offset. */
export function segmentsOf(dir: string): SegmentFiles[] {
  return readdirSync(dir)
    .map((name) => LOG_FILE.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => {
      const stem = join(dir, match[1]!)
      return {baseOffset: Number(match[1]), log: `${stem}.log`, index: `${stem}.index`, timeindex: `${stem}.timeindex`}
    })
    .sort((a, b) => a.baseOffset - b.baseOffset)
}

export function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0
}

/** The whole frames at the start of a .log file, up to the first one that is cut short. */
export function framesOf(logPath: string): FrameOnDisk[] {
  const data = readFileSync(logPath)
  const frames: FrameOnDisk[] = []
  let position = 0
  while (position + FRAME_PREFIX <= data.length) {
    const size = FRAME_PREFIX + data.readInt32BE(position + 8)
    if (size <= FRAME_PREFIX || position + size > data.length) break
    frames.push({baseOffset: Number(data.readBigInt64BE(position)), position, size})
    position += size
  }
  return frames
}

/** The entries of an offset index or time index file as absolute offsets; none when it is absent. */
export function indexEntriesOf(path: string, baseOffset: number, kind: 'index' | 'timeindex'): IndexEntryOnDisk[] {
  if (!existsSync(path)) return []
  const data = readFileSync(path)
  const width = kind === 'index' ? 8 : 12
  const entries: IndexEntryOnDisk[] = []
  for (let at = 0; at + width <= data.length; at += width) {
    if (kind === 'index') entries.push({offset: baseOffset + data.readUInt32BE(at)})
    else entries.push({timestamp: Number(data.readBigInt64BE(at)), offset: baseOffset + data.readUInt32BE(at + 8)})
  }
  return entries
}

export function cutAt(path: string, size: number): void {
  truncateSync(path, size)
}

export function appendGarbage(path: string, bytes: number): void {
  appendFileSync(path, randomBytes(bytes))
}

/** Overwrites a file with zero bytes of the same length. */
export function zeroFile(path: string): void {
  writeFileSync(path, Buffer.alloc(fileSize(path)))
}

/** A whole number in [min, max). */
export function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min))
}
