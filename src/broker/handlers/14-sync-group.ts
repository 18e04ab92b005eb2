/**
 * SyncGroup (key 14), versions 0-5 (librdkafka and kafkajs send 3, kafka-python 2.0.2 sends 1,
 * Java 5). The leader sends every member's assignment; each member's SyncGroup is held until the
 * leader's has been written, then answered with its own assignment.
 *
 * Version notes: v1 ThrottleTimeMs; v3 GroupInstanceId; v4 flexible; v5 ProtocolType and
 * ProtocolName both ways: a request naming others than the group's gets INCONSISTENT_GROUP_PROTOCOL.
 */
import {ApiKey, type SyncGroupRequest, type SyncGroupResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

export const syncGroupHandler = registerHandler({
  apiKey: ApiKey.SyncGroup,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: SyncGroupRequest, version: number, ctx: BrokerContext): Promise<SyncGroupResponse> {
    const result = await ctx.groups.syncGroup({
      groupId: request.groupId,
      generationId: request.generationId,
      memberId: request.memberId,
      groupInstanceId: version >= 3 ? request.groupInstanceId : null,
      protocolType: version >= 5 ? request.protocolType : null,
      protocolName: version >= 5 ? request.protocolName : null,
      // Copies: the request's buffers are views of the connection's read chunks, which members outlive.
      assignments: request.assignments.map(({memberId, assignment}) => ({memberId, assignment: Buffer.from(assignment)})),
    })
    return {throttleTimeMs: 0, ...result}
  },
})
