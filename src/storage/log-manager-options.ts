/**
 * What a log manager is opened with (log-manager.ts), and what a topic is created from.
 */
import {type RecordCompression} from './cleaner-compression.js'
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
  /**
   * How long the log cleaner waits between passes over the compacted logs (default 15000, Kafka's
   * log.cleaner.backoff.ms).
   */
  cleanerIntervalMs?: number
  /**
   * Memory of the log cleaner's offset map, allocated once on the first cleaning (default 32 MiB,
   * about 1.26 million distinct keys per cleaning; Kafka's log.cleaner.dedupe.buffer.size is 128 MiB).
   * A log with more keys in its dirty part is cleaned over several passes.
   */
  cleanerBufferBytes?: number
  /**
   * The codecs the log cleaner rewrites compressed batches with (cleaner-compression.ts): storage
   * cannot load them itself. Without them, compressed batches of compacted topics are kept whole.
   */
  compression?: RecordCompression
  /**
   * How long a partition keeps the state of an idle producer without an open transaction (default
   * 86400000, Kafka's producer.id.expiration.ms); checked on each retention pass.
   */
  producerIdExpirationMs?: number
}


export interface TopicSpec {
  name: string
  partitions: number
  configs: Record<string, string>
}
