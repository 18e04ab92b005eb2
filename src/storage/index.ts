/** Public surface of the storage layer: partition logs on disk. */
export {LogManager, type LogManagerOptions, type TopicSpec} from './log-manager.js'
export {DEFAULT_RETENTION_CHECK_INTERVAL_MS} from './retention-task.js'
export {DEFAULT_CLEANER_INTERVAL_MS} from './log-cleaner-task.js'
export {DEFAULT_CLEANER_BUFFER_BYTES, type CleaningReport} from './log-cleaner.js'
export {type RecordCompression} from './cleaner-compression.js'
export {PartitionLog, type AppendResult, type CorruptionReport, type PartitionLogOptions} from './partition-log.js'
export {type AbortedTransaction} from './partition-log-producers.js'
export {type ActiveProducer, DEFAULT_PRODUCER_ID_EXPIRATION_MS} from './producer-state.js'
export {type ProducerIdBlock} from './producer-id-blocks.js'
export {type TopicMetadata, validateTopicName} from './topic-store.js'
export {
  type CleanupPolicy,
  type LogConfig,
  type TimestampType,
  DEFAULT_LOG_CONFIG,
  MIN_SEGMENT_BYTES,
  STORAGE_CONFIG_NAMES,
  logConfigFrom,
} from './log-config.js'
export {LONG_MAX} from './config-values.js'
export {NameLocks} from './name-locks.js'
export {type Fs, nodeFileSystem} from './fs.js'
export {FaultInjectingFs, SimulatedCrashError, type FsStats} from './fault-injecting-fs.js'
export {type Logger} from './logger.js'
export {ATTRIBUTES_AT, BATCH_LENGTH_AT, LAST_OFFSET_DELTA_AT, TRANSACTIONAL_FLAG} from './stored-batch.js'
export {
  StorageError,
  OffsetOutOfRangeError,
  OffsetOverflowError,
  TopicExistsError,
  UnknownTopicError,
  InvalidTopicError,
  InvalidPartitionsError,
  InvalidConfigError,
  InvalidBatchError,
  RecordBatchTooLargeError,
  CorruptLogError,
  CorruptMetadataError,
  LogWriteError,
  LogOfflineError,
  InvalidProducerEpochError,
  OutOfOrderSequenceError,
  InvalidTxnStateError,
  TransactionCoordinatorFencedError,
} from './errors.js'
