/**
 * What a log manager is opened with (log-manager.ts), and what a topic is created from.
 */
import {type Fs} from './fs.js'
import {type Logger} from './logger.js'

export interface LogManagerOptions {
  fs?: Fs
  logger?: Logger
  /**
   * The smallest segment.bytes a topic may set (default MIN_SEGMENT_BYTES, 1 MiB). Only tests that
   * need many segments lower it: it is not a topic config, so no client can.
   */
  minSegmentBytes?: number
  /**
   * How many read descriptors of older segments the logs keep open between reads, all partitions
   * together (default 64); the least recently read is closed first.
   */
  maxReadDescriptors?: number
  /**
   * How often the recovery-point checkpoint is rewritten when a recovery point moved (default
   * 60000, Kafka's log.flush.offset.checkpoint.interval.ms): a restart after a crash scans each log
   * from its last checkpointed recovery point.
   */
  checkpointIntervalMs?: number
  /**
   * Broker-level defaults of topic configs, in topic config names (`retention.ms`, not
   * `log.retention.hours`: the broker maps its settings to these). A topic's own config wins.
   * Validated at open (InvalidConfigError).
   */
  defaults?: Record<string, string>
  /**
   * How often retention runs over every log (default 300000, Kafka's
   * log.retention.check.interval.ms): deletes expired segments and rolls idle active ones.
   */
  retentionCheckIntervalMs?: number
}


export interface TopicSpec {
  name: string
  partitions: number
  configs: Record<string, string>
}
