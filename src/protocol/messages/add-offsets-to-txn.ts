import {field, message, type MessageValue} from '../schema.js'

// AddOffsetsToTxn (25): the group whose offsets the transaction will commit (its __consumer_offsets
// partition joins the transaction). v1 same as v0; v2 PRODUCER_FENCED; v3 flexible; v4
// TRANSACTION_ABORTABLE.

export const AddOffsetsToTxnRequestSchema = message('AddOffsetsToTxnRequest', {apiKey: 25, versions: '0-4', flexible: '3+'}, {
  transactionalId: field('string', '0+'),
  producerId: field('int64', '0+'),
  producerEpoch: field('int16', '0+'),
  groupId: field('string', '0+'),
})

export const AddOffsetsToTxnResponseSchema = message('AddOffsetsToTxnResponse', {apiKey: 25, versions: '0-4', flexible: '3+'}, {
  throttleTimeMs: field('int32', '0+'),
  errorCode: field('int16', '0+'),
})

export type AddOffsetsToTxnRequest = MessageValue<typeof AddOffsetsToTxnRequestSchema>
export type AddOffsetsToTxnResponse = MessageValue<typeof AddOffsetsToTxnResponseSchema>
