/**
 * The cleaner-offset checkpoint, `<dataDir>/cleaner-offset-checkpoint`, as Kafka keeps it: for each
 * compacted partition the first dirty offset, where its last cleaning's offset map ended; the part
 * below it is clean (each key at most once). Same text format as the recovery-point checkpoint
 * (recovery-point-checkpoint.ts), replaced atomically after each cleaning (checkpoint-writer.ts).
 *
 * A missing or unreadable file only costs work: each compacted log counts as dirty from its start,
 * so its next cleaning maps all of it (over several cleanings when its keys overflow the map).
 */
import {join} from 'node:path'
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'
import {readOffsetCheckpoint} from './recovery-point-checkpoint.js'

export const CLEANER_OFFSET_CHECKPOINT_FILE = 'cleaner-offset-checkpoint'

/** Keyed by partitionKey(topic, partition). */
export function readCleanerOffsets(fs: Fs, dataDir: string, logger: Logger): Map<string, number> {
  return readOffsetCheckpoint(fs, join(dataDir, CLEANER_OFFSET_CHECKPOINT_FILE), logger, 'each compacted log counts as dirty from its start')
}
