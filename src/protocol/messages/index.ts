import type {ApiKey} from '../api-key.js'
import type {MessageDef} from '../schema.js'
import {AlterConfigsRequestSchema, AlterConfigsResponseSchema} from './alter-configs.js'
import type {AlterConfigsRequest, AlterConfigsResponse} from './alter-configs.js'
import {ApiVersionsRequestSchema, ApiVersionsResponseSchema} from './api-versions.js'
import type {ApiVersionsRequest, ApiVersionsResponse} from './api-versions.js'
import {CreatePartitionsRequestSchema, CreatePartitionsResponseSchema} from './create-partitions.js'
import type {CreatePartitionsRequest, CreatePartitionsResponse} from './create-partitions.js'
import {CreateTopicsRequestSchema, CreateTopicsResponseSchema} from './create-topics.js'
import type {CreateTopicsRequest, CreateTopicsResponse} from './create-topics.js'
import {DeleteRecordsRequestSchema, DeleteRecordsResponseSchema} from './delete-records.js'
import type {DeleteRecordsRequest, DeleteRecordsResponse} from './delete-records.js'
import {DeleteTopicsRequestSchema, DeleteTopicsResponseSchema} from './delete-topics.js'
import type {DeleteTopicsRequest, DeleteTopicsResponse} from './delete-topics.js'
import {DescribeConfigsRequestSchema, DescribeConfigsResponseSchema} from './describe-configs.js'
import type {DescribeConfigsRequest, DescribeConfigsResponse} from './describe-configs.js'
import {FetchRequestSchema, FetchResponseSchema} from './fetch.js'
import type {FetchRequest, FetchResponse} from './fetch.js'
import {IncrementalAlterConfigsRequestSchema, IncrementalAlterConfigsResponseSchema} from './incremental-alter-configs.js'
import type {IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse} from './incremental-alter-configs.js'
import {ListOffsetsRequestSchema, ListOffsetsResponseSchema} from './list-offsets.js'
import type {ListOffsetsRequest, ListOffsetsResponse} from './list-offsets.js'
import {MetadataRequestSchema, MetadataResponseSchema} from './metadata.js'
import type {MetadataRequest, MetadataResponse} from './metadata.js'
import {ProduceRequestSchema, ProduceResponseSchema} from './produce.js'
import type {ProduceRequest, ProduceResponse} from './produce.js'

/** The decoded request body of each API, covering all its versions. */
export interface RequestTypes {
  [ApiKey.Produce]: ProduceRequest
  [ApiKey.Fetch]: FetchRequest
  [ApiKey.ListOffsets]: ListOffsetsRequest
  [ApiKey.Metadata]: MetadataRequest
  [ApiKey.ApiVersions]: ApiVersionsRequest
  [ApiKey.CreateTopics]: CreateTopicsRequest
  [ApiKey.DeleteTopics]: DeleteTopicsRequest
  [ApiKey.DeleteRecords]: DeleteRecordsRequest
  [ApiKey.DescribeConfigs]: DescribeConfigsRequest
  [ApiKey.AlterConfigs]: AlterConfigsRequest
  [ApiKey.CreatePartitions]: CreatePartitionsRequest
  [ApiKey.IncrementalAlterConfigs]: IncrementalAlterConfigsRequest
}

/** The decoded response body of each API, covering all its versions. */
export interface ResponseTypes {
  [ApiKey.Produce]: ProduceResponse
  [ApiKey.Fetch]: FetchResponse
  [ApiKey.ListOffsets]: ListOffsetsResponse
  [ApiKey.Metadata]: MetadataResponse
  [ApiKey.ApiVersions]: ApiVersionsResponse
  [ApiKey.CreateTopics]: CreateTopicsResponse
  [ApiKey.DeleteTopics]: DeleteTopicsResponse
  [ApiKey.DeleteRecords]: DeleteRecordsResponse
  [ApiKey.DescribeConfigs]: DescribeConfigsResponse
  [ApiKey.AlterConfigs]: AlterConfigsResponse
  [ApiKey.CreatePartitions]: CreatePartitionsResponse
  [ApiKey.IncrementalAlterConfigs]: IncrementalAlterConfigsResponse
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
  18: {request: ApiVersionsRequestSchema, response: ApiVersionsResponseSchema},
  19: {request: CreateTopicsRequestSchema, response: CreateTopicsResponseSchema},
  20: {request: DeleteTopicsRequestSchema, response: DeleteTopicsResponseSchema},
  21: {request: DeleteRecordsRequestSchema, response: DeleteRecordsResponseSchema},
  32: {request: DescribeConfigsRequestSchema, response: DescribeConfigsResponseSchema},
  33: {request: AlterConfigsRequestSchema, response: AlterConfigsResponseSchema},
  37: {request: CreatePartitionsRequestSchema, response: CreatePartitionsResponseSchema},
  44: {request: IncrementalAlterConfigsRequestSchema, response: IncrementalAlterConfigsResponseSchema},
}
