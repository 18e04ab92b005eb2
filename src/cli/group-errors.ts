import {ErrorCode, errorInfo} from '../protocol/index.js'
import {CliError} from './cli-errors.js'
import {missingGroupMessage} from './group-describe-view.js'

/** Kafka's exception messages for the answers group administration meets most, as its tools print them. */
const KAFKA_MESSAGES: Readonly<Record<number, string>> = {
  [ErrorCode.NON_EMPTY_GROUP]: 'The group is not empty',
  [ErrorCode.GROUP_ID_NOT_FOUND]: 'The group id does not exist',
  [ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC]: 'The consumer group is actively subscribed to the topic',
  [ErrorCode.INVALID_GROUP_ID]: 'The configured groupId is invalid',
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]: 'This server does not host this topic-partition',
}

/** `The group is not empty (NON_EMPTY_GROUP)`: Kafka's words, then the code name users search for. */
export function groupErrorText(errorCode: number): string {
  const info = errorInfo(errorCode)
  return `${KAFKA_MESSAGES[errorCode] ?? info.message.replace(/\.$/, '')} (${info.name})`
}

/** The error for groups `consumer-groups delete` could not delete, naming each with its reason. */
export function deleteGroupsError(failed: readonly {groupId: string; errorCode: number}[]): CliError {
  const reasons = failed.map(({groupId, errorCode}) => `Consumer group '${groupId}' could not be deleted: ${groupErrorText(errorCode)}`)
  const busy = failed.find((f) => f.errorCode === ErrorCode.NON_EMPTY_GROUP)
  const hint = busy ? `stop its consumers first; see who they are with: weir consumer-groups describe ${busy.groupId} --members`
    : 'list groups with: weir consumer-groups list'
  return new CliError(reasons.join('; '), {code: 'WEIR_ERR_GROUP_DELETE', hint})
}

/** One partition's outcome of `delete-offsets`, as printed and as --json gives it. */
export interface DeletedOffset {
  topic: string
  partition: number
  /** null when it succeeded. */
  error: string | null
}

/** kafka-consumer-groups --delete-offsets' table: TOPIC PARTITION STATUS. */
export function deletedOffsetRows(results: readonly {topic: string; partition: number; errorCode: number}[]): DeletedOffset[] {
  return results.map(({topic, partition, errorCode}) => ({topic, partition, error: errorCode === 0 ? null : errorInfo(errorCode).name}))
}

/** A failure of the whole delete-offsets request: the group is missing, or another group-level answer. */
export function deleteOffsetsGroupError(groupId: string, errorCode: number): CliError {
  if (errorCode === ErrorCode.GROUP_ID_NOT_FOUND) {
    return new CliError(missingGroupMessage(groupId), {code: 'WEIR_ERR_GROUP_NOT_FOUND', hint: 'list groups with: weir consumer-groups list'})
  }
  return new CliError(`Offsets of consumer group '${groupId}' could not be deleted: ${groupErrorText(errorCode)}`, {code: 'WEIR_ERR_GROUP_DELETE_OFFSETS'})
}
