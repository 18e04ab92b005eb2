import {array, data, field, type DataValue} from './schema.js'
import {type Versioned, versionedCodec} from './versioned-data.js'

/**
 * The consumer protocol: what members of a group of ProtocolType "consumer" put in the opaque
 * bytes of the group APIs (Kafka's ConsumerProtocolSubscription.json and
 * ConsumerProtocolAssignment.json). The broker never needs them to run a group; it reads them to
 * show members' subscriptions and assignments, and Weir's own consumer writes them.
 *
 * - Subscription, each member's JoinGroup protocol metadata (one per assignor it offers):
 *   version int16 | Topics [STRING] | UserData NULLABLE_BYTES
 *   | v1 OwnedPartitions [Topic STRING, Partitions [INT32]] | v2 GenerationId INT32
 *   | v3 RackId NULLABLE_STRING
 * - Assignment, the leader's SyncGroup bytes for each member, handed back to that member:
 *   version int16 | AssignedPartitions [Topic STRING, Partitions [INT32]] | UserData NULLABLE_BYTES
 *
 * Never flexible: classic int16 string lengths and int32 array and bytes lengths. Newer versions
 * only append fields, so a version above 3 is read as v3 and the rest ignored, as Kafka does.
 */

/** The ProtocolType of consumer groups, under which these formats are used. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer'

export const ConsumerProtocolSubscriptionSchema = data('ConsumerProtocolSubscription', {versions: '0-3', flexible: 'none'}, {
  topics: field('[]string', '0+'),
  userData: field('bytes', '0+', {nullable: '0+', default: null}),
  ownedPartitions: array('TopicPartition', '1+', {
    topic: field('string', '1+'),
    partitions: field('[]int32', '1+'),
  }),
  generationId: field('int32', '2+', {default: -1}),
  rackId: field('string', '3+', {nullable: '3+', default: null}),
})

export const ConsumerProtocolAssignmentSchema = data('ConsumerProtocolAssignment', {versions: '0-3', flexible: 'none'}, {
  assignedPartitions: array('TopicPartition', '0+', {
    topic: field('string', '0+'),
    partitions: field('[]int32', '0+'),
  }),
  userData: field('bytes', '0+', {nullable: '0+', default: null}),
})

export type ConsumerProtocolSubscription = DataValue<typeof ConsumerProtocolSubscriptionSchema>
export type ConsumerProtocolAssignment = DataValue<typeof ConsumerProtocolAssignmentSchema>
/** Kafka's TopicPartition of both formats: a topic and some of its partitions. */
export type ConsumerProtocolTopicPartition = ConsumerProtocolAssignment['assignedPartitions'][number]

/** The highest version of both formats, the one recent Java consumers send. */
export const CONSUMER_PROTOCOL_VERSION = 3

const subscriptionCodec = versionedCodec(ConsumerProtocolSubscriptionSchema, 'read-as-highest')
const assignmentCodec = versionedCodec(ConsumerProtocolAssignmentSchema, 'read-as-highest')

/** Fields left out take Kafka's defaults: no user data, no owned partitions, generation -1, no rack. */
export type SubscriptionFields = Pick<ConsumerProtocolSubscription, 'topics'> & Partial<ConsumerProtocolSubscription>
export type AssignmentFields = Pick<ConsumerProtocolAssignment, 'assignedPartitions'> & Partial<ConsumerProtocolAssignment>

export function encodeSubscription(subscription: SubscriptionFields, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  return subscriptionCodec.encode(subscription as ConsumerProtocolSubscription, version)
}

/** Throws a ProtocolError for bytes that are not a subscription (too short, negative version). */
export function decodeSubscription(bytes: Buffer): Versioned<ConsumerProtocolSubscription> {
  return subscriptionCodec.decode(bytes)
}

export function encodeAssignment(assignment: AssignmentFields, version = CONSUMER_PROTOCOL_VERSION): Buffer {
  return assignmentCodec.encode(assignment as ConsumerProtocolAssignment, version)
}

/**
 * Zero bytes, what a member gets when the leader gave it nothing (or with an error), are read as
 * an empty v0 assignment, as librdkafka reads them; other bytes that are not an assignment throw a
 * ProtocolError.
 */
export function decodeAssignment(bytes: Buffer): Versioned<ConsumerProtocolAssignment> {
  if (bytes.length === 0) return {version: 0, value: {assignedPartitions: [], userData: null}}
  return assignmentCodec.decode(bytes)
}
