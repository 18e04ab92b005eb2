import {array, field, message, struct, type MessageValue} from '../schema.js'

// Produce (0). v2 LogAppendTimeMs; v3 RecordBatch v2 and TransactionalId; v5 LogStartOffset;
// v7 zstd allowed; v8 per-record errors; v9 flexible; v10 current leader and node endpoints (tagged).
// Acks 0 gets no response at all.

export const ProduceRequestSchema = message('ProduceRequest', {apiKey: 0, versions: '0-11', flexible: '9+'}, {
  transactionalId: field('string', '3+', {nullable: '3+', default: null}),
  acks: field('int16', '0+'),
  timeoutMs: field('int32', '0+'),
  topicData: array('TopicProduceData', '0+', {
    name: field('string', '0+'),
    partitionData: array('PartitionProduceData', '0+', {
      index: field('int32', '0+'),
      records: field('records', '0+', {nullable: '0+'}),
    }),
  }),
})

export const ProduceResponseSchema = message('ProduceResponse', {apiKey: 0, versions: '0-11', flexible: '9+'}, {
  responses: array('TopicProduceResponse', '0+', {
    name: field('string', '0+'),
    partitionResponses: array('PartitionProduceResponse', '0+', {
      index: field('int32', '0+'),
      errorCode: field('int16', '0+'),
      baseOffset: field('int64', '0+'),
      logAppendTimeMs: field('int64', '2+', {default: -1}),
      logStartOffset: field('int64', '5+', {default: -1}),
      recordErrors: array('BatchIndexAndErrorMessage', '8+', {
        batchIndex: field('int32', '8+'),
        batchIndexErrorMessage: field('string', '8+', {nullable: '8+', default: null}),
      }),
      errorMessage: field('string', '8+', {nullable: '8+', default: null}),
      currentLeader: struct(
        'LeaderIdAndEpoch',
        '10+',
        {
          leaderId: field('int32', '10+', {default: -1}),
          leaderEpoch: field('int32', '10+', {default: -1}),
        },
        {tag: 0, tagged: '10+'},
      ),
    }),
  }),
  throttleTimeMs: field('int32', '1+', {default: 0}),
  nodeEndpoints: array(
    'NodeEndpoint',
    '10+',
    {
      nodeId: field('int32', '10+'),
      host: field('string', '10+'),
      port: field('int32', '10+'),
      rack: field('string', '10+', {nullable: '10+', default: null}),
    },
    {tag: 0, tagged: '10+'},
  ),
})

export type ProduceRequest = MessageValue<typeof ProduceRequestSchema>
export type TopicProduceData = ProduceRequest['topicData'][number]
export type PartitionProduceData = TopicProduceData['partitionData'][number]
export type ProduceResponse = MessageValue<typeof ProduceResponseSchema>
export type TopicProduceResponse = ProduceResponse['responses'][number]
export type PartitionProduceResponse = TopicProduceResponse['partitionResponses'][number]
export type BatchIndexAndErrorMessage = PartitionProduceResponse['recordErrors'][number]
/** Also the shape of FetchResponse's CurrentLeader. */
export type LeaderIdAndEpoch = PartitionProduceResponse['currentLeader']
/** Also the shape of FetchResponse's NodeEndpoints. */
export type NodeEndpoint = ProduceResponse['nodeEndpoints'][number]
