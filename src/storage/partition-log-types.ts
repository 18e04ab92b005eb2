/**
 * The types at the partition log's boundary: what opening one takes (PartitionLogOptions), what an
 * append answers (AppendResult) and what a read's check reports (CorruptionReport).
 *
 * Separate from partition-log.ts so that the modules below the log (corruption-log.ts) and above it
 * (log-manager.ts) can name these shapes without importing the log itself. No bytes are stored here.
 */
import {type Fs} from './fs.js'
import {type LogConfig} from './log-config.js'
import {type Logger} from './logger.js'
import {type ReadDescriptorCache} from './read-descriptor-cache.js'

export interface PartitionLogOptions {
  fs: Fs
  /** the partition directory */
  dir: string
  topic: string
  partition: number
  config: LogConfig
  logger: Logger
  /** read descriptors of sealed segments, shared with the other partitions; a cache of its own when absent */
  readDescriptors?: ReadDescriptorCache
  /** makes the log start offset durable once it moved (the log manager's checkpoint); nothing when absent */
  logStartOffsetMoved?: () => Promise<void>
  /** how long an idle producer without an open transaction keeps its state (producer.id.expiration.ms, default a day) */
  producerIdExpirationMs?: number
}

/** A defect found in a partition's log: a batch that failed its length or CRC check, never served. */
export interface CorruptionReport {
  topic: string
  partition: number
  /** the first offset the defect keeps from being read */
  offset: number
  reason: string
}

/**
 * Who appends (Kafka's AppendOrigin): a client's batch through Produce, or the broker's own
 * coordinators (transaction markers, transactional offset commits). A coordinator's batch is checked
 * for its producer's epoch only: never a duplicate, its sequence not checked, as Kafka's
 * origin=COORDINATOR appends; its transaction is tracked as any other.
 */
export type AppendOrigin = 'client' | 'coordinator'

export interface AppendOptions {
  /** 'client' when absent */
  origin?: AppendOrigin
}

export interface AppendResult {
  baseOffset: number
  lastOffset: number
  /** the time stamped into the batch for a LogAppendTime topic; -1 for CreateTime */
  logAppendTime: number
  /** a retry of a batch the producer already wrote: nothing was appended, the offsets are the first write's */
  duplicate: boolean
}
