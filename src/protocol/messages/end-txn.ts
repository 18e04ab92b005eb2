import {field, message, type MessageValue} from '../schema.js'

// EndTxn (26): commit or abort. v1 same as v0; v2 PRODUCER_FENCED; v3 flexible; v4
// TRANSACTION_ABORTABLE; v5 (transaction version 2, KIP-890 part 2, unstable in Kafka) bumps the
// epoch at every transaction, so the response carries ProducerId and ProducerEpoch.

export const EndTxnRequestSchema = message('EndTxnRequest', {apiKey: 26, versions: '0-5', flexible: '3+'}, {
  transactionalId: field('string', '0+'),
  producerId: field('int64', '0+'),
  producerEpoch: field('int16', '0+'),
  committed: field('bool', '0+'),
})

export const EndTxnResponseSchema = message('EndTxnResponse', {apiKey: 26, versions: '0-5', flexible: '3+'}, {
  throttleTimeMs: field('int32', '0+'),
  errorCode: field('int16', '0+'),
  producerId: field('int64', '5+', {default: -1}),
  producerEpoch: field('int16', '5+', {default: -1}),
})

export type EndTxnRequest = MessageValue<typeof EndTxnRequestSchema>
export type EndTxnResponse = MessageValue<typeof EndTxnResponseSchema>
