/**
 * JoinGroup (key 11), versions 0-9 (librdkafka and kafkajs send 5, kafka-python 2.0.2 sends 2,
 * Java 9). The group logic is the coordinator's (src/broker/groups); this file maps versions.
 *
 * Version notes: v0 has no RebalanceTimeoutMs (the session timeout serves, as in Kafka); from v4 a
 * member joining without a member id gets MEMBER_ID_REQUIRED (79) with its id and joins again;
 * v5 GroupInstanceId (static membership); v6 flexible; v7 ProtocolType in the answer and a
 * nullable ProtocolName (null on errors; "" before v7); v8 Reason (added to the
 * rebalance's log line); v9 SkipAssignment (true only for a static leader rejoining a Stable group).
 *
 * Members are named `<client id>-<uuid>` after the request header's client id, and recorded with
 * their connection's client host (see BrokerContext.clientHost).
 */
import {ApiKey, type JoinGroupRequest, type JoinGroupResponse, type RequestHeader} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {LOCAL_CLIENT_HOST} from '../groups/client-host.js'
import {registerHandler} from '../registry.js'

export const joinGroupHandler = registerHandler({
  apiKey: ApiKey.JoinGroup,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  async handle(request: JoinGroupRequest, version: number, ctx: BrokerContext, header: RequestHeader): Promise<JoinGroupResponse> {
    const result = await ctx.groups.joinGroup({
      groupId: request.groupId,
      memberId: request.memberId,
      groupInstanceId: version >= 5 ? request.groupInstanceId : null,
      clientId: header.clientId ?? '',
      clientHost: ctx.clientHost ?? LOCAL_CLIENT_HOST,
      rebalanceTimeoutMs: version === 0 ? request.sessionTimeoutMs : request.rebalanceTimeoutMs,
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocolType: request.protocolType,
      // Copies: the request's buffers are views of the connection's read chunks, which members outlive.
      protocols: request.protocols.map(({name, metadata}) => ({name, metadata: Buffer.from(metadata)})),
      requireKnownMemberId: version >= 4,
      supportSkippingAssignment: version >= 9,
      reason: version >= 8 ? request.reason : null,
    })
    return {
      throttleTimeMs: 0,
      errorCode: result.errorCode,
      generationId: result.generationId,
      protocolType: result.protocolType,
      protocolName: version >= 7 ? result.protocolName : result.protocolName ?? '',
      leader: result.leader,
      skipAssignment: result.skipAssignment,
      memberId: result.memberId,
      members: result.members,
    }
  },
})
