// The Kafka wire codec: frames, the schema-built message codecs, record batches v2, compression
// and the error-code table. Nothing here does I/O.

export {ApiKey, type ApiKeyValue} from './api-key.js'
export {ProtocolError} from './protocol-error.js'
export {apiName, codecVersions, isFlexible, type VersionSupport} from './codecs.js'
export type {RequestHeader} from './headers.js'
export {decodeRequestBody, decodeRequestHeader, decodeResponse, encodeRequest, encodeRequestChunks, encodeResponse, encodeResponseChunks} from './frames.js'
export type {RequestTypes, ResponseTypes} from './messages/index.js'
export type {TaggedField} from './tagged-fields.js'
export {ZERO_UUID} from './uuid.js'
export {ErrorCode, errorInfo, allErrors, type ErrorInfo} from './errors.js'

export type {
  ApiVersionsRequest,
  ApiVersionsResponse,
  ApiVersion,
  SupportedFeatureKey,
  FinalizedFeatureKey,
} from './messages/api-versions.js'
export type {
  MetadataRequest,
  MetadataRequestTopic,
  MetadataResponse,
  MetadataResponseBroker,
  MetadataResponseTopic,
  MetadataResponsePartition,
} from './messages/metadata.js'
export type {
  CreateTopicsRequest,
  CreatableTopic,
  CreatableReplicaAssignment,
  CreatableTopicConfig,
  CreateTopicsResponse,
  CreatableTopicResult,
  CreatableTopicConfigs,
} from './messages/create-topics.js'
export type {
  DeleteTopicsRequest,
  DeleteTopicState,
  DeleteTopicsResponse,
  DeletableTopicResult,
} from './messages/delete-topics.js'
export type {
  ProduceRequest,
  TopicProduceData,
  PartitionProduceData,
  ProduceResponse,
  TopicProduceResponse,
  PartitionProduceResponse,
  BatchIndexAndErrorMessage,
  LeaderIdAndEpoch,
  NodeEndpoint,
} from './messages/produce.js'
export type {
  FetchRequest,
  ReplicaState,
  FetchTopic,
  FetchPartition,
  ForgottenTopic,
  FetchResponse,
  FetchableTopicResponse,
  PartitionData,
  EpochEndOffset,
  SnapshotId,
  AbortedTransaction,
} from './messages/fetch.js'
export type {
  ListOffsetsRequest,
  ListOffsetsTopic,
  ListOffsetsPartition,
  ListOffsetsResponse,
  ListOffsetsTopicResponse,
  ListOffsetsPartitionResponse,
} from './messages/list-offsets.js'

export type {
  DeleteRecordsRequest,
  DeleteRecordsTopic,
  DeleteRecordsPartition,
  DeleteRecordsResponse,
  DeleteRecordsTopicResult,
  DeleteRecordsPartitionResult,
} from './messages/delete-records.js'
export type {
  DescribeConfigsRequest,
  DescribeConfigsResource,
  DescribeConfigsResponse,
  DescribeConfigsResult,
  DescribeConfigsResourceResult,
  DescribeConfigsSynonym,
} from './messages/describe-configs.js'
export type {
  AlterConfigsRequest,
  AlterConfigsResource,
  AlterableConfig,
  AlterConfigsResponse,
  AlterConfigsResourceResponse,
} from './messages/alter-configs.js'
export type {
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResource,
  IncrementalAlterableConfig,
  IncrementalAlterConfigsResponse,
  IncrementalAlterConfigsResourceResponse,
} from './messages/incremental-alter-configs.js'
export type {
  CreatePartitionsRequest,
  CreatePartitionsTopic,
  CreatePartitionsAssignment,
  CreatePartitionsResponse,
  CreatePartitionsTopicResult,
} from './messages/create-partitions.js'

// Consumer groups: coordinator lookup, membership, committed offsets.
export type {
  FindCoordinatorRequest,
  FindCoordinatorResponse,
  Coordinator,
} from './messages/find-coordinator.js'
export type {
  OffsetCommitRequest,
  OffsetCommitRequestTopic,
  OffsetCommitRequestPartition,
  OffsetCommitResponse,
  OffsetCommitResponseTopic,
  OffsetCommitResponsePartition,
} from './messages/offset-commit.js'
export type {
  OffsetFetchRequest,
  OffsetFetchRequestTopic,
  OffsetFetchRequestGroup,
  OffsetFetchRequestTopics,
  OffsetFetchResponse,
  OffsetFetchResponseTopic,
  OffsetFetchResponsePartition,
  OffsetFetchResponseGroup,
  OffsetFetchResponseTopics,
  OffsetFetchResponsePartitions,
} from './messages/offset-fetch.js'
export type {
  JoinGroupRequest,
  JoinGroupRequestProtocol,
  JoinGroupResponse,
  JoinGroupResponseMember,
} from './messages/join-group.js'
export type {
  HeartbeatRequest,
  HeartbeatResponse,
} from './messages/heartbeat.js'
export type {
  LeaveGroupRequest,
  MemberIdentity,
  LeaveGroupResponse,
  MemberResponse,
} from './messages/leave-group.js'
export type {
  SyncGroupRequest,
  SyncGroupRequestAssignment,
  SyncGroupResponse,
} from './messages/sync-group.js'
export type {
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  DescribedGroup,
  DescribedGroupMember,
} from './messages/describe-groups.js'
export type {
  ListGroupsRequest,
  ListGroupsResponse,
  ListedGroup,
} from './messages/list-groups.js'
export type {
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DeletableGroupResult,
} from './messages/delete-groups.js'
export type {
  OffsetDeleteRequest,
  OffsetDeleteRequestTopic,
  OffsetDeleteRequestPartition,
  OffsetDeleteResponse,
  OffsetDeleteResponseTopic,
  OffsetDeleteResponsePartition,
} from './messages/offset-delete.js'
export type {
  OffsetForLeaderEpochRequest,
  OffsetForLeaderTopic,
  OffsetForLeaderPartition,
  OffsetForLeaderEpochResponse,
  OffsetForLeaderTopicResult,
  OffsetForLeaderEpochEndOffset,
} from './messages/offset-for-leader-epoch.js'
// Idempotent and transactional producers: producer ids, transactions, markers, inspection.
export type {
  InitProducerIdRequest,
  InitProducerIdResponse,
} from './messages/init-producer-id.js'
export type {
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnTransaction,
  AddPartitionsToTxnTopic,
  AddPartitionsToTxnResponse,
  AddPartitionsToTxnResult,
  AddPartitionsToTxnTopicResult,
  AddPartitionsToTxnPartitionResult,
} from './messages/add-partitions-to-txn.js'
export type {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
} from './messages/add-offsets-to-txn.js'
export type {
  EndTxnRequest,
  EndTxnResponse,
} from './messages/end-txn.js'
export type {
  WriteTxnMarkersRequest,
  WritableTxnMarker,
  WritableTxnMarkerTopic,
  WriteTxnMarkersResponse,
  WritableTxnMarkerResult,
  WritableTxnMarkerTopicResult,
  WritableTxnMarkerPartitionResult,
} from './messages/write-txn-markers.js'
export type {
  TxnOffsetCommitRequest,
  TxnOffsetCommitRequestTopic,
  TxnOffsetCommitRequestPartition,
  TxnOffsetCommitResponse,
  TxnOffsetCommitResponseTopic,
  TxnOffsetCommitResponsePartition,
} from './messages/txn-offset-commit.js'
export type {
  DescribeProducersRequest,
  DescribeProducersRequestTopic,
  DescribeProducersResponse,
  DescribeProducersResponseTopic,
  DescribeProducersPartition,
  DescribedProducer,
} from './messages/describe-producers.js'
export type {
  DescribeTransactionsRequest,
  DescribeTransactionsResponse,
  DescribedTransaction,
  DescribedTransactionTopic,
} from './messages/describe-transactions.js'
export type {
  ListTransactionsRequest,
  ListTransactionsResponse,
  ListedTransaction,
} from './messages/list-transactions.js'
export {
  CONSUMER_PROTOCOL_TYPE,
  CONSUMER_PROTOCOL_VERSION,
  encodeSubscription,
  decodeSubscription,
  encodeAssignment,
  decodeAssignment,
  type ConsumerProtocolSubscription,
  type ConsumerProtocolAssignment,
  type ConsumerProtocolTopicPartition,
  type SubscriptionFields,
  type AssignmentFields,
} from './consumer-protocol.js'
export {
  GroupRecordVersion,
  CONSUMER_OFFSETS_PARTITIONS,
  consumerOffsetsPartition,
  decodeGroupRecordKey,
  encodeOffsetCommitKey,
  encodeGroupMetadataKey,
  encodeOffsetCommitValue,
  decodeOffsetCommitValue,
  encodeGroupMetadataValue,
  decodeGroupMetadataValue,
  type GroupRecordKey,
  type OffsetCommitKey,
  type OffsetCommitValue,
  type GroupMetadataKey,
  type GroupMetadataValue,
  type GroupMemberMetadata,
} from './group-records.js'
export {
  TransactionRecordVersion,
  TransactionStatus,
  TRANSACTION_STATE_PARTITIONS,
  transactionStatePartition,
  transactionStatusName,
  encodeTransactionLogKey,
  decodeTransactionLogKey,
  encodeTransactionLogValue,
  decodeTransactionLogValue,
  type TransactionLogKey,
  type TransactionLogValue,
  type TransactionLogPartitions,
  type TransactionStatusName,
  type TransactionStatusId,
} from './transaction-records.js'
export type {Versioned} from './versioned-data.js'

export type {Compression} from './compression.js'
export {compress, decompress, decompressSync} from './compression.js'
export {MAX_DECOMPRESSED_BATCH_BYTES} from './decompressed-size.js'
export type {RecordHeader, ProducerRecord, ConsumedRecord} from './record.js'
export {
  BATCH_HEADER_SIZE,
  LOG_OVERHEAD,
  RECORD_BATCH_MAGIC,
  type BatchHeader,
  type TimestampType,
  readBatchHeader,
  batchCrcIsValid,
  stampBatchCrc,
  splitBatches,
} from './record-batch.js'
export {RecordBatchBuilder, encodeRecordBatch, encodedRecordSize, zigzagSize, type BatchOptions} from './record-batch-encoder.js'
export {
  CONTROL_BATCH_SIZE,
  ControlRecordType,
  encodeControlBatch,
  encodeControlRecordKey,
  encodeControlRecordValue,
  decodeControlRecord,
  decodeControlRecordKey,
  controlBatchType,
  type ControlBatchOptions,
  type TransactionMarker,
  type TransactionMarkerType,
} from './control-record.js'
export {inflateBatch, inflateBatchSync, inflateLayout, inflateLayoutSync, type InflatedBatch} from './inflate-batch.js'
export {RecordLayout, RecordView} from './record-layout.js'
