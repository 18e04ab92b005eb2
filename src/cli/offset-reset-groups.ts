import {KafkaProtocolError} from '../client/errors.js'
import {ErrorCode} from '../protocol/index.js'
import {CliError} from './cli-errors.js'
import type {GroupSelection} from './offset-reset-scope.js'

/** The Admin group calls reset-offsets makes (the client's Admin has them). */
export interface ResetGroupAdmin {
  listGroups(options?: {states?: string[]}): Promise<{groupId: string; state: string; protocolType: string}[]>
  describeGroups(groupIds: string[]): Promise<{groupId: string; errorCode: number; state: string}[]>
}

/** States in which a group's offsets may be reset: no member is consuming (Dead: the group does not exist). */
const INACTIVE_STATES = new Set(['Empty', 'Dead'])

/**
 * The groups to reset: those named, or with --all-groups every consumer group (protocol type
 * "consumer", or none for groups that only hold offsets committed by tools), sorted.
 */
export async function selectedGroups(admin: ResetGroupAdmin, selection: GroupSelection): Promise<string[]> {
  if (selection.kind === 'named') return selection.groups
  const listings = await admin.listGroups()
  return listings.filter((group) => group.protocolType === 'consumer' || group.protocolType === '')
    .map((group) => group.groupId).sort()
}

/**
 * Refuses, before anything is read or changed, when a group has members: their positions would
 * overwrite the reset on their next commit, so Kafka allows resets of inactive groups only and
 * the coordinator would refuse the commit anyway. A group that does not exist may be given offsets.
 */
export async function checkGroupsInactive(admin: ResetGroupAdmin, groups: readonly string[]): Promise<void> {
  if (groups.length === 0) return
  for (const description of await admin.describeGroups([...groups])) {
    // Newer brokers answer GROUP_ID_NOT_FOUND for a group that does not exist instead of state Dead.
    if (description.errorCode === ErrorCode.GROUP_ID_NOT_FOUND) continue
    if (description.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(description.errorCode, `group ${description.groupId}`)
    if (!INACTIVE_STATES.has(description.state)) throw activeGroupError(description.groupId, description.state)
  }
}

/** Kafka's words for a group whose members are consuming. */
export function activeGroupError(group: string, state: string): CliError {
  return new CliError(`Assignments can only be reset if the group '${group}' is inactive, but the current state is ${state}.`,
    {code: 'WEIR_ERR_GROUP_ACTIVE', hint: `stop its consumers first (weir consumer-groups describe ${group} --members lists them)`})
}

/** The Admin call that commits a plan: OffsetCommit as an admin tool (no generation, no member). */
export interface ResetCommitAdmin {
  alterGroupOffsets(groupId: string, offsets: {topic: string; partition: number; offset: number}[]):
    Promise<{topic: string; partition: number; errorCode: number}[]>
}

/** A partition's answer to the commit of its group's offsets. */
export interface CommitAnswer {
  group: string
  topic: string
  partition: number
  errorCode: number
}

/** Commits each group's planned offsets, one OffsetCommit per group; per-partition answers come back. */
export async function commitPlannedOffsets(admin: ResetCommitAdmin,
  offsets: readonly {group: string; topic: string; partition: number; offset: number}[]): Promise<CommitAnswer[]> {
  const answers: CommitAnswer[] = []
  for (const group of new Set(offsets.map((offset) => offset.group))) {
    const changes = offsets.filter((offset) => offset.group === group).map(({topic, partition, offset}) => ({topic, partition, offset}))
    answers.push(...(await admin.alterGroupOffsets(group, changes)).map((answer) => ({...answer, group})))
  }
  return answers
}

/** Names of the errors with which a coordinator refuses an admin commit because the group has members again. */
const MEMBER_ERRORS: ReadonlySet<string> = new Set(['UNKNOWN_MEMBER_ID', 'ILLEGAL_GENERATION', 'REBALANCE_IN_PROGRESS'])

/** The failure for rows whose commit was refused, with the advice that fits the first one. */
export function commitFailure(rows: readonly {group: string; topic: string; partition: number; error: string | null}[]): CliError | null {
  const failed = rows.filter((row) => row.error !== null)
  if (failed.length === 0) return null
  const first = failed[0]!
  return new CliError(`could not commit ${failed.length} of ${rows.length} offsets: group '${first.group}' ${first.topic}/${first.partition} ${first.error}`, {
    code: 'WEIR_ERR_RESET_FAILED',
    ...(MEMBER_ERRORS.has(first.error!) ? {hint: 'the group has members again: stop them and run the command again'} : {}),
  })
}
