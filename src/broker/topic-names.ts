/**
 * Kafka's topic name rules: 1 to 249 characters from [a-zA-Z0-9._-], not "." or "..", and not
 * equal to an existing topic's name once "." is read as "_" (the two collide in metric names).
 * Kafka's internal topics are created by the broker itself, never by clients.
 */
import {InvalidTopicError, validateTopicName} from '../storage/index.js'

const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state'])

export function isInternalTopic(name: string): boolean {
  return INTERNAL_TOPICS.has(name)
}

/** Why `name` is not a legal topic name, or null when it is (storage owns the rule: names become file names). */
export function invalidTopicName(name: string): string | null {
  try {
    validateTopicName(name)
    return null
  } catch (error) {
    if (error instanceof InvalidTopicError) return error.message
    throw error
  }
}

/** The existing topic `name` collides with ("." and "_" read alike), or null. */
export function collidingTopic(name: string, existing: Iterable<string>): string | null {
  const key = collisionKey(name)
  for (const other of existing) {
    if (other !== name && collisionKey(other) === key) return other
  }
  return null
}

function collisionKey(name: string): string {
  return name.replaceAll('.', '_')
}
