/**
 * The classic group's states and the moves between them (Kafka's GroupState):
 *
 *   Empty               no members (the group may still have committed offsets)
 *   PreparingRebalance  joins are held until every known member rejoined or the rebalance timeout passed
 *   CompletingRebalance the generation is chosen; members' SyncGroups are held until the leader's arrives
 *   Stable              every member has its assignment; heartbeats answer 0
 *   Dead                the group is being removed (deleted, or its offsets all expired)
 */
import type {GroupStateName} from './group-membership.js'

export const GroupState = {
  Empty: 'Empty',
  PreparingRebalance: 'PreparingRebalance',
  CompletingRebalance: 'CompletingRebalance',
  Stable: 'Stable',
  Dead: 'Dead',
} as const satisfies Record<GroupStateName, GroupStateName>

/** The states a group may move to each state from. */
const VALID_PREVIOUS: Readonly<Record<GroupStateName, readonly GroupStateName[]>> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
}

/** Thrown on a move the state machine does not allow: a bug in the coordinator, never a client's doing. */
export class IllegalGroupTransition extends Error {}

export function checkTransition(groupId: string, from: GroupStateName, to: GroupStateName): void {
  if (!VALID_PREVIOUS[to].includes(from)) {
    throw new IllegalGroupTransition(`group ${groupId} cannot move from ${from} to ${to}`)
  }
}
