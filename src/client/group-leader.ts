// The elected leader's part of a join round: read every member's subscription, learn how many
// partitions each subscribed topic has, run the chosen assignor and encode each member's share for
// SyncGroup. Members of other clients (Java, librdkafka, kafkajs) speak the same formats.
import type {JoinGroupResponseMember, SyncGroupRequestAssignment} from '../protocol/index.js'
import type {PartitionAssignor} from './assignors/index.js'
import type {Cluster} from './cluster.js'
import {WeirError} from './errors.js'
import {encodeMemberAssignment, memberSubscription} from './group-subscription.js'

export async function assignmentsAsLeader(cluster: Cluster, assignors: readonly PartitionAssignor[], protocol: string,
  members: readonly JoinGroupResponseMember[]): Promise<SyncGroupRequestAssignment[]> {
  const assignor = assignors.find((a) => a.name === protocol)
  if (!assignor) throw new WeirError('WEIR_ERR_ASSIGNOR', `the group chose assignor '${protocol}', which this consumer did not offer`)
  const subscriptions = members.map((m) => memberSubscription(m.memberId, m.groupInstanceId, m.metadata))
  const topics = [...new Set(subscriptions.flatMap((s) => s.topics))]
  const response = await cluster.metadata(topics)
  const counts = new Map<string, number>()
  for (const topic of response.topics) {
    if (topic.name !== null && topic.errorCode === 0 && topic.partitions.length > 0) counts.set(topic.name, topic.partitions.length)
  }
  const assigned = assignor.assign(subscriptions, counts)
  return subscriptions.map((s) => ({memberId: s.memberId, assignment: encodeMemberAssignment(assigned.get(s.memberId) ?? [])}))
}
