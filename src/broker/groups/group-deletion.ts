/**
 * Removing a group for good (DeleteGroups, or an Empty group whose last offset is gone): only an
 * Empty group may go. It is Dead while its records are tombstoned (requests meanwhile get
 * COORDINATOR_NOT_AVAILABLE and retry), then forgotten. When the tombstones cannot be written the
 * group comes back Empty and the write's error is the answer.
 */
import {ErrorCode} from '../../protocol/index.js'
import {ClassicGroup} from './classic-group.js'
import {groupMetadataErrorOf} from './group-log-writer.js'
import {GroupState} from './group-states.js'
import type {GroupStore} from './group-store.js'

/** Deletes `groupId` from `groups` and the store; its error code (NONE when gone). */
export async function deleteGroup(groups: Map<string, ClassicGroup>, store: GroupStore, groupId: string, now: number): Promise<number> {
  const group = groups.get(groupId)
  if (group === undefined || group.is(GroupState.Dead)) return ErrorCode.GROUP_ID_NOT_FOUND
  if (!group.is(GroupState.Empty)) return ErrorCode.NON_EMPTY_GROUP
  group.cancelTimers()
  group.transitionTo(GroupState.Dead, now)
  try {
    await store.deleteGroup(groupId)
  } catch (error) {
    if (groups.get(groupId) === group) groups.set(groupId, emptyAgain(group, now))
    return groupMetadataErrorOf(error)
  }
  if (groups.get(groupId) === group) groups.delete(groupId)
  return ErrorCode.NONE
}

/** A group that could not be deleted, as it was before: Empty, same generation and protocol type. */
function emptyAgain(dead: ClassicGroup, now: number): ClassicGroup {
  const group = new ClassicGroup(dead.groupId, now)
  group.generationId = dead.generationId
  group.protocolType = dead.protocolType
  return group
}
