/**
 * The offset checkpoints a log manager keeps in its data directory, each in the text format of
 * recovery-point-checkpoint.ts and replaced atomically (checkpoint-writer.ts):
 *
 *   recovery-point-checkpoint    offsets known flushed; rewritten on a timer when one moved
 *   log-start-offset-checkpoint  log start offsets (log-start-offset-checkpoint.ts), written when one moves
 *   cleaner-offset-checkpoint    first dirty offsets of compacted logs (cleaner-offset-checkpoint.ts), written after a cleaning
 *
 * All three are rewritten when topics or partitions come or go, so that no entry of an earlier topic
 * of the same name survives.
 */
import {CheckpointWriter} from './checkpoint-writer.js'
import {CLEANER_OFFSET_CHECKPOINT_FILE, readCleanerOffsets} from './cleaner-offset-checkpoint.js'
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'
import {LOG_START_OFFSET_CHECKPOINT_FILE, readLogStartOffsets} from './log-start-offset-checkpoint.js'
import {type PartitionLog} from './partition-log.js'
import {type CheckpointEntry, readRecoveryPoints} from './recovery-point-checkpoint.js'

/** What the checkpoints said at open, each keyed by partitionKey(topic, partition). */
export interface CheckpointedOffsets {
  recoveryPoints: Map<string, number>
  logStartOffsets: Map<string, number>
  cleanerOffsets: Map<string, number>
}

export function readCheckpoints(fs: Fs, dataDir: string, logger: Logger): CheckpointedOffsets {
  return {
    recoveryPoints: readRecoveryPoints(fs, dataDir, logger),
    logStartOffsets: readLogStartOffsets(fs, dataDir, logger),
    cleanerOffsets: readCleanerOffsets(fs, dataDir, logger),
  }
}

export class LogCheckpoints {
  readonly recoveryPoints: CheckpointWriter
  readonly startOffsets: CheckpointWriter
  readonly cleanerOffsets: CheckpointWriter

  constructor(fs: Fs, dataDir: string, logs: () => PartitionLog[], firstDirtyOffsets: () => CheckpointEntry[], logger: Logger) {
    const entries = (offset: (log: PartitionLog) => number) => () => logs().map((log) => ({topic: log.topic, partition: log.partition, offset: offset(log)}))
    this.recoveryPoints = new CheckpointWriter(fs, dataDir, entries((log) => log.recoveryPoint), logger)
    this.startOffsets = new CheckpointWriter(fs, dataDir, entries((log) => log.logStartOffset), logger, LOG_START_OFFSET_CHECKPOINT_FILE)
    this.cleanerOffsets = new CheckpointWriter(fs, dataDir, firstDirtyOffsets, logger, CLEANER_OFFSET_CHECKPOINT_FILE)
  }

  async writeAll(): Promise<void> {
    await this.recoveryPoints.write()
    await this.startOffsets.write()
    await this.cleanerOffsets.write()
  }

  async stop(): Promise<void> {
    await this.recoveryPoints.stop()
    await this.startOffsets.stop()
    await this.cleanerOffsets.stop()
  }
}
