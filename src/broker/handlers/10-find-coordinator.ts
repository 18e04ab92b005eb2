/**
 * FindCoordinator (key 10), versions 0-6 (librdkafka and kafkajs send 2, kafka-python 0, Java 4).
 *
 * This node coordinates every group (key type 0) and every transactional id (key type 1): the answer
 * is ctx.nodeId at the advertised address. An empty key, or a key type this broker has no
 * coordinator for (2, share groups), is INVALID_REQUEST; while the broker shuts down,
 * COORDINATOR_NOT_AVAILABLE (clients look again). Error answers name node -1, host "", port -1.
 *
 * Version notes: v1 KeyType, ThrottleTimeMs, ErrorMessage; v3 flexible; v4 batched: CoordinatorKeys
 * in, one Coordinator per key out; v5-v6 same shape (v6 adds key type 2).
 */
import {ApiKey, ErrorCode, type FindCoordinatorRequest, type FindCoordinatorResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

/** Key types this node coordinates: groups and transactions. */
const COORDINATED_KEY_TYPES = new Set([0, 1])

interface Found {
  nodeId: number
  host: string
  port: number
  errorCode: number
  errorMessage: string | null
}

export const findCoordinatorHandler = registerHandler({
  apiKey: ApiKey.FindCoordinator,
  name: 'FindCoordinator',
  minVersion: 0,
  maxVersion: 6,
  async handle(request: FindCoordinatorRequest, version: number, ctx: BrokerContext): Promise<FindCoordinatorResponse> {
    if (version >= 4) {
      const coordinators = request.coordinatorKeys.map(key => ({key, ...coordinatorOf(key, request.keyType, ctx)}))
      return {throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators}
    }
    return {throttleTimeMs: 0, ...coordinatorOf(request.key, request.keyType, ctx), coordinators: []}
  },
})

function coordinatorOf(key: string, keyType: number, ctx: BrokerContext): Found {
  if (!COORDINATED_KEY_TYPES.has(keyType)) return failed(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${keyType}`)
  if (key === '') return failed(ErrorCode.INVALID_REQUEST, 'the coordinator key is empty')
  if (ctx.closing()) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the broker is shutting down')
  return {nodeId: ctx.nodeId, host: ctx.advertised.host, port: ctx.advertised.port, errorCode: ErrorCode.NONE, errorMessage: null}
}

function failed(errorCode: number, errorMessage: string): Found {
  return {nodeId: -1, host: '', port: -1, errorCode, errorMessage}
}
