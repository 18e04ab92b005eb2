/**
 * ListGroups (key 16), versions 0-5 (kafkajs sends 2, Java 4-5). Every group this node coordinates,
 * with its protocol type ("" for a group that only has offsets).
 *
 * Version notes: v1 ThrottleTimeMs; v3 flexible; v4 StatesFilter (empty = every state) and each
 * group's state; v5 TypesFilter and each group's type: every group here is "classic" (a filter
 * without "classic" lists none). Filters compare without case, as Kafka does.
 */
import {ApiKey, ErrorCode, type ListGroupsRequest, type ListGroupsResponse} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {CLASSIC_GROUP_TYPE} from '../groups/group-summary.js'
import {registerHandler} from '../registry.js'

export const listGroupsHandler = registerHandler({
  apiKey: ApiKey.ListGroups,
  name: 'ListGroups',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: ListGroupsRequest, version: number, ctx: BrokerContext): Promise<ListGroupsResponse> {
    if (ctx.closing()) return {throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: []}
    const states = version >= 4 ? request.statesFilter : []
    const types = version >= 5 ? request.typesFilter : []
    const groups = ctx.groups.listGroups(states, types).map(g => ({...g, groupType: CLASSIC_GROUP_TYPE}))
    return {throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups}
  },
})
