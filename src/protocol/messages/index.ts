import type {ApiKey} from '../api-key.js'
import type {MessageDef} from '../schema.js'
import {AddOffsetsToTxnRequestSchema, AddOffsetsToTxnResponseSchema} from './add-offsets-to-txn.js'
import type {AddOffsetsToTxnRequest, AddOffsetsToTxnResponse} from './add-offsets-to-txn.js'
import {AddPartitionsToTxnRequestSchema, AddPartitionsToTxnResponseSchema} from './add-partitions-to-txn.js'
import type {AddPartitionsToTxnRequest, AddPartitionsToTxnResponse} from './add-partitions-to-txn.js'
import {AlterConfigsRequestSchema, AlterConfigsResponseSchema} from './alter-configs.js'
import type {AlterConfigsRequest, AlterConfigsResponse} from './alter-configs.js'
import {ApiVersionsRequestSchema, ApiVersionsResponseSchema} from './api-versions.js'
import type {ApiVersionsRequest, ApiVersionsResponse} from './api-versions.js'
import {CreatePartitionsRequestSchema, CreatePartitionsResponseSchema} from './create-partitions.js'
import type {CreatePartitionsRequest, CreatePartitionsResponse} from './create-partitions.js'
import {CreateTopicsRequestSchema, CreateTopicsResponseSchema} from './create-topics.js'
import type {CreateTopicsRequest, CreateTopicsResponse} from './create-topics.js'
import {DeleteGroupsRequestSchema, DeleteGroupsResponseSchema} from './delete-groups.js'
import type {DeleteGroupsRequest, DeleteGroupsResponse} from './delete-groups.js'
import {DeleteRecordsRequestSchema, DeleteRecordsResponseSchema} from './delete-records.js'
import type {DeleteRecordsRequest, DeleteRecordsResponse} from './delete-records.js'
import {DeleteTopicsRequestSchema, DeleteTopicsResponseSchema} from './delete-topics.js'
import type {DeleteTopicsRequest, DeleteTopicsResponse} from './delete-topics.js'
import {DescribeConfigsRequestSchema, DescribeConfigsResponseSchema} from './describe-configs.js'
import type {DescribeConfigsRequest, DescribeConfigsResponse} from './describe-configs.js'
import {DescribeGroupsRequestSchema, DescribeGroupsResponseSchema} from './describe-groups.js'
import type {DescribeGroupsRequest, DescribeGroupsResponse} from './describe-groups.js'
import {DescribeProducersRequestSchema, DescribeProducersResponseSchema} from './describe-producers.js'
import type {DescribeProducersRequest, DescribeProducersResponse} from './describe-producers.js'
import {DescribeTransactionsRequestSchema, DescribeTransactionsResponseSchema} from './describe-transactions.js'
import type {DescribeTransactionsRequest, DescribeTransactionsResponse} from './describe-transactions.js'
import {EndTxnRequestSchema, EndTxnResponseSchema} from './end-txn.js'
import type {EndTxnRequest, EndTxnResponse} from './end-txn.js'
import {FetchRequestSchema, FetchResponseSchema} from './fetch.js'
import type {FetchRequest, FetchResponse} from './fetch.js'
import {FindCoordinatorRequestSchema, FindCoordinatorResponseSchema} from './find-coordinator.js'
import type {FindCoordinatorRequest, FindCoordinatorResponse} from './find-coordinator.js'
import {HeartbeatRequestSchema, HeartbeatResponseSchema} from './heartbeat.js'
import type {HeartbeatRequest, HeartbeatResponse} from './heartbeat.js'
import {IncrementalAlterConfigsRequestSchema, IncrementalAlterConfigsResponseSchema} from './incremental-alter-configs.js'
import type {IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse} from './incremental-alter-configs.js'
import {InitProducerIdRequestSchema, InitProducerIdResponseSchema} from './init-producer-id.js'
import type {InitProducerIdRequest, InitProducerIdResponse} from './init-producer-id.js'
import {JoinGroupRequestSchema, JoinGroupResponseSchema} from './join-group.js'
import type {JoinGroupRequest, JoinGroupResponse} from './join-group.js'
import {LeaveGroupRequestSchema, LeaveGroupResponseSchema} from './leave-group.js'
import type {LeaveGroupRequest, LeaveGroupResponse} from './leave-group.js'
import {ListGroupsRequestSchema, ListGroupsResponseSchema} from './list-groups.js'
import type {ListGroupsRequest, ListGroupsResponse} from './list-groups.js'
import {ListOffsetsRequestSchema, ListOffsetsResponseSchema} from './list-offsets.js'
import type {ListOffsetsRequest, ListOffsetsResponse} from './list-offsets.js'
import {ListTransactionsRequestSchema, ListTransactionsResponseSchema} from './list-transactions.js'
import type {ListTransactionsRequest, ListTransactionsResponse} from './list-transactions.js'
import {MetadataRequestSchema, MetadataResponseSchema} from './metadata.js'
import type {MetadataRequest, MetadataResponse} from './metadata.js'
import {OffsetCommitRequestSchema, OffsetCommitResponseSchema} from './offset-commit.js'
import type {OffsetCommitRequest, OffsetCommitResponse} from './offset-commit.js'
import {OffsetDeleteRequestSchema, OffsetDeleteResponseSchema} from './offset-delete.js'
import type {OffsetDeleteRequest, OffsetDeleteResponse} from './offset-delete.js'
import {OffsetFetchRequestSchema, OffsetFetchResponseSchema} from './offset-fetch.js'
import type {OffsetFetchRequest, OffsetFetchResponse} from './offset-fetch.js'
import {OffsetForLeaderEpochRequestSchema, OffsetForLeaderEpochResponseSchema} from './offset-for-leader-epoch.js'
import type {OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse} from './offset-for-leader-epoch.js'
import {ProduceRequestSchema, ProduceResponseSchema} from './produce.js'
import type {ProduceRequest, ProduceResponse} from './produce.js'
import {SyncGroupRequestSchema, SyncGroupResponseSchema} from './sync-group.js'
import type {SyncGroupRequest, SyncGroupResponse} from './sync-group.js'
import {TxnOffsetCommitRequestSchema, TxnOffsetCommitResponseSchema} from './txn-offset-commit.js'
import type {TxnOffsetCommitRequest, TxnOffsetCommitResponse} from './txn-offset-commit.js'
import {WriteTxnMarkersRequestSchema, WriteTxnMarkersResponseSchema} from './write-txn-markers.js'
import type {WriteTxnMarkersRequest, WriteTxnMarkersResponse} from './write-txn-markers.js'

/** The decoded request body of each API, covering all its versions. */
export interface RequestTypes {
  [ApiKey.Produce]: ProduceRequest
  [ApiKey.Fetch]: FetchRequest
  [ApiKey.ListOffsets]: ListOffsetsRequest
  [ApiKey.Metadata]: MetadataRequest
  [ApiKey.OffsetCommit]: OffsetCommitRequest
  [ApiKey.OffsetFetch]: OffsetFetchRequest
  [ApiKey.FindCoordinator]: FindCoordinatorRequest
  [ApiKey.JoinGroup]: JoinGroupRequest
  [ApiKey.Heartbeat]: HeartbeatRequest
  [ApiKey.LeaveGroup]: LeaveGroupRequest
  [ApiKey.SyncGroup]: SyncGroupRequest
  [ApiKey.DescribeGroups]: DescribeGroupsRequest
  [ApiKey.ListGroups]: ListGroupsRequest
  [ApiKey.ApiVersions]: ApiVersionsRequest
  [ApiKey.CreateTopics]: CreateTopicsRequest
  [ApiKey.DeleteTopics]: DeleteTopicsRequest
  [ApiKey.DeleteRecords]: DeleteRecordsRequest
  [ApiKey.InitProducerId]: InitProducerIdRequest
  [ApiKey.OffsetForLeaderEpoch]: OffsetForLeaderEpochRequest
  [ApiKey.AddPartitionsToTxn]: AddPartitionsToTxnRequest
  [ApiKey.AddOffsetsToTxn]: AddOffsetsToTxnRequest
  [ApiKey.EndTxn]: EndTxnRequest
  [ApiKey.WriteTxnMarkers]: WriteTxnMarkersRequest
  [ApiKey.TxnOffsetCommit]: TxnOffsetCommitRequest
  [ApiKey.DescribeConfigs]: DescribeConfigsRequest
  [ApiKey.AlterConfigs]: AlterConfigsRequest
  [ApiKey.CreatePartitions]: CreatePartitionsRequest
  [ApiKey.DeleteGroups]: DeleteGroupsRequest
  [ApiKey.IncrementalAlterConfigs]: IncrementalAlterConfigsRequest
  [ApiKey.OffsetDelete]: OffsetDeleteRequest
  [ApiKey.DescribeProducers]: DescribeProducersRequest
  [ApiKey.DescribeTransactions]: DescribeTransactionsRequest
  [ApiKey.ListTransactions]: ListTransactionsRequest
}

/** The decoded response body of each API, covering all its versions. */
export interface ResponseTypes {
  [ApiKey.Produce]: ProduceResponse
  [ApiKey.Fetch]: FetchResponse
  [ApiKey.ListOffsets]: ListOffsetsResponse
  [ApiKey.Metadata]: MetadataResponse
  [ApiKey.OffsetCommit]: OffsetCommitResponse
  [ApiKey.OffsetFetch]: OffsetFetchResponse
  [ApiKey.FindCoordinator]: FindCoordinatorResponse
  [ApiKey.JoinGroup]: JoinGroupResponse
  [ApiKey.Heartbeat]: HeartbeatResponse
  [ApiKey.LeaveGroup]: LeaveGroupResponse
  [ApiKey.SyncGroup]: SyncGroupResponse
  [ApiKey.DescribeGroups]: DescribeGroupsResponse
  [ApiKey.ListGroups]: ListGroupsResponse
  [ApiKey.ApiVersions]: ApiVersionsResponse
  [ApiKey.CreateTopics]: CreateTopicsResponse
  [ApiKey.DeleteTopics]: DeleteTopicsResponse
  [ApiKey.DeleteRecords]: DeleteRecordsResponse
  [ApiKey.InitProducerId]: InitProducerIdResponse
  [ApiKey.OffsetForLeaderEpoch]: OffsetForLeaderEpochResponse
  [ApiKey.AddPartitionsToTxn]: AddPartitionsToTxnResponse
  [ApiKey.AddOffsetsToTxn]: AddOffsetsToTxnResponse
  [ApiKey.EndTxn]: EndTxnResponse
  [ApiKey.WriteTxnMarkers]: WriteTxnMarkersResponse
  [ApiKey.TxnOffsetCommit]: TxnOffsetCommitResponse
  [ApiKey.DescribeConfigs]: DescribeConfigsResponse
  [ApiKey.AlterConfigs]: AlterConfigsResponse
  [ApiKey.CreatePartitions]: CreatePartitionsResponse
  [ApiKey.DeleteGroups]: DeleteGroupsResponse
  [ApiKey.IncrementalAlterConfigs]: IncrementalAlterConfigsResponse
  [ApiKey.OffsetDelete]: OffsetDeleteResponse
  [ApiKey.DescribeProducers]: DescribeProducersResponse
  [ApiKey.DescribeTransactions]: DescribeTransactionsResponse
  [ApiKey.ListTransactions]: ListTransactionsResponse
}

export interface ApiSchema {
  readonly request: MessageDef<unknown>
  readonly response: MessageDef<unknown>
}

/** The schema table: every API's request and response declaration, by API key. */
export const apiSchemas: {readonly [K in keyof RequestTypes]: ApiSchema} = {
  0: {request: ProduceRequestSchema, response: ProduceResponseSchema},
  1: {request: FetchRequestSchema, response: FetchResponseSchema},
  2: {request: ListOffsetsRequestSchema, response: ListOffsetsResponseSchema},
  3: {request: MetadataRequestSchema, response: MetadataResponseSchema},
  8: {request: OffsetCommitRequestSchema, response: OffsetCommitResponseSchema},
  9: {request: OffsetFetchRequestSchema, response: OffsetFetchResponseSchema},
  10: {request: FindCoordinatorRequestSchema, response: FindCoordinatorResponseSchema},
  11: {request: JoinGroupRequestSchema, response: JoinGroupResponseSchema},
  12: {request: HeartbeatRequestSchema, response: HeartbeatResponseSchema},
  13: {request: LeaveGroupRequestSchema, response: LeaveGroupResponseSchema},
  14: {request: SyncGroupRequestSchema, response: SyncGroupResponseSchema},
  15: {request: DescribeGroupsRequestSchema, response: DescribeGroupsResponseSchema},
  16: {request: ListGroupsRequestSchema, response: ListGroupsResponseSchema},
  18: {request: ApiVersionsRequestSchema, response: ApiVersionsResponseSchema},
  19: {request: CreateTopicsRequestSchema, response: CreateTopicsResponseSchema},
  20: {request: DeleteTopicsRequestSchema, response: DeleteTopicsResponseSchema},
  21: {request: DeleteRecordsRequestSchema, response: DeleteRecordsResponseSchema},
  22: {request: InitProducerIdRequestSchema, response: InitProducerIdResponseSchema},
  23: {request: OffsetForLeaderEpochRequestSchema, response: OffsetForLeaderEpochResponseSchema},
  24: {request: AddPartitionsToTxnRequestSchema, response: AddPartitionsToTxnResponseSchema},
  25: {request: AddOffsetsToTxnRequestSchema, response: AddOffsetsToTxnResponseSchema},
  26: {request: EndTxnRequestSchema, response: EndTxnResponseSchema},
  27: {request: WriteTxnMarkersRequestSchema, response: WriteTxnMarkersResponseSchema},
  28: {request: TxnOffsetCommitRequestSchema, response: TxnOffsetCommitResponseSchema},
  32: {request: DescribeConfigsRequestSchema, response: DescribeConfigsResponseSchema},
  33: {request: AlterConfigsRequestSchema, response: AlterConfigsResponseSchema},
  37: {request: CreatePartitionsRequestSchema, response: CreatePartitionsResponseSchema},
  42: {request: DeleteGroupsRequestSchema, response: DeleteGroupsResponseSchema},
  44: {request: IncrementalAlterConfigsRequestSchema, response: IncrementalAlterConfigsResponseSchema},
  47: {request: OffsetDeleteRequestSchema, response: OffsetDeleteResponseSchema},
  61: {request: DescribeProducersRequestSchema, response: DescribeProducersResponseSchema},
  65: {request: DescribeTransactionsRequestSchema, response: DescribeTransactionsResponseSchema},
  66: {request: ListTransactionsRequestSchema, response: ListTransactionsResponseSchema},
}
