/**
 * Rules shared by CreateTopics, CreatePartitions and Metadata's auto-creation: which names may be
 * created, the most partitions a topic may have, and a create that tolerates a concurrent creator
 * of the same topic.
 */
import {ErrorCode} from '../protocol/index.js'
import {TopicExistsError, type LogManager, type TopicMetadata} from '../storage/index.js'
import {collidingTopic, invalidTopicName, isInternalTopic} from './topic-names.js'

/** Each partition is a directory with open files: refuse counts that can only be mistakes. */
export const MAX_PARTITIONS = 10_000

export type NameCheck = {ok: true} | {ok: false; errorCode: number; message: string}

/** Whether a client may create `name` now: legal, not internal, not taken, no "."/"_" collision. */
export function checkNewTopicName(name: string, logs: LogManager): NameCheck {
  const invalid = invalidTopicName(name)
  if (invalid !== null) return {ok: false, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, message: invalid}
  if (isInternalTopic(name)) {
    return {ok: false, errorCode: ErrorCode.INVALID_REQUEST, message: `${name} is an internal topic: the broker creates it`}
  }
  if (logs.topic(name) !== undefined) {
    return {ok: false, errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, message: `topic ${name} already exists`}
  }
  const collision = collidingTopic(name, logs.topics().map(t => t.name))
  if (collision !== null) {
    return {ok: false, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION,
      message: `topic ${name} collides with existing topic ${collision} ('.' and '_' are read alike)`}
  }
  return {ok: true}
}

/**
 * Creates the topic; when a concurrent request created it first, returns that one instead, and
 * null while that other request is still creating it (storage holds the name but has no topic yet).
 */
export async function createOrGetTopic(logs: LogManager,
  spec: {name: string; partitions: number; configs: Record<string, string>}): Promise<TopicMetadata | null> {
  try {
    return await logs.createTopic(spec)
  } catch (error) {
    if (!(error instanceof TopicExistsError)) throw error
    return logs.topic(spec.name) ?? null
  }
}
