/**
 * `<dataDir>/corruptions.json`: the defects the running daemon's storage found in its logs
 * (batches that failed their length, header or CRC check, or flushed offsets found missing), as
 * LogManager.corruptions() lists them. The daemon writes it, atomically (by rename), when it
 * starts and whenever the list changes; `weir server status` reads it. The list holds what this
 * daemon found since it started: a restart finds a defect again when it scans or reads there.
 *
 *   {"updatedAt": <epoch ms>, "corruptions": [{"topic": "t", "partition": 0, "offset": 7, "reason": "bad-crc"}, ...]}
 *
 * Like data-dir.ts, this imports nothing of the project: the CLI and the daemon both stand on it.
 */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

export const CORRUPTIONS_FILE = 'corruptions.json'

export interface PublishedCorruption {
  topic: string
  partition: number
  /** the first offset the defect keeps from being read */
  offset: number
  reason: string
}

export interface CorruptionsRecord {
  updatedAt: number
  corruptions: PublishedCorruption[]
}

export function corruptionsPath(dataDir: string): string {
  return join(dataDir, CORRUPTIONS_FILE)
}

/** The published record; null when the file is missing, unreadable or not a record. */
export async function readCorruptions(dataDir: string): Promise<CorruptionsRecord | null> {
  try {
    const parsed = JSON.parse(await readFile(corruptionsPath(dataDir), 'utf8')) as unknown
    return isCorruptionsRecord(parsed) ? parsed : null
  } catch {
    return null
  }
}

function isCorruptionsRecord(value: unknown): value is CorruptionsRecord {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return typeof record.updatedAt === 'number' && Array.isArray(record.corruptions) && record.corruptions.every(isPublishedCorruption)
}

function isPublishedCorruption(value: unknown): value is PublishedCorruption {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.topic === 'string' && typeof v.partition === 'number' && typeof v.offset === 'number' && typeof v.reason === 'string'
}
