// The Kafka protocol client: connect over the local daemon's socket or to Kafka brokers over TCP.
export {KafkaClient, type ClientOptions} from './kafka-client.js'
export {Admin, type OffsetSpec, type TopicDescription, type TopicListing, type TopicResult, type TopicSpec} from './admin.js'
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
