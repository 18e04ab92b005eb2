/**
 * The log-start-offset checkpoint, `<dataDir>/log-start-offset-checkpoint`, as Kafka keeps it: for
 * each partition its log start offset, which DeleteRecords (and retention) may move inside the
 * first segment, where the segment files cannot show it. Same text format as the recovery-point
 * checkpoint (recovery-point-checkpoint.ts), replaced atomically whenever a log start offset moves
 * (checkpoint-writer.ts), before DeleteRecords answers.
 *
 * At open, a log's start offset is the larger of the checkpointed one and its first segment's base
 * offset. A missing or unreadable file loses only what DeleteRecords hid inside first segments;
 * that is said in the log.
 */
import {join} from 'node:path'
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'
import {readOffsetCheckpoint} from './recovery-point-checkpoint.js'

export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint'

/** Keyed by partitionKey(topic, partition). */
export function readLogStartOffsets(fs: Fs, dataDir: string, logger: Logger): Map<string, number> {
  const consequence = 'each log starts at its first segment'
  return readOffsetCheckpoint(fs, join(dataDir, LOG_START_OFFSET_CHECKPOINT_FILE), logger, consequence)
}
