// Topic administration and offset lookups. Per-topic failures come back as Kafka error codes in the
// results (the caller decides what is fatal: "already exists" may be fine); transport failures throw.
import {ApiKey, ErrorCode, ZERO_UUID, errorInfo, type ListOffsetsResponse} from '../protocol/index.js'
import type {Cluster, TopicMetadata} from './cluster.js'
import {KafkaProtocolError, unknownPartitionError} from './errors.js'
import {backoffMs, sleep} from './retry.js'

export interface TopicSpec {
  name: string
  /** -1 lets the broker choose (CreateTopics v4+). */
  partitions: number
  /** Default: -1 (broker default) where the broker supports CreateTopics v4+, else 1. */
  replicationFactor?: number
  configs?: Record<string, string>
}

export interface TopicResult {
  name: string
  errorCode: number
  errorMessage: string | null
}

export interface TopicListing {
  name: string
  partitions: number
  internal: boolean
}

export interface TopicDescription {
  name: string
  topicId: string
  errorCode: number
  internal: boolean
  partitions: {partition: number; leader: number; replicas: number[]; isr: number[]}[]
}

/** 'earliest' = log start, 'latest' = high watermark, a number = first offset with timestamp >= it. */
export type OffsetSpec = 'earliest' | 'latest' | number

const EARLIEST_TIMESTAMP = -2
const LATEST_TIMESTAMP = -1
/** Attempts for requests answered NOT_CONTROLLER or with a retriable partition error. */
const ADMIN_ATTEMPTS = 5

export class Admin {
  constructor(private readonly cluster: Cluster) {}

  /** Creates topics on the controller. */
  async createTopics(specs: TopicSpec[]): Promise<TopicResult[]> {
    if (specs.length === 0) return []
    return this.onController(specs.map((spec) => spec.name), async (names) => {
      const broker = await this.cluster.controllerConnection()
      const version = broker.versions.version(ApiKey.CreateTopics)
      const defaultReplication = version >= 4 ? -1 : 1
      const response = await broker.connection.request(ApiKey.CreateTopics, version, {
        topics: specs
          .filter((spec) => names.includes(spec.name))
          .map((spec) => ({
            name: spec.name,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor ?? defaultReplication,
            assignments: [],
            configs: Object.entries(spec.configs ?? {}).map(([name, value]) => ({name, value})),
          })),
        timeoutMs: this.cluster.requestTimeoutMs,
        validateOnly: false,
      })
      return response.topics.map((topic) => ({name: topic.name, errorCode: topic.errorCode, errorMessage: topic.errorMessage}))
    })
  }

  /** Deletes topics on the controller. */
  async deleteTopics(names: string[]): Promise<TopicResult[]> {
    if (names.length === 0) return []
    return this.onController(names, async (remaining) => {
      const broker = await this.cluster.controllerConnection()
      const version = broker.versions.version(ApiKey.DeleteTopics)
      const response = await broker.connection.request(ApiKey.DeleteTopics, version, {
        topics: remaining.map((name) => ({name, topicId: ZERO_UUID})), // v6+
        topicNames: remaining, // v0-5
        timeoutMs: this.cluster.requestTimeoutMs,
      })
      return response.responses.map((topic) => ({name: topic.name ?? '', errorCode: topic.errorCode, errorMessage: topic.errorMessage}))
    })
  }

  /** Every topic the broker reports, sorted by name. */
  async listTopics(): Promise<TopicListing[]> {
    const response = await this.cluster.metadata(null)
    return response.topics
      .filter((topic) => topic.errorCode === ErrorCode.NONE && topic.name !== null)
      .map((topic) => ({name: topic.name!, partitions: topic.partitions.length, internal: topic.isInternal}))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** One description per requested name, in order; an unknown topic has errorCode 3. */
  async describeTopics(names: string[]): Promise<TopicDescription[]> {
    if (names.length === 0) return []
    const response = await this.cluster.metadata(names)
    return names.map((name) => {
      const topic = response.topics.find((t) => t.name === name)
      if (!topic) return {name, topicId: ZERO_UUID, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, internal: false, partitions: []}
      return {
        name,
        topicId: topic.topicId,
        errorCode: topic.errorCode,
        internal: topic.isInternal,
        partitions: topic.partitions
          .map((p) => ({partition: p.partitionIndex, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes}))
          .sort((a, b) => a.partition - b.partition),
      }
    })
  }

  /**
   * Offsets of partitions of one topic, asked of each partition's leader. A timestamp with no record at
   * or after it maps to -1. Errors that outlive retries (an unknown partition, say) are thrown as a
   * KafkaProtocolError naming topic/partition: the result has no room for per-partition codes.
   */
  async listOffsets(topic: string, partitions: number[], spec: OffsetSpec): Promise<Map<number, number>> {
    const timestamp = spec === 'earliest' ? EARLIEST_TIMESTAMP : spec === 'latest' ? LATEST_TIMESTAMP : spec
    const offsets = new Map<number, number>()
    let remaining = [...new Set(partitions)]
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoffMs(attempt - 1, 100), this.cluster.signal)
      const [metadata] = await this.cluster.readyTopics([topic])
      checkPartitionsExist(metadata!, remaining)
      const retry: {partition: number; errorCode: number}[] = []
      await Promise.all(
        groupByLeader(this.cluster, topic, remaining).map(async ([leader, group]) => {
          const response = await this.listOffsetsOn(leader, topic, group, timestamp)
          for (const result of response.topics.flatMap((t) => t.partitions)) {
            if (result.errorCode === ErrorCode.NONE) offsets.set(result.partitionIndex, result.offset)
            else if (errorInfo(result.errorCode).retriable) retry.push({partition: result.partitionIndex, errorCode: result.errorCode})
            else throw new KafkaProtocolError(result.errorCode, `${topic}/${result.partitionIndex}`)
          }
        }),
      )
      remaining = remaining.filter((p) => !offsets.has(p))
      if (remaining.length > 0 && attempt + 1 >= ADMIN_ATTEMPTS) {
        const failed = retry[0] ?? {partition: remaining[0]!, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR}
        throw new KafkaProtocolError(failed.errorCode, `${topic}/${failed.partition}`)
      }
    }
    return offsets
  }

  private async listOffsetsOn(leader: number, topic: string, partitions: number[], timestamp: number): Promise<ListOffsetsResponse> {
    const broker = await this.cluster.connectionTo(leader)
    const version = broker.versions.version(ApiKey.ListOffsets)
    return broker.connection.request(ApiKey.ListOffsets, version, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [
        {
          name: topic,
          partitions: partitions.map((partitionIndex) => ({partitionIndex, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1})),
        },
      ],
      timeoutMs: this.cluster.requestTimeoutMs,
    })
  }

  /**
   * Runs a controller request for `names`; topics answered NOT_CONTROLLER (the controller moved) are sent
   * again after a metadata refresh. Results come back in the order of `names`.
   */
  private async onController(names: string[], send: (names: string[]) => Promise<TopicResult[]>): Promise<TopicResult[]> {
    const results = new Map<string, TopicResult>()
    let remaining = names
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 0) {
        await sleep(backoffMs(attempt - 1, 100), this.cluster.signal)
        await this.cluster.metadata([])
      }
      for (const result of await send(remaining)) results.set(result.name, result)
      const last = attempt + 1 >= ADMIN_ATTEMPTS
      remaining = remaining.filter((name) => !last && results.get(name)?.errorCode === ErrorCode.NOT_CONTROLLER)
    }
    return names.map(
      (name) => results.get(name) ?? {name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'the broker did not answer for this topic'},
    )
  }
}

function checkPartitionsExist(topic: TopicMetadata, partitions: number[]): void {
  const missing = partitions.find((p) => !topic.partitions.some((known) => known.partition === p))
  if (missing !== undefined) throw unknownPartitionError(topic.name, missing, topic.partitions.length)
}

/** Partitions grouped by the node leading them (leaders are known: the topic is ready). */
export function groupByLeader(cluster: Cluster, topic: string, partitions: number[]): [number, number[]][] {
  const groups = new Map<number, number[]>()
  for (const partition of partitions) {
    const leader = cluster.leaderFor(topic, partition)
    let group = groups.get(leader)
    if (!group) groups.set(leader, (group = []))
    group.push(partition)
  }
  return [...groups]
}
