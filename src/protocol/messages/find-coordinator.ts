import {array, field, message, type MessageValue} from '../schema.js'

// FindCoordinator (10). KeyType 0 = group, 1 = transaction (v1), 2 = share group (v6). v1 also
// ThrottleTimeMs and ErrorMessage; v3 flexible; v4 batched: CoordinatorKeys in, one Coordinator
// per key out (the single Key and top-level answer fields end at v3); v5 TRANSACTION_ABORTABLE.

export const FindCoordinatorRequestSchema = message('FindCoordinatorRequest', {apiKey: 10, versions: '0-6', flexible: '3+'}, {
  key: field('string', '0-3'),
  keyType: field('int8', '1+', {default: 0}),
  coordinatorKeys: field('[]string', '4+'),
})

export const FindCoordinatorResponseSchema = message('FindCoordinatorResponse', {apiKey: 10, versions: '0-6', flexible: '3+'}, {
  throttleTimeMs: field('int32', '1+'),
  errorCode: field('int16', '0-3'),
  errorMessage: field('string', '1-3', {nullable: '1-3'}),
  nodeId: field('int32', '0-3'),
  host: field('string', '0-3'),
  port: field('int32', '0-3'),
  coordinators: array('Coordinator', '4+', {
    key: field('string', '4+'),
    nodeId: field('int32', '4+'),
    host: field('string', '4+'),
    port: field('int32', '4+'),
    errorCode: field('int16', '4+'),
    errorMessage: field('string', '4+', {nullable: '4+'}),
  }),
})

export type FindCoordinatorRequest = MessageValue<typeof FindCoordinatorRequestSchema>
export type FindCoordinatorResponse = MessageValue<typeof FindCoordinatorResponseSchema>
export type Coordinator = FindCoordinatorResponse['coordinators'][number]
