// The fake cluster's answers to the topic APIs: Metadata (auto-creating topics when allowed; over a Unix
// socket each node advertises a TCP address nobody listens on), CreateTopics and DeleteTopics. Separate
// from fake-cluster.ts, which owns connections and dispatch, as fake-admin-apis.ts is.
import {ErrorCode, type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import type {FakeCluster} from './fake-cluster.js'

export function metadata(cluster: FakeCluster, request: RequestTypes[3]): ResponseTypes[3] {
  const unixAdvertised = cluster.nodes.length === 1 && 'socket' in cluster.nodes[0]!.address
  const brokers = cluster.nodes.map((node) => ({
    nodeId: node.nodeId,
    // Over the socket the node advertises a TCP address nobody listens on: clients must use the socket.
    host: '127.0.0.1',
    port: unixAdvertised ? 1 : (node.address as {port: number}).port,
    rack: null,
  }))
  const names = request.topics === null ? [...cluster.topics.keys()] : request.topics.map((t) => t.name!)
  const topics = names.map((name) => {
    let topic = cluster.topics.get(name)
    if (!topic && request.allowAutoTopicCreation && cluster.options.autoCreateTopics) topic = cluster.createTopic(name, 1)
    if (!topic) return {errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', isInternal: false, partitions: []}
    return {
      errorCode: 0,
      name,
      topicId: topic.topicId,
      isInternal: false,
      partitions: topic.partitions.map((_, index) => ({
        errorCode: 0,
        partitionIndex: index,
        leaderId: cluster.leaderOf(index),
        leaderEpoch: 0,
        replicaNodes: [cluster.leaderOf(index)],
        isrNodes: [cluster.leaderOf(index)],
        offlineReplicas: [],
      })),
    }
  })
  return {brokers, clusterId: 'fake', controllerId: cluster.options.controllerId ?? 1, topics} as unknown as ResponseTypes[3]
}

export function createTopics(cluster: FakeCluster, request: RequestTypes[19]): ResponseTypes[19] {
  const topics = request.topics.map((t) => {
    if (cluster.topics.has(t.name)) return {name: t.name, errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${t.name}' already exists.`}
    if (t.replicationFactor > cluster.nodes.length) {
      return {name: t.name, errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: 'not enough brokers'}
    }
    const topic = cluster.createTopic(t.name, t.numPartitions === -1 ? 1 : t.numPartitions)
    topic.configs = Object.fromEntries(t.configs.map(({name, value}) => [name, value ?? '']))
    return {name: t.name, topicId: topic.topicId, errorCode: 0, errorMessage: null, numPartitions: topic.partitions.length}
  })
  return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[19]
}

export function deleteTopics(cluster: FakeCluster, request: RequestTypes[20]): ResponseTypes[20] {
  const names = request.topicNames.length > 0 ? request.topicNames : request.topics.map((t) => t.name!)
  const responses = names.map((name) => {
    const existed = cluster.topics.delete(name)
    return {name, errorCode: existed ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null}
  })
  return {throttleTimeMs: 0, responses} as unknown as ResponseTypes[20]
}
