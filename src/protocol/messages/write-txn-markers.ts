import {array, field, message, type MessageValue} from '../schema.js'

// WriteTxnMarkers (27): a transaction coordinator asks partition leaders to write COMMIT or ABORT
// markers (TransactionResult true = COMMIT). Between brokers; v1 flexible.

export const WriteTxnMarkersRequestSchema = message('WriteTxnMarkersRequest', {apiKey: 27, versions: '0-1', flexible: '1+'}, {
  markers: array('WritableTxnMarker', '0+', {
    producerId: field('int64', '0+'),
    producerEpoch: field('int16', '0+'),
    transactionResult: field('bool', '0+'),
    topics: array('WritableTxnMarkerTopic', '0+', {
      name: field('string', '0+'),
      partitionIndexes: field('[]int32', '0+'),
    }),
    coordinatorEpoch: field('int32', '0+'),
  }),
})

export const WriteTxnMarkersResponseSchema = message('WriteTxnMarkersResponse', {apiKey: 27, versions: '0-1', flexible: '1+'}, {
  markers: array('WritableTxnMarkerResult', '0+', {
    producerId: field('int64', '0+'),
    topics: array('WritableTxnMarkerTopicResult', '0+', {
      name: field('string', '0+'),
      partitions: array('WritableTxnMarkerPartitionResult', '0+', {
        partitionIndex: field('int32', '0+'),
        errorCode: field('int16', '0+'),
      }),
    }),
  }),
})

export type WriteTxnMarkersRequest = MessageValue<typeof WriteTxnMarkersRequestSchema>
export type WritableTxnMarker = WriteTxnMarkersRequest['markers'][number]
export type WritableTxnMarkerTopic = WritableTxnMarker['topics'][number]
export type WriteTxnMarkersResponse = MessageValue<typeof WriteTxnMarkersResponseSchema>
export type WritableTxnMarkerResult = WriteTxnMarkersResponse['markers'][number]
export type WritableTxnMarkerTopicResult = WritableTxnMarkerResult['topics'][number]
export type WritableTxnMarkerPartitionResult = WritableTxnMarkerTopicResult['partitions'][number]
