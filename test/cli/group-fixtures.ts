// Group descriptions for the consumer-groups formatting tests.
import type {GroupDescription} from '../../src/client/index.js'

export function description(fields: Partial<GroupDescription> = {}): GroupDescription {
  return {groupId: 'g', errorCode: 0, state: 'Stable', protocolType: 'consumer', protocol: 'range', coordinator: 1,
    coordinatorAddress: '127.0.0.1:9092', members: [], ...fields}
}

export function member(memberId: string, assignment: {topic: string; partitions: number[]}[] = []): GroupDescription['members'][number] {
  return {memberId, groupInstanceId: null, clientId: `c-${memberId}`, clientHost: '/127.0.0.1', assignment, subscribedTopics: []}
}
