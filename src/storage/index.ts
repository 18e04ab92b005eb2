/** Public surface of the storage layer: partition logs on disk. */
export {LogManager, type LogManagerOptions, type TopicSpec} from './log-manager.js'
export {PartitionLog, type AppendResult, type PartitionLogOptions} from './partition-log.js'
export {type TopicMetadata, validateTopicName} from './topic-store.js'
export {type LogConfig, type TimestampType, DEFAULT_LOG_CONFIG, MIN_SEGMENT_BYTES, logConfigFrom} from './log-config.js'
export {type Fs, nodeFileSystem} from './fs.js'
export {FaultInjectingFs, SimulatedCrashError, type FsStats} from './fault-injecting-fs.js'
export {type Logger} from './logger.js'
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
} from './errors.js'
