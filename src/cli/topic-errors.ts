import {KafkaProtocolError} from '../client/errors.js'
import {ErrorCode} from '../protocol/index.js'
import {CliError, UsageError} from './cli-errors.js'

/** Codes of the two per-topic failures that --if-exists / --if-not-exists turn into no-ops. */
export const TOPIC_EXISTS = 'WEIR_ERR_TOPIC_EXISTS'
export const UNKNOWN_TOPIC = 'WEIR_ERR_UNKNOWN_TOPIC'

/** One topic's outcome in an admin response. */
export interface TopicOutcome {
  name: string
  errorCode: number
  errorMessage?: string | null
}

/**
 * The error for a failed per-topic admin result, worded for the two cases users meet most
 * (the topic exists / does not exist) with the flag that makes them a no-op; any other Kafka
 * error code keeps its Kafka name and the broker's message.
 */
export function topicError(result: TopicOutcome, missingHint = 'list topics with: weir topics list'): Error {
  if (result.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS) {
    return new CliError(`topic '${result.name}' already exists`, {code: TOPIC_EXISTS, hint: 'pass --if-not-exists to accept an existing topic'})
  }
  if (result.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
    return new CliError(`topic '${result.name}' does not exist`, {code: UNKNOWN_TOPIC, hint: missingHint})
  }
  return new KafkaProtocolError(result.errorCode, `topic ${result.name}`, result.errorMessage ?? null)
}

/** Whether `error` carries the stable code `code`. */
export function hasCode(error: unknown, code: string): boolean {
  return (error as {code?: unknown} | null)?.code === code
}

/**
 * A missing topic or partition said as consume and topics say it: the topic's absence in their
 * words, a partition the topic lacks as a usage error (exit 2). Other failures pass unchanged.
 */
export function deliveryError(error: unknown, topic: string): unknown {
  if (!(error instanceof KafkaProtocolError) || error.kafkaCode !== ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) return error
  if (error.subject === `topic ${topic}`) return topicError({name: topic, errorCode: error.kafkaCode})
  const partition = error.subject.startsWith(`${topic}/`) ? error.subject.slice(topic.length + 1) : null
  return partition === null ? error : new UsageError(`topic ${topic} has no partition ${partition}`, 'see: weir topics describe ' + topic)
}
