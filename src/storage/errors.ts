/**
 * Storage failures, one class per cause, so the broker maps each to its Kafka error code
 * without looking at messages.
 */

export class StorageError extends Error {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.name = new.target.name
  }
}

/** A fetch or list offset outside [logStartOffset, logEndOffset] (Kafka OFFSET_OUT_OF_RANGE). */
export class OffsetOutOfRangeError extends StorageError {}

/** createTopic of a name that exists or is being created (Kafka TOPIC_ALREADY_EXISTS). */
export class TopicExistsError extends StorageError {}

/** deleteTopic of a name that does not exist (Kafka UNKNOWN_TOPIC_OR_PARTITION). */
export class UnknownTopicError extends StorageError {}

/** A topic name that is not a legal file name part, or a bad partition count (Kafka INVALID_TOPIC_EXCEPTION / INVALID_PARTITIONS). */
export class InvalidTopicError extends StorageError {}

/** A topic config storage understands but whose value is out of range (Kafka INVALID_CONFIG). */
export class InvalidConfigError extends StorageError {}

/** An append of bytes that are not exactly one RecordBatch v2 (Kafka CORRUPT_MESSAGE / INVALID_RECORD). */
export class InvalidBatchError extends StorageError {}

/** A batch larger than the topic's segment.bytes (Kafka RECORD_LIST_TOO_LARGE). */
export class RecordBatchTooLargeError extends StorageError {}

/** Bytes in the log that are not a valid batch where one must be (Kafka CORRUPT_MESSAGE): never served silently. */
export class CorruptLogError extends StorageError {}

/**
 * An I/O failure during an append whose partial write was rolled back: the log is unchanged and
 * stays usable (Kafka KAFKA_STORAGE_ERROR).
 */
export class LogWriteError extends StorageError {}

/**
 * The partition can no longer be written: closed, deleted, or failed (an fsync error, or a partial
 * write that could not be rolled back), after which nothing on disk can be trusted until a restart
 * recovers the log (Kafka KAFKA_STORAGE_ERROR).
 */
export class LogOfflineError extends StorageError {}

/** A topic metadata file that cannot be read back: the data directory needs a person, not a guess. */
export class CorruptMetadataError extends StorageError {}

/** A partition count that is not a positive integer (Kafka INVALID_PARTITIONS). */
export class InvalidPartitionsError extends StorageError {}

/**
 * An append whose last offset would pass Number.MAX_SAFE_INTEGER: offsets are JavaScript numbers,
 * and above 2^53 - 1 two offsets could read as one.
 */
export class OffsetOverflowError extends StorageError {}

/**
 * An idempotent or transactional batch whose producer epoch is older than the partition's current
 * one for that producer, or a marker older than it (Kafka INVALID_PRODUCER_EPOCH): a newer instance
 * of the producer fenced this one.
 */
export class InvalidProducerEpochError extends StorageError {}

/**
 * An idempotent batch whose first sequence does not follow the producer's last one (or a new epoch
 * that does not start at 0): a batch in between was lost (Kafka OUT_OF_ORDER_SEQUENCE_NUMBER).
 */
export class OutOfOrderSequenceError extends StorageError {}

/** A non-transactional batch from a producer whose transaction is open in the partition (Kafka INVALID_TXN_STATE). */
export class InvalidTxnStateError extends StorageError {}

/** A transaction marker from a coordinator epoch older than one already seen (Kafka TRANSACTION_COORDINATOR_FENCED). */
export class TransactionCoordinatorFencedError extends StorageError {}
