// The consumer protocol as a member speaks it: the metadata it offers for each assignor in JoinGroup
// (Kafka's Subscription, v3: topics, owned partitions and generation, for cooperative rebalancing) and
// what the leader reads back from every member's metadata, whichever client wrote it.
import {decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription} from '../protocol/index.js'
import type {MemberSubscription, PartitionAssignor, TopicPartitions} from './assignors/index.js'
import {MalformedResponseError} from './errors.js'

/** One JoinGroup protocol per assignor, in order of preference. */
export function joinProtocols(assignors: readonly PartitionAssignor[], topics: readonly string[], owned: readonly TopicPartitions[],
  generationId: number): {name: string; metadata: Buffer}[] {
  return assignors.map((assignor) => ({
    name: assignor.name,
    metadata: encodeSubscription({
      topics: [...topics],
      userData: assignor.subscriptionUserData(generationId),
      // Eager members give up everything before they rejoin, so they own nothing by then.
      ownedPartitions: assignor.rebalanceProtocol === 'cooperative' ? owned.map((tp) => ({...tp, partitions: [...tp.partitions]})) : [],
      generationId,
      rackId: null,
    }),
  }))
}

/**
 * A member's subscription from its JoinGroup metadata. Before v2 the generation is not a field:
 * cooperative-sticky members (Java, librdkafka) put it in UserData as one int32, which is read when
 * present; otherwise -1.
 */
export function memberSubscription(memberId: string, groupInstanceId: string | null, metadata: Buffer): MemberSubscription {
  let decoded
  try {
    decoded = decodeSubscription(metadata)
  } catch (error) {
    throw new MalformedResponseError(`member ${memberId} sent a subscription that is not Kafka's format: ${(error as Error).message}`)
  }
  const {version, value} = decoded
  let generationId = version >= 2 ? value.generationId : -1
  if (version < 2 && value.userData !== null && value.userData.length === 4) generationId = value.userData.readInt32BE(0)
  return {
    memberId,
    groupInstanceId,
    topics: value.topics,
    ownedPartitions: version >= 1 ? value.ownedPartitions : [],
    generationId,
  }
}

export function encodeMemberAssignment(partitions: readonly TopicPartitions[]): Buffer {
  return encodeAssignment({assignedPartitions: partitions.map((tp) => ({...tp, partitions: [...tp.partitions]})), userData: null})
}

/** The partitions the leader gave this member. */
export function decodeMemberAssignment(bytes: Buffer): TopicPartitions[] {
  try {
    return decodeAssignment(bytes).value.assignedPartitions
  } catch (error) {
    throw new MalformedResponseError(`the group's leader sent an assignment that is not Kafka's format: ${(error as Error).message}`)
  }
}
