// What the client knows about the cluster (brokers, controller, topics and partition leaders, from
// Metadata) and the pool of connections to its brokers.
//
// Bootstrapped over the local daemon's Unix socket, every node id maps to that socket: the daemon is the
// single node, and the TCP address it advertises is for other clients. Bootstrapped over TCP, a node is
// reached at the address it advertises, so the client works against a many-broker Kafka cluster.
import {ApiKey, ErrorCode, ZERO_UUID, type MetadataResponse} from '../protocol/index.js'
import {formatAddress, type BrokerAddress} from './address.js'
import {Connection} from './connection.js'
import {ClosedError, ConnectionError, KafkaProtocolError, WeirError} from './errors.js'
import {backoffMs, sleep} from './retry.js'
import {negotiateVersions, type VersionTable} from './versions.js'

export interface ClusterOptions {
  /** Where to start: one Unix socket, or TCP addresses tried in order. */
  bootstrap: BrokerAddress[]
  clientId: string
  requestTimeoutMs: number
}

export interface PartitionMetadata {
  partition: number
  errorCode: number
  leader: number
  replicas: number[]
  isr: number[]
}

export interface TopicMetadata {
  name: string
  topicId: string
  errorCode: number
  internal: boolean
  /** Sorted by partition index. */
  partitions: PartitionMetadata[]
}

/** A connection whose API versions have been negotiated. */
export interface BrokerConnection {
  connection: Connection
  versions: VersionTable
}

/** Connections are pooled per address and lane: a consumer fetches on its own lane so that its long
 * polls never hold up produce or admin requests queued behind them on a shared connection. */
export const DEFAULT_LANE = 'default'

/** Metadata lookups for a topic that does not exist yet, or whose leader is being elected. */
const TOPIC_WAIT_ATTEMPTS = 6


export class Cluster {
  readonly requestTimeoutMs: number
  private readonly options: ClusterOptions
  private readonly brokers = new Map<number, BrokerAddress>()
  private readonly topics = new Map<string, TopicMetadata>()
  private readonly pool = new Map<string, Promise<BrokerConnection>>()
  private readonly closing = new AbortController()
  private controller = -1

  private constructor(options: ClusterOptions) {
    if (options.bootstrap.length === 0) throw new WeirError('WEIR_ERR_NO_BOOTSTRAP', 'no broker address to connect to')
    this.options = options
    this.requestTimeoutMs = options.requestTimeoutMs
  }

  /** Connects to the first reachable bootstrap address and loads the broker list. */
  static async connect(options: ClusterOptions): Promise<Cluster> {
    const cluster = new Cluster(options)
    try {
      await cluster.metadata([])
    } catch (error) {
      cluster.close()
      throw error
    }
    return cluster
  }

  /** Aborted by close(); long waits (retry backoffs) listen to it. */
  get signal(): AbortSignal {
    return this.closing.signal
  }

  /** Node id of the controller, -1 when the broker did not say. */
  get controllerId(): number {
    return this.controller
  }

  /** The topic as last seen in a Metadata response. */
  topic(name: string): TopicMetadata | undefined {
    return this.topics.get(name)
  }

  /** Node id leading a partition, or -1 when unknown. */
  leaderFor(topic: string, partition: number): number {
    const partitions = this.topics.get(topic)?.partitions ?? []
    const byIndex = partitions[partition]
    if (byIndex?.partition === partition) return byIndex.leader
    return partitions.find((p) => p.partition === partition)?.leader ?? -1
  }

  /**
   * Sends Metadata for `topics` (null = every topic, [] = brokers only) and updates the cache. Topics the
   * response names are replaced; topics it reports unknown are forgotten.
   */
  async metadata(topics: string[] | null, options: {allowAutoTopicCreation?: boolean} = {}): Promise<MetadataResponse> {
    const broker = await this.anyConnection()
    const version = broker.versions.version(ApiKey.Metadata)
    const response = await broker.connection.request(ApiKey.Metadata, version, {
      topics: topics === null ? null : topics.map((name) => ({topicId: ZERO_UUID, name})),
      allowAutoTopicCreation: options.allowAutoTopicCreation ?? false,
      includeClusterAuthorizedOperations: false,
      includeTopicAuthorizedOperations: false,
    })
    this.absorb(response)
    return response
  }

  /**
   * Metadata for topics that must exist, each with a leader for every partition. A topic that is unknown
   * (UNKNOWN_TOPIC_OR_PARTITION: maybe just created, or being auto-created) or still electing leaders
   * (LEADER_NOT_AVAILABLE) is looked up again a few times with backoff; then its error is thrown.
   */
  async readyTopics(names: string[], options: {allowAutoTopicCreation?: boolean} = {}): Promise<TopicMetadata[]> {
    for (let attempt = 0; ; attempt++) {
      await this.metadata(names, options)
      const missing = names.filter((name) => !isReady(this.topics.get(name)))
      if (missing.length === 0) return names.map((name) => this.topics.get(name)!)
      const name = missing[0]!
      const code = this.topics.get(name)?.errorCode || ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
      const waitable = code === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || code === ErrorCode.LEADER_NOT_AVAILABLE
      if (!waitable || attempt + 1 >= TOPIC_WAIT_ATTEMPTS) throw new KafkaProtocolError(code, `topic ${name}`)
      await sleep(backoffMs(attempt, 100), this.signal)
    }
  }

  /** A connection to a node (by its id from Metadata). */
  connectionTo(nodeId: number, lane = DEFAULT_LANE): Promise<BrokerConnection> {
    return this.pooled(this.addressOf(nodeId), lane)
  }

  /** The controller, where topics are created and deleted (any broker when it is unknown). */
  async controllerConnection(): Promise<BrokerConnection> {
    if (this.controller >= 0 && this.brokers.has(this.controller)) return this.connectionTo(this.controller)
    return this.anyConnection()
  }

  /** An open connection if there is one, else the first bootstrap address or known broker that answers. */
  async anyConnection(): Promise<BrokerConnection> {
    for (const [key, connection] of this.pool) if (key.startsWith(`${DEFAULT_LANE}@`)) return connection
    const candidates = [...this.options.bootstrap, ...[...this.brokers.keys()].map((id) => this.addressOf(id))]
    let lastError: unknown
    for (const address of candidates) {
      try {
        return await this.pooled(address, DEFAULT_LANE)
      } catch (error) {
        if (error instanceof ClosedError) throw error
        lastError = error
      }
    }
    throw lastError
  }

  /** Closes the connections of one lane (a consumer's fetch lane when the consumer closes). */
  closeLane(lane: string): void {
    for (const [key, pending] of this.pool) {
      if (!key.startsWith(`${lane}@`)) continue
      this.pool.delete(key)
      pending.then((broker) => broker.connection.close(), () => undefined)
    }
  }

  close(): void {
    this.closing.abort()
    for (const pending of this.pool.values()) pending.then((broker) => broker.connection.close(), () => undefined)
    this.pool.clear()
  }

  private addressOf(nodeId: number): BrokerAddress {
    const [first] = this.options.bootstrap
    if (first?.kind === 'unix') return first
    const address = this.brokers.get(nodeId)
    if (!address) throw new ConnectionError(`broker ${nodeId} is not in the cluster metadata`)
    return address
  }

  private pooled(address: BrokerAddress, lane: string): Promise<BrokerConnection> {
    if (this.closing.signal.aborted) return Promise.reject(new ClosedError('the client'))
    const key = `${lane}@${formatAddress(address)}`
    let pending = this.pool.get(key)
    if (!pending) {
      pending = this.open(address)
      this.pool.set(key, pending)
      const forget = (): void => {
        if (this.pool.get(key) === pending) this.pool.delete(key)
      }
      pending.then((broker) => broker.connection.onClose(forget), forget)
    }
    return pending
  }

  private async open(address: BrokerAddress): Promise<BrokerConnection> {
    const {clientId, requestTimeoutMs} = this.options
    const connection = await Connection.open({address, clientId, requestTimeoutMs})
    try {
      return {connection, versions: await negotiateVersions(connection)}
    } catch (error) {
      connection.close()
      throw error
    }
  }

  private absorb(response: MetadataResponse): void {
    if (response.brokers.length > 0) {
      this.brokers.clear()
      for (const broker of response.brokers) this.brokers.set(broker.nodeId, {kind: 'tcp', host: broker.host, port: broker.port})
    }
    this.controller = response.controllerId
    for (const topic of response.topics) {
      if (topic.name === null) continue
      if (topic.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
        this.topics.delete(topic.name)
        continue
      }
      this.topics.set(topic.name, {
        name: topic.name,
        topicId: topic.topicId,
        errorCode: topic.errorCode,
        internal: topic.isInternal,
        partitions: topic.partitions
          .map((p) => ({partition: p.partitionIndex, errorCode: p.errorCode, leader: p.leaderId, replicas: p.replicaNodes, isr: p.isrNodes}))
          .sort((a, b) => a.partition - b.partition),
      })
    }
  }
}

/** Map key for a topic partition. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`
}

function isReady(topic: TopicMetadata | undefined): boolean {
  return topic !== undefined && topic.errorCode === ErrorCode.NONE && topic.partitions.length > 0 &&
    topic.partitions.every((p, index) => p.partition === index && p.leader >= 0)
}
