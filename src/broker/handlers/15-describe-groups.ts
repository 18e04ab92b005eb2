/**
 * DescribeGroups (key 15), versions 0-5 (kafkajs sends 2, Java 5). Per group: state, protocol type,
 * and members with client id and host; the chosen protocol and each member's metadata and
 * assignment only while the group is Stable (as Kafka's summary). A group the coordinator does not
 * know answers error 0 with state "Dead" and no members; while the broker shuts down,
 * COORDINATOR_NOT_AVAILABLE.
 *
 * Version notes: v1 ThrottleTimeMs; v3 IncludeAuthorizedOperations: without ACLs every group
 * operation is allowed, so the answer is READ, DELETE and DESCRIBE (INT32_MIN when not asked);
 * v4 members' GroupInstanceId; v5 flexible.
 */
import {ApiKey, ErrorCode, type DescribeGroupsRequest, type DescribeGroupsResponse, type DescribedGroup} from '../../protocol/index.js'
import type {BrokerContext} from '../context.js'
import {registerHandler} from '../registry.js'

/** AclOperation codes READ (3), DELETE (6), DESCRIBE (8) as bits: what any client may do to a group here. */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8)
/** AuthorizedOperations when the client did not ask for them. */
const OPERATIONS_NOT_REQUESTED = -2147483648

export const describeGroupsHandler = registerHandler({
  apiKey: ApiKey.DescribeGroups,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 5,
  async handle(request: DescribeGroupsRequest, version: number, ctx: BrokerContext): Promise<DescribeGroupsResponse> {
    const authorizedOperations = version >= 3 && request.includeAuthorizedOperations ? GROUP_OPERATIONS : OPERATIONS_NOT_REQUESTED
    return {throttleTimeMs: 0, groups: request.groups.map(groupId => describe(groupId, authorizedOperations, ctx))}
  },
})

function describe(groupId: string, authorizedOperations: number, ctx: BrokerContext): DescribedGroup {
  if (ctx.closing()) {
    return {errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groupId, groupState: '', protocolType: '', protocolData: '',
      members: [], authorizedOperations}
  }
  return {errorCode: ErrorCode.NONE, ...ctx.groups.describeGroup(groupId), authorizedOperations}
}
