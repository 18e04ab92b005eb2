// Topic administration and offset lookups. Per-topic failures come back as Kafka error codes in the
// results (the caller decides what is fatal: "already exists" may be fine); transport failures throw.
import {ApiKey, ErrorCode, ZERO_UUID, errorInfo, type ListOffsetsResponse} from '../protocol/index.js'
import {
  alterConfigsOn, answeringConnection, applyOperations, describeConfigsOn, groupByAnsweringNode, incrementalAlterConfigsOn, overridesOf,
  resourceKey, type ConfigDescription, type ConfigOperation, type ConfigResource, type ConfigResult, type DescribeConfigsOptions,
} from './admin-configs.js'
import {
  GroupAdmin, type GroupDescription, type GroupListing, type GroupOffset, type GroupOffsetChange, type GroupPartitionResult,
} from './admin-groups.js'
import {
  TransactionAdmin, type ListTransactionsOptions, type PartitionProducers, type TransactionDescription, type TransactionListing,
} from './admin-transactions.js'
import type {BrokerConnection, Cluster, TopicMetadata} from './cluster.js'
import {CoordinatorLookup} from './coordinator-lookup.js'
import {KafkaProtocolError, unknownPartitionError} from './errors.js'
import {isolationLevelId, type IsolationLevel} from './fetch-request.js'
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

export interface DeleteRecordsResult {
  partition: number
  errorCode: number
  /** The partition's new log start offset; -1 when it failed. */
  lowWatermark: number
}

/** One partition's answer in a per-partition request: its error code and the value asked for. */
interface PartitionAnswer {
  partition: number
  errorCode: number
  value: number
}

/** 'earliest' = log start, 'latest' = high watermark, a number = first offset with timestamp >= it. */
export type OffsetSpec = 'earliest' | 'latest' | number

const EARLIEST_TIMESTAMP = -2
const LATEST_TIMESTAMP = -1
/** Attempts for requests answered NOT_CONTROLLER or with a retriable partition error. */
const ADMIN_ATTEMPTS = 5

export class Admin {
  private readonly groups: GroupAdmin
  private readonly transactions: TransactionAdmin

  constructor(private readonly cluster: Cluster) {
    const lookup = new CoordinatorLookup(cluster)
    this.groups = new GroupAdmin(cluster, lookup)
    this.transactions = new TransactionAdmin(cluster, lookup)
  }

  /** The transactional ids every broker coordinates, sorted by id (admin-transactions.ts). */
  listTransactions(options?: ListTransactionsOptions): Promise<TransactionListing[]> {
    return this.transactions.listTransactions(options)
  }

  /** One description per id, in order, from each id's transaction coordinator. */
  describeTransactions(transactionalIds: string[]): Promise<TransactionDescription[]> {
    return this.transactions.describeTransactions(transactionalIds)
  }

  /** The active producers of partitions of a topic, from their leaders, in partition order. */
  describeProducers(topic: string, partitions: number[]): Promise<PartitionProducers[]> {
    return this.transactions.describeProducers(topic, partitions)
  }

  /** Every group of every broker, sorted by id; `states` keeps only groups in those states. */
  listGroups(options?: {states?: string[]}): Promise<GroupListing[]> {
    return this.groups.listGroups(options)
  }

  /** One description per id, in order, from each group's coordinator; unknown groups are "Dead". */
  describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    return this.groups.describeGroups(groupIds)
  }

  /** A group's committed offsets (of `topics` only, when given), sorted by topic and partition. */
  listGroupOffsets(groupId: string, topics?: string[]): Promise<GroupOffset[]> {
    return this.groups.listGroupOffsets(groupId, topics)
  }

  /** OffsetCommit as an admin tool (generation -1, no member); results in request order. */
  alterGroupOffsets(groupId: string, offsets: GroupOffsetChange[]): Promise<GroupPartitionResult[]> {
    return this.groups.alterGroupOffsets(groupId, offsets)
  }

  /** DeleteGroups; one result per id, in order. */
  deleteGroups(groupIds: string[]): Promise<{groupId: string; errorCode: number}[]> {
    return this.groups.deleteGroups(groupIds)
  }

  /** OffsetDelete of one topic's partitions (all of them by default). */
  deleteGroupOffsets(groupId: string, topic: string, partitions?: number[]): Promise<GroupPartitionResult[]> {
    return this.groups.deleteGroupOffsets(groupId, topic, partitions)
  }

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

  /**
   * CreatePartitions on the controller: grows each topic to `count` partitions in all. A count not above
   * the current one is INVALID_PARTITIONS in the result; validateOnly checks without changing anything.
   */
  async createPartitions(specs: {topic: string; count: number}[], options: {validateOnly?: boolean} = {}): Promise<TopicResult[]> {
    if (specs.length === 0) return []
    return this.onController(specs.map((spec) => spec.topic), async (names) => {
      const broker = await this.cluster.controllerConnection()
      const response = await broker.connection.request(ApiKey.CreatePartitions, broker.versions.version(ApiKey.CreatePartitions), {
        topics: specs.filter((spec) => names.includes(spec.topic)).map(({topic, count}) => ({name: topic, count, assignments: null})),
        timeoutMs: this.cluster.requestTimeoutMs,
        validateOnly: options.validateOnly ?? false,
      })
      return response.results.map((result) => ({name: result.name, errorCode: result.errorCode, errorMessage: result.errorMessage}))
    })
  }

  /** Configs of topics and brokers, one description per resource in order; failures are per resource. */
  async describeConfigs(resources: ConfigResource[], options: DescribeConfigsOptions = {}): Promise<ConfigDescription[]> {
    const found = await this.perAnsweringNode(resources.map((resource) => ({resource})),
      (broker, group) => describeConfigsOn(broker, group.map((item) => item.resource), options))
    return resources.map((resource) => found.get(resourceKey(resource)) ?? {...unanswered(resource), configs: []})
  }

  /** AlterConfigs: each resource's overrides become exactly `configs`, as Kafka's AlterConfigs does. */
  async alterConfigs(changes: {resource: ConfigResource; configs: Record<string, string>}[],
    options: {validateOnly?: boolean} = {}): Promise<ConfigResult[]> {
    const found = await this.perAnsweringNode(changes, (broker, group) => alterConfigsOn(broker, group, options.validateOnly ?? false))
    return changes.map(({resource}) => found.get(resourceKey(resource)) ?? unanswered(resource))
  }

  /**
   * IncrementalAlterConfigs: changes single keys of each resource's overrides. On brokers without it
   * (Kafka before 2.3) the same result is reached with DescribeConfigs and AlterConfigs, as Kafka's own
   * tools did; that is not atomic against another writer of the same resource.
   */
  async incrementalAlterConfigs(changes: {resource: ConfigResource; operations: ConfigOperation[]}[],
    options: {validateOnly?: boolean} = {}): Promise<ConfigResult[]> {
    const validateOnly = options.validateOnly ?? false
    const found = await this.perAnsweringNode(changes, async (broker, group) => {
      if (broker.versions.brokerRange(ApiKey.IncrementalAlterConfigs) !== undefined) return incrementalAlterConfigsOn(broker, group, validateOnly)
      const current = await describeConfigsOn(broker, group.map((change) => change.resource), {})
      const failed = current.filter((d) => d.errorCode !== ErrorCode.NONE).map(({resource, errorCode, errorMessage}) => ({resource, errorCode, errorMessage}))
      const replacements = group.flatMap(({resource, operations}) => {
        const description = current.find((d) => resourceKey(d.resource) === resourceKey(resource) && d.errorCode === ErrorCode.NONE)
        return description ? [{resource, configs: applyOperations(overridesOf(description), operations)}] : []
      })
      return [...failed, ...(replacements.length > 0 ? await alterConfigsOn(broker, replacements, validateOnly) : [])]
    })
    return changes.map(({resource}) => found.get(resourceKey(resource)) ?? unanswered(resource))
  }

  /** Runs `send` once per node that must answer a group of resources; answers keyed by resourceKey. */
  private async perAnsweringNode<T extends {resource: ConfigResource}, R extends {resource: ConfigResource}>(items: T[],
    send: (broker: BrokerConnection, group: T[]) => Promise<R[]>): Promise<Map<string, R>> {
    const answers = new Map<string, R>()
    await Promise.all(groupByAnsweringNode(items).map(async ([node, group]) => {
      for (const answer of await send(await answeringConnection(this.cluster, node), group)) answers.set(resourceKey(answer.resource), answer)
    }))
    return answers
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
   * KafkaProtocolError naming topic/partition: the result has no room for per-partition codes. Under
   * read_committed (ListOffsets v2+) 'latest' is the last stable offset.
   */
  async listOffsets(topic: string, partitions: number[], spec: OffsetSpec,
    options: {isolationLevel?: IsolationLevel} = {}): Promise<Map<number, number>> {
    const timestamp = spec === 'earliest' ? EARLIEST_TIMESTAMP : spec === 'latest' ? LATEST_TIMESTAMP : spec
    const isolationLevel = isolationLevelId(options.isolationLevel ?? 'read_uncommitted')
    const results = await this.onLeaders(topic, partitions, async (leader, group) => {
      const response = await this.listOffsetsOn(leader, topic, group, timestamp, isolationLevel)
      return response.topics.flatMap((t) => t.partitions).map((p) => ({partition: p.partitionIndex, errorCode: p.errorCode, value: p.offset}))
    })
    const offsets = new Map<number, number>()
    for (const [partition, result] of results) {
      if (result.errorCode !== ErrorCode.NONE) throw new KafkaProtocolError(result.errorCode, `${topic}/${partition}`)
      offsets.set(partition, result.value)
    }
    return offsets
  }

  /**
   * DeleteRecords (kafka-delete-records, rpk trim-prefix): raises each partition's log start offset to
   * the given offset (-1 = its high watermark), asking each partition's leader. Per-partition failures
   * come back as error codes (OFFSET_OUT_OF_RANGE past the end); a partition the topic lacks throws.
   */
  async deleteRecords(topic: string, offsets: ReadonlyMap<number, number>): Promise<DeleteRecordsResult[]> {
    const results = await this.onLeaders(topic, [...offsets.keys()], async (leader, group) => {
      const broker = await this.cluster.connectionTo(leader)
      const response = await broker.connection.request(ApiKey.DeleteRecords, broker.versions.version(ApiKey.DeleteRecords), {
        topics: [{name: topic, partitions: group.map((partitionIndex) => ({partitionIndex, offset: offsets.get(partitionIndex)!}))}],
        timeoutMs: this.cluster.requestTimeoutMs,
      })
      return response.topics.flatMap((t) => t.partitions).map((p) => ({partition: p.partitionIndex, errorCode: p.errorCode, value: p.lowWatermark}))
    })
    return [...results].sort(([a], [b]) => a - b)
      .map(([partition, {errorCode, value}]) => ({partition, errorCode, lowWatermark: errorCode === ErrorCode.NONE ? value : -1}))
  }

  /**
   * Sends a per-partition request to each partition's leader and gathers the answers. Partitions answered
   * with a retriable error (the leader moved) are sent again after a metadata refresh, up to
   * ADMIN_ATTEMPTS; other errors, and retriable ones that outlive the attempts, are returned as they are.
   */
  private async onLeaders(topic: string, partitions: number[],
    send: (leader: number, partitions: number[]) => Promise<PartitionAnswer[]>): Promise<Map<number, PartitionAnswer>> {
    const answers = new Map<number, PartitionAnswer>()
    let remaining = [...new Set(partitions)]
    for (let attempt = 0; remaining.length > 0; attempt++) {
      if (attempt > 0) await sleep(backoffMs(attempt - 1, 100), this.cluster.signal)
      const [metadata] = await this.cluster.readyTopics([topic])
      checkPartitionsExist(metadata!, remaining)
      const last = attempt + 1 >= ADMIN_ATTEMPTS
      await Promise.all(groupByLeader(this.cluster, topic, remaining).map(async ([leader, group]) => {
        for (const answer of await send(leader, group)) {
          if (last || !errorInfo(answer.errorCode).retriable) answers.set(answer.partition, answer)
        }
      }))
      remaining = remaining.filter((p) => !answers.has(p))
      if (last) for (const partition of remaining) answers.set(partition, {partition, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, value: -1})
    }
    return answers
  }

  private async listOffsetsOn(leader: number, topic: string, partitions: number[], timestamp: number,
    isolationLevel: 0 | 1): Promise<ListOffsetsResponse> {
    const broker = await this.cluster.connectionTo(leader)
    const version = broker.versions.version(ApiKey.ListOffsets)
    return broker.connection.request(ApiKey.ListOffsets, version, {
      replicaId: -1,
      isolationLevel,
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

function unanswered(resource: ConfigResource): ConfigResult {
  return {resource, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'the broker did not answer for this resource'}
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
