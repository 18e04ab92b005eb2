/**
 * DeleteGroups (key 42), versions 0-2 (kafkajs sends 1, Java 2). Deletes Empty groups: their
 * metadata and every committed offset are tombstoned in __consumer_offsets before the answer.
 * Per group: a group with members -> NON_EMPTY_GROUP (68), one the coordinator does not know ->
 * GROUP_ID_NOT_FOUND (69), an empty group id -> INVALID_GROUP_ID (24); a failed write answers as
 * Kafka maps append errors (COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR for a disk error).
 *
 * Version notes: v1 same as v0; v2 flexible.
 */
import {ApiKey, type DeleteGroupsRequest, type DeleteGroupsResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

export const deleteGroupsHandler = registerHandler({
  apiKey: ApiKey.DeleteGroups,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 2,
  async handle(request: DeleteGroupsRequest, _version: number, ctx: BrokerContext): Promise<DeleteGroupsResponse> {
    return {throttleTimeMs: 0, results: await ctx.groups.deleteGroups(request.groupsNames)}
  },
})
