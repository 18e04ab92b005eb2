// The Kafka protocol client: connect over the local daemon's socket or to Kafka brokers over TCP.
export {KafkaClient, type ClientOptions} from './kafka-client.js'
export {
  Admin, type DeleteRecordsResult, type OffsetSpec, type TopicDescription, type TopicListing, type TopicResult, type TopicSpec,
} from './admin.js'
export {
  type GroupDescription, type GroupListing, type GroupMemberDescription, type GroupOffset, type GroupOffsetChange, type GroupPartitionResult,
  type TopicPartitions,
} from './admin-groups.js'
export {CoordinatorLookup, CoordinatorType, type CoordinatorTypeValue} from './coordinator-lookup.js'
export {
  CONFIG_SOURCES, CONFIG_TYPES, type ConfigDescription, type ConfigEntry, type ConfigOperation, type ConfigResource, type ConfigResourceType,
  type ConfigResult, type ConfigSource, type ConfigSynonym, type ConfigType, type DescribeConfigsOptions,
} from './admin-configs.js'
export {Producer, MAX_BATCH_BYTES, type OutgoingRecord, type ProducerOptions} from './producer.js'
export {Consumer, type Assignment, type ConsumerOptions, type FetchedBatch, type OffsetReset, type OffsetResetPolicy} from './consumer.js'
export {murmur2, partitionForKey} from './partitioner.js'
export {parseHostPort} from './address.js'
export {
  ClosedError,
  ConnectionError,
  KafkaProtocolError,
  MalformedResponseError,
  NotRunningError,
  TimeoutError,
  UnsupportedVersionError,
  WeirError,
} from './errors.js'
export type {Compression, ConsumedRecord, RecordHeader} from '../protocol/index.js'
