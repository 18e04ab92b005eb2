import {expect} from 'chai'
import type {
  AbortedTransaction,
  Coordinator,
  JoinGroupRequestProtocol,
  JoinGroupResponse,
  MemberResponse,
  OffsetCommitRequestPartition,
  OffsetFetchRequest,
  OffsetFetchRequestGroup,
  OffsetForLeaderEpochEndOffset,
  SyncGroupResponse,
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnTransaction,
  DescribedProducer,
  EndTxnResponse,
  InitProducerIdRequest,
  ListTransactionsRequest,
  TxnOffsetCommitRequest,
  AlterableConfig,
  CreatePartitionsTopic,
  DeleteRecordsPartitionResult,
  DescribeConfigsResourceResult,
  IncrementalAlterableConfig,
  ApiVersionsResponse,
  DeleteTopicsRequest,
  FetchPartition,
  LeaderIdAndEpoch,
  ListOffsetsPartitionResponse,
  MetadataRequest,
  MetadataResponseTopic,
  PartitionProduceData,
  ProduceRequest,
  RequestTypes,
  ResponseTypes,
  TaggedField,
} from '../../src/protocol/index.js'

// Compile-time checks that the types inferred from the schema DSL are the contract's: the build
// fails if one drifts. (Kafka's names, first letter lower-cased; nullable where Kafka allows null
// in any version; records always Buffer | null; every struct may carry unknown tagged fields.)

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function assertType<T extends true>(): T | undefined {
  return undefined
}

describe('types inferred from the schema', () => {
  it('match the contract (checked when this file compiles)', () => {
    assertType<Equal<MetadataResponseTopic['name'], string | null>>()
    assertType<Equal<MetadataRequest['topics'], {topicId: string; name: string | null; unknownTaggedFields?: TaggedField[]}[] | null>>()
    assertType<Equal<ProduceRequest['transactionalId'], string | null>>()
    assertType<Equal<PartitionProduceData['records'], Buffer | null>>()
    assertType<Equal<ListOffsetsPartitionResponse['oldStyleOffsets'], number[]>>()
    assertType<Equal<DeleteTopicsRequest['topicNames'], string[]>>()
    assertType<Equal<ApiVersionsResponse['zkMigrationReady'], boolean>>()
    assertType<Equal<keyof LeaderIdAndEpoch, 'leaderId' | 'leaderEpoch' | 'unknownTaggedFields'>>()
    assertType<Equal<keyof AbortedTransaction, 'producerId' | 'firstOffset' | 'unknownTaggedFields'>>()
    assertType<
      Equal<
        keyof FetchPartition,
        | 'partition'
        | 'currentLeaderEpoch'
        | 'fetchOffset'
        | 'lastFetchedEpoch'
        | 'logStartOffset'
        | 'partitionMaxBytes'
        | 'replicaDirectoryId'
        | 'unknownTaggedFields'
      >
    >()
    assertType<Equal<keyof RequestTypes, keyof ResponseTypes>>()
    assertType<
      Equal<
        keyof RequestTypes,
        0 | 1 | 2 | 3 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 18 | 19 | 20 | 21 | 22 | 23 | 24 | 25 | 26 | 27 | 28 | 32 | 33 | 37 | 42 | 44 | 47
        | 61 | 65 | 66
      >
    >()
    assertType<Equal<DescribeConfigsResourceResult['value'], string | null>>()
    assertType<Equal<DescribeConfigsResourceResult['documentation'], string | null>>()
    assertType<Equal<DescribeConfigsResourceResult['synonyms'][number]['value'], string | null>>()
    assertType<Equal<AlterableConfig['value'], string | null>>()
    assertType<Equal<keyof IncrementalAlterableConfig, 'name' | 'configOperation' | 'value' | 'unknownTaggedFields'>>()
    assertType<Equal<CreatePartitionsTopic['assignments'], {brokerIds: number[]; unknownTaggedFields?: TaggedField[]}[] | null>>()
    assertType<Equal<DeleteRecordsPartitionResult['lowWatermark'], number>>()
    assertType<Equal<OffsetCommitRequestPartition['committedMetadata'], string | null>>()
    assertType<Equal<OffsetFetchRequest['topics'], {name: string; partitionIndexes: number[]; unknownTaggedFields?: TaggedField[]}[] | null>>()
    assertType<Equal<OffsetFetchRequestGroup['memberId'], string | null>>()
    assertType<Equal<JoinGroupRequestProtocol['metadata'], Buffer>>()
    assertType<Equal<JoinGroupResponse['protocolName'], string | null>>()
    assertType<Equal<SyncGroupResponse['assignment'], Buffer>>()
    assertType<Equal<MemberResponse['groupInstanceId'], string | null>>()
    assertType<Equal<Coordinator['errorMessage'], string | null>>()
    assertType<Equal<InitProducerIdRequest['transactionalId'], string | null>>()
    assertType<Equal<AddPartitionsToTxnRequest['v3AndBelowTopics'], {name: string; partitions: number[]; unknownTaggedFields?: TaggedField[]}[]>>()
    assertType<Equal<AddPartitionsToTxnTransaction['verifyOnly'], boolean>>()
    assertType<Equal<keyof EndTxnResponse, 'throttleTimeMs' | 'errorCode' | 'producerId' | 'producerEpoch' | 'unknownTaggedFields'>>()
    assertType<Equal<TxnOffsetCommitRequest['groupInstanceId'], string | null>>()
    assertType<Equal<DescribedProducer['producerEpoch'], number>>()
    assertType<Equal<ListTransactionsRequest['producerIdFilters'], number[]>>()
    assertType<Equal<keyof OffsetForLeaderEpochEndOffset, 'errorCode' | 'partition' | 'leaderEpoch' | 'endOffset' | 'unknownTaggedFields'>>()

    const request: MetadataRequest = {
      topics: null,
      allowAutoTopicCreation: true,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
      // @ts-expect-error a field the schema does not declare
      allowEverything: true,
    }
    expect(request.topics).to.equal(null)
  })
})
