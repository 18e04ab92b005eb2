// A small in-process Kafka cluster for the client's tests: one or more nodes listening on a Unix socket
// or on TCP loopback, decoding requests with src/protocol and answering from in-memory partition logs.
// Tests can intercept any API (`intercept`) to delay, drop, corrupt or rewrite answers.
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import net from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {
  ApiKey,
  ErrorCode,
  codecVersions,
  decodeRequestBody,
  decodeRequestHeader,
  encodeResponse,
  inflateBatch,
  inflateBatchSync,
  splitBatches,
  type ApiKeyValue,
  type ConsumedRecord,
  type RequestTypes,
  type ResponseTypes,
} from '../../src/protocol/index.js'
import {FrameReader} from '../../src/client/frame-reader.js'
import * as adminApis from './fake-admin-apis.js'

export interface RequestContext {
  node: FakeNode
  version: number
  correlationId: number
  /** The connection's socket, for tests that misbehave on purpose. */
  socket: net.Socket
}

/** What an interceptor may answer: a body, no answer, raw bytes, or closing the connection. */
export type Reply<K extends ApiKeyValue> = ResponseTypes[K] | {raw: Buffer} | 'no-response' | 'close'

export type Interceptor<K extends ApiKeyValue> = (
  request: RequestTypes[K],
  context: RequestContext,
  /** The default handling, of `request` or of a rewritten one. */
  next: (request?: RequestTypes[K]) => Promise<Reply<K>>,
) => Reply<K> | Promise<Reply<K>>

export interface ReceivedRequest {
  node: number
  apiKey: number
  version: number
  correlationId: number
  clientId: string | null
  body: unknown
}

export interface FakeClusterOptions {
  transport?: 'unix' | 'tcp'
  /** Number of nodes (TCP only); partition p is led by node (p % nodes) + 1. */
  nodes?: number
  /** Highest version advertised per API (default: the codec's highest). */
  maxVersions?: Partial<Record<ApiKeyValue, number>>
  /** APIs left out of ApiVersions entirely. */
  missingApis?: ApiKeyValue[]
  /** Node id of the controller (default 1). */
  controllerId?: number
  autoCreateTopics?: boolean
  /** Report topic ids in Metadata (default true). */
  topicIds?: boolean
}

export class FakePartition {
  readonly batches: Buffer[] = []
  logStartOffset = 0
  highWatermark = 0

  /** Stores a batch, assigning its offsets as a broker does (rewriting baseOffset; the CRC stays valid). */
  append(batch: Buffer): number {
    const copy = Buffer.from(batch)
    const baseOffset = this.highWatermark
    copy.writeBigInt64BE(BigInt(baseOffset), 0)
    this.batches.push(copy)
    this.highWatermark += copy.readInt32BE(23) + 1
    return baseOffset
  }

  /** Whole batches from the one containing `offset`, at least one, then up to maxBytes. */
  read(offset: number, maxBytes: number): Buffer {
    const chosen: Buffer[] = []
    let bytes = 0
    for (const batch of this.batches) {
      const last = Number(batch.readBigInt64BE(0)) + batch.readInt32BE(23)
      if (last < offset) continue
      if (chosen.length > 0 && bytes + batch.length > maxBytes) break
      chosen.push(batch)
      bytes += batch.length
    }
    return Buffer.concat(chosen)
  }

  async records(): Promise<ConsumedRecord[]> {
    const inflated = await Promise.all(this.batches.map((batch) => inflateBatch(batch)))
    return inflated.flatMap((batch) => batch.records)
  }
}

export interface FakeTopic {
  name: string
  topicId: string
  partitions: FakePartition[]
  /** Topic config overrides. */
  configs: Record<string, string>
}

export class FakeNode {
  readonly connections = new Set<net.Socket>()
  constructor(
    readonly nodeId: number,
    readonly server: net.Server,
    readonly address: {socket: string} | {host: string; port: number},
  ) {}
}

export class FakeCluster {
  readonly nodes: FakeNode[] = []
  readonly topics = new Map<string, FakeTopic>()
  readonly received: ReceivedRequest[] = []
  private readonly interceptors = new Map<number, Interceptor<ApiKeyValue>>()
  private readonly appendListeners = new Set<() => void>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private dir: string | null = null

  private constructor(readonly options: FakeClusterOptions) {}

  static async start(options: FakeClusterOptions = {}): Promise<FakeCluster> {
    const cluster = new FakeCluster(options)
    const transport = options.transport ?? 'unix'
    const count = transport === 'unix' ? 1 : (options.nodes ?? 1)
    if (transport === 'unix') cluster.dir = mkdtempSync(join(tmpdir(), 'weir-client-test-'))
    for (let nodeId = 1; nodeId <= count; nodeId++) await cluster.listen(nodeId, transport)
    return cluster
  }

  /** ClientOptions reaching this cluster. */
  get clientOptions(): {socket: string} | {bootstrapServers: string[]} {
    const address = this.nodes[0]!.address
    return 'socket' in address ? {socket: address.socket} : {bootstrapServers: [`127.0.0.1:${address.port}`]}
  }

  createTopic(name: string, partitions: number): FakeTopic {
    const topicId = this.options.topicIds === false ? 'AAAAAAAAAAAAAAAAAAAAAA' : randomBytes(16).toString('base64url')
    const topic = {name, topicId, partitions: Array.from({length: partitions}, () => new FakePartition()), configs: {}}
    this.topics.set(name, topic)
    return topic
  }

  addPartitions(name: string, count: number): void {
    for (let i = 0; i < count; i++) this.topics.get(name)!.partitions.push(new FakePartition())
  }

  partition(topic: string, partition: number): FakePartition {
    return this.topics.get(topic)!.partitions[partition]!
  }

  leaderOf(partition: number): number {
    return (partition % this.nodes.length) + 1
  }

  /** Replaces the handling of one API (until the test ends). */
  intercept<K extends ApiKeyValue>(apiKey: K, interceptor: Interceptor<K>): void {
    this.interceptors.set(apiKey, interceptor as unknown as Interceptor<ApiKeyValue>)
  }

  requestsOf<K extends ApiKeyValue>(apiKey: K): (ReceivedRequest & {body: RequestTypes[K]})[] {
    return this.received.filter((r) => r.apiKey === apiKey) as (ReceivedRequest & {body: RequestTypes[K]})[]
  }

  /** A promise that resolves after `ms`, cancelled (never resolving) when the cluster stops. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const listener of this.appendListeners) listener()
    for (const node of this.nodes) {
      for (const socket of node.connections) socket.destroy()
      await new Promise<void>((resolve) => node.server.close(() => resolve()))
    }
    if (this.dir) rmSync(this.dir, {recursive: true, force: true})
  }

  private async listen(nodeId: number, transport: 'unix' | 'tcp'): Promise<void> {
    const server = net.createServer((socket) => this.serve(node, socket))
    const socketPath = transport === 'unix' ? join(this.dir!, `node-${nodeId}.sock`) : null
    await new Promise<void>((resolve) => (socketPath ? server.listen(socketPath, resolve) : server.listen(0, '127.0.0.1', resolve)))
    const port = socketPath ? 0 : (server.address() as net.AddressInfo).port
    const node = new FakeNode(nodeId, server, socketPath ? {socket: socketPath} : {host: '127.0.0.1', port})
    this.nodes.push(node)
  }

  private serve(node: FakeNode, socket: net.Socket): void {
    node.connections.add(socket)
    socket.on('close', () => node.connections.delete(socket))
    socket.on('error', () => undefined)
    const frames = new FrameReader()
    let queue = Promise.resolve()
    socket.on('data', (chunk: Buffer) => {
      for (const frame of frames.push(chunk)) {
        // One request at a time per connection, answered in order, as Kafka does.
        queue = queue.then(() => this.answer(node, socket, frame)).catch(() => void socket.destroy())
      }
    })
  }

  private async answer(node: FakeNode, socket: net.Socket, frame: Buffer): Promise<void> {
    const header = decodeRequestHeader(frame)
    const apiKey = header.apiKey as ApiKeyValue
    if (apiKey === ApiKey.ApiVersions && header.apiVersion > this.maxVersion(apiKey)) {
      // KIP-511: a version the broker does not know gets a v0 answer naming its own range.
      this.received.push({node: node.nodeId, apiKey, version: header.apiVersion, correlationId: header.correlationId, clientId: header.clientId, body: null})
      const body = {errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys: this.apiKeys().filter((k) => k.apiKey === ApiKey.ApiVersions), throttleTimeMs: 0}
      socket.write(encodeResponse(ApiKey.ApiVersions, 0, header.correlationId, body as ResponseTypes[18]))
      return
    }
    const body = decodeRequestBody(apiKey, header.apiVersion, frame, header.bodyOffset)
    this.received.push({node: node.nodeId, apiKey, version: header.apiVersion, correlationId: header.correlationId, clientId: header.clientId, body})
    const context: RequestContext = {node, version: header.apiVersion, correlationId: header.correlationId, socket}
    const next = async (rewritten?: unknown): Promise<Reply<ApiKeyValue>> => this.handle(apiKey, rewritten ?? body, context)
    const interceptor = this.interceptors.get(apiKey)
    const reply = interceptor ? await interceptor(body, context, next) : await next()
    if (socket.destroyed) return
    if (reply === 'close') socket.destroy()
    else if (reply === 'no-response') return
    else if ('raw' in reply) socket.write(reply.raw)
    else socket.write(encodeResponse(apiKey, header.apiVersion, header.correlationId, reply as ResponseTypes[typeof apiKey]))
  }

  private maxVersion(apiKey: ApiKeyValue): number {
    return this.options.maxVersions?.[apiKey] ?? codecVersions[apiKey].max
  }

  private apiKeys(): {apiKey: number; minVersion: number; maxVersion: number}[] {
    return (Object.values(ApiKey) as ApiKeyValue[])
      .filter((apiKey) => !this.options.missingApis?.includes(apiKey))
      .map((apiKey) => ({apiKey, minVersion: codecVersions[apiKey].min, maxVersion: this.maxVersion(apiKey)}))
  }

  private async handle(apiKey: ApiKeyValue, body: unknown, context: RequestContext): Promise<Reply<ApiKeyValue>> {
    switch (apiKey) {
      case ApiKey.ApiVersions:
        return {errorCode: 0, apiKeys: this.apiKeys(), throttleTimeMs: 0} as unknown as ResponseTypes[18]
      case ApiKey.Metadata:
        return this.metadata(body as RequestTypes[3])
      case ApiKey.Produce:
        return this.produce(body as RequestTypes[0], context)
      case ApiKey.Fetch:
        return this.fetch(body as RequestTypes[1], context)
      case ApiKey.ListOffsets:
        return this.listOffsets(body as RequestTypes[2])
      case ApiKey.CreateTopics:
        return this.createTopics(body as RequestTypes[19])
      case ApiKey.DeleteTopics:
        return this.deleteTopics(body as RequestTypes[20])
      case ApiKey.DeleteRecords:
        return adminApis.deleteRecords(this, context.node, body as RequestTypes[21])
      case ApiKey.DescribeConfigs:
        return adminApis.describeConfigs(this, context.node, body as RequestTypes[32], context.version)
      case ApiKey.AlterConfigs:
        return adminApis.alterConfigs(this, context.node, body as RequestTypes[33])
      case ApiKey.CreatePartitions:
        return adminApis.createPartitions(this, body as RequestTypes[37])
      case ApiKey.IncrementalAlterConfigs:
        return adminApis.incrementalAlterConfigs(this, context.node, body as RequestTypes[44])
    }
  }

  private metadata(request: RequestTypes[3]): ResponseTypes[3] {
    const unixAdvertised = this.nodes.length === 1 && 'socket' in this.nodes[0]!.address
    const brokers = this.nodes.map((node) => ({
      nodeId: node.nodeId,
      // Over the socket the node advertises a TCP address nobody listens on: clients must use the socket.
      host: '127.0.0.1',
      port: unixAdvertised ? 1 : (node.address as {port: number}).port,
      rack: null,
    }))
    const names = request.topics === null ? [...this.topics.keys()] : request.topics.map((t) => t.name!)
    const topics = names.map((name) => {
      let topic = this.topics.get(name)
      if (!topic && request.allowAutoTopicCreation && this.options.autoCreateTopics) topic = this.createTopic(name, 1)
      if (!topic) return {errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', isInternal: false, partitions: []}
      return {
        errorCode: 0,
        name,
        topicId: topic.topicId,
        isInternal: false,
        partitions: topic.partitions.map((_, index) => ({
          errorCode: 0,
          partitionIndex: index,
          leaderId: this.leaderOf(index),
          leaderEpoch: 0,
          replicaNodes: [this.leaderOf(index)],
          isrNodes: [this.leaderOf(index)],
          offlineReplicas: [],
        })),
      }
    })
    return {brokers, clusterId: 'fake', controllerId: this.options.controllerId ?? 1, topics} as unknown as ResponseTypes[3]
  }

  private produce(request: RequestTypes[0], context: RequestContext): Reply<0> {
    const responses = request.topicData.map((topicData) => ({
      name: topicData.name,
      partitionResponses: topicData.partitionData.map(({index, records}) => {
        const topic = this.topics.get(topicData.name)
        const partition = topic?.partitions[index]
        if (!partition) return {index, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, baseOffset: -1}
        if (this.leaderOf(index) !== context.node.nodeId) return {index, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, baseOffset: -1}
        let baseOffset = -1
        for (const batch of splitBatches(records ?? Buffer.alloc(0))) {
          const offset = partition.append(batch)
          if (baseOffset < 0) baseOffset = offset
        }
        return {index, errorCode: 0, baseOffset, logAppendTimeMs: -1, logStartOffset: partition.logStartOffset}
      }),
    }))
    for (const listener of this.appendListeners) listener()
    if (request.acks === 0) return 'no-response'
    return {responses, throttleTimeMs: 0} as unknown as ResponseTypes[0]
  }

  private async fetch(request: RequestTypes[1], context: RequestContext): Promise<ResponseTypes[1]> {
    const byId = new Map([...this.topics.values()].map((t) => [t.topicId, t.name]))
    const nameOf = (topic: {topic: string; topicId: string}): string =>
      context.version >= 13 ? (byId.get(topic.topicId) ?? '') : topic.topic
    const hasData = (): boolean =>
      request.topics.some((t) =>
        t.partitions.some((p) => {
          const partition = this.topics.get(nameOf(t))?.partitions[p.partition]
          return partition !== undefined && p.fetchOffset < partition.highWatermark
        }),
      )
    if (!hasData() && request.maxWaitMs > 0) await this.waitForAppend(request.maxWaitMs)
    let budget = request.maxBytes
    const responses = request.topics.map((t) => ({
      topic: t.topic,
      topicId: t.topicId,
      partitions: t.partitions.map((p) => {
        const partition = this.topics.get(nameOf(t))?.partitions[p.partition]
        const base = {partitionIndex: p.partition, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null, preferredReadReplica: -1}
        if (!partition) return {...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1, records: null}
        if (p.fetchOffset < partition.logStartOffset || p.fetchOffset > partition.highWatermark) {
          return {...base, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: partition.highWatermark, records: null}
        }
        const records = budget > 0 ? partition.read(p.fetchOffset, Math.min(p.partitionMaxBytes, budget)) : Buffer.alloc(0)
        budget -= records.length
        return {...base, errorCode: 0, highWatermark: partition.highWatermark, lastStableOffset: partition.highWatermark, records}
      }),
    }))
    return {throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses} as unknown as ResponseTypes[1]
  }

  private waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.timers.delete(timer)
        this.appendListeners.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.timers.add(timer)
      this.appendListeners.add(done)
    })
  }

  private listOffsets(request: RequestTypes[2]): ResponseTypes[2] {
    const topics = request.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const partition = this.topics.get(t.name)?.partitions[p.partitionIndex]
        if (!partition) return {partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1, offset: -1}
        return {partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset: offsetFor(partition, p.timestamp)}
      }),
    }))
    return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[2]
  }

  private createTopics(request: RequestTypes[19]): ResponseTypes[19] {
    const topics = request.topics.map((t) => {
      if (this.topics.has(t.name)) return {name: t.name, errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: `Topic '${t.name}' already exists.`}
      if (t.replicationFactor > this.nodes.length) {
        return {name: t.name, errorCode: ErrorCode.INVALID_REPLICATION_FACTOR, errorMessage: 'not enough brokers'}
      }
      const topic = this.createTopic(t.name, t.numPartitions === -1 ? 1 : t.numPartitions)
      topic.configs = Object.fromEntries(t.configs.map(({name, value}) => [name, value ?? '']))
      return {name: t.name, topicId: topic.topicId, errorCode: 0, errorMessage: null, numPartitions: topic.partitions.length}
    })
    return {throttleTimeMs: 0, topics} as unknown as ResponseTypes[19]
  }

  private deleteTopics(request: RequestTypes[20]): ResponseTypes[20] {
    const names = request.topicNames.length > 0 ? request.topicNames : request.topics.map((t) => t.name!)
    const responses = names.map((name) => {
      const existed = this.topics.delete(name)
      return {name, errorCode: existed ? 0 : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: null}
    })
    return {throttleTimeMs: 0, responses} as unknown as ResponseTypes[20]
  }
}

function offsetFor(partition: FakePartition, timestamp: number): number {
  if (timestamp === -2) return partition.logStartOffset
  if (timestamp === -1) return partition.highWatermark
  for (const batch of partition.batches) {
    const found = inflateBatchSync(batch).records.find((r) => r.timestamp >= timestamp)
    if (found) return found.offset
  }
  return -1
}
