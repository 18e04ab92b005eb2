/**
 * Heartbeat (key 12), versions 0-4 (librdkafka and kafkajs send 3, kafka-python 2.0.2 sends 1,
 * Java 4). Keeps the member's session alive; the error code tells it what to do: 0 carry on,
 * 27 rejoin (a rebalance runs), 22 / 25 its generation or id is stale, 82 a newer instance replaced it.
 *
 * Version notes: v1 ThrottleTimeMs; v3 GroupInstanceId; v4 flexible.
 */
import {ApiKey, type HeartbeatRequest, type HeartbeatResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

export const heartbeatHandler = registerHandler({
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  async handle(request: HeartbeatRequest, version: number, ctx: BrokerContext): Promise<HeartbeatResponse> {
    const groupInstanceId = version >= 3 ? request.groupInstanceId : null
    return {throttleTimeMs: 0, errorCode: ctx.groups.heartbeat(request.groupId, request.memberId, request.generationId, groupInstanceId)}
  },
})
