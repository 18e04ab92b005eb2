import {field, message, type MessageValue} from '../schema.js'

// InitProducerId (22). A null TransactionalId asks for an idempotent producer id; with one, the
// coordinator bumps the epoch (fencing older instances). v1 same as v0; v2 flexible; v3
// ProducerId and ProducerEpoch, so a producer may resume after INVALID_PRODUCER_EPOCH; v4
// PRODUCER_FENCED; v5 TRANSACTION_ABORTABLE.

export const InitProducerIdRequestSchema = message('InitProducerIdRequest', {apiKey: 22, versions: '0-5', flexible: '2+'}, {
  transactionalId: field('string', '0+', {nullable: '0+'}),
  transactionTimeoutMs: field('int32', '0+'),
  producerId: field('int64', '3+', {default: -1}),
  producerEpoch: field('int16', '3+', {default: -1}),
})

export const InitProducerIdResponseSchema = message('InitProducerIdResponse', {apiKey: 22, versions: '0-5', flexible: '2+'}, {
  throttleTimeMs: field('int32', '0+'),
  errorCode: field('int16', '0+'),
  producerId: field('int64', '0+', {default: -1}),
  producerEpoch: field('int16', '0+'),
})

export type InitProducerIdRequest = MessageValue<typeof InitProducerIdRequestSchema>
export type InitProducerIdResponse = MessageValue<typeof InitProducerIdResponseSchema>
