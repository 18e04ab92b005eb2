/**
 * The recovery-point checkpoint, `<dataDir>/recovery-point-checkpoint`: for each partition the
 * offset below which its log is known to be on disk, so a restart after a crash scans only what
 * follows. Kafka's offset checkpoint text format:
 *
 *   0                      format version
 *   2                      number of entries
 *   orders 0 1200          <topic> <partition> <offset>, one line each
 *   orders 1 987
 *
 * Replaced atomically (atomic-file.ts). A missing or unreadable file means "nothing is known to be
 * flushed": every log is then scanned from its start, which is slow but safe.
 */
import {join} from 'node:path'
import {writeFileAtomic} from './atomic-file.js'
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'

export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-checkpoint'
const VERSION = 0

export interface CheckpointEntry {
  topic: string
  partition: number
  offset: number
}

/** Keyed by partitionKey(topic, partition). */
export type RecoveryPoints = Map<string, number>

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`
}

export function readRecoveryPoints(fs: Fs, dataDir: string, logger: Logger): RecoveryPoints {
  return readOffsetCheckpoint(fs, join(dataDir, RECOVERY_POINT_CHECKPOINT_FILE), logger, 'recovering every log from its start')
}

/** The offsets of a checkpoint file in this format; none when it is missing, and none, said with `consequence`, when unreadable. */
export function readOffsetCheckpoint(fs: Fs, path: string, logger: Logger, consequence: string): Map<string, number> {
  if (!fs.exists(path)) return new Map()
  const parsed = parseCheckpoint(fs.readFile(path).toString('utf8'))
  if (typeof parsed === 'string') {
    logger(`${path}: ${parsed}; ${consequence}`)
    return new Map()
  }
  return new Map(parsed.map((entry) => [partitionKey(entry.topic, entry.partition), entry.offset]))
}

export async function writeRecoveryPoints(fs: Fs, dataDir: string, entries: readonly CheckpointEntry[]): Promise<void> {
  await writeFileAtomic(fs, join(dataDir, RECOVERY_POINT_CHECKPOINT_FILE), Buffer.from(formatCheckpoint(entries)))
}

/** The file's text for these entries. */
export function formatCheckpoint(entries: readonly CheckpointEntry[]): string {
  const lines = [String(VERSION), String(entries.length), ...entries.map((e) => `${e.topic} ${e.partition} ${e.offset}`)]
  return lines.join('\n') + '\n'
}

/** The entries of a checkpoint file, or what is wrong with it. */
export function parseCheckpoint(text: string): CheckpointEntry[] | string {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  if (lines[0] !== String(VERSION)) return `unknown version '${lines[0] ?? ''}'`
  const count = Number(lines[1])
  if (!Number.isSafeInteger(count) || count !== lines.length - 2) return `entry count '${lines[1] ?? ''}' does not match ${lines.length - 2} lines`
  const entries: CheckpointEntry[] = []
  for (const line of lines.slice(2)) {
    const match = /^(\S+) (\d+) (\d+)$/.exec(line)
    if (!match) return `malformed line '${line}'`
    entries.push({topic: match[1] as string, partition: Number(match[2]), offset: Number(match[3])})
  }
  return entries
}
