// A small in-process Kafka cluster for the client's tests: one or more nodes listening on a Unix socket
// or on TCP loopback, decoding requests with src/protocol and answering from in-memory partition logs.
// Tests can intercept any API (`intercept`) to delay, drop, corrupt or rewrite answers. This file holds the
// nodes, connections and dispatch; the partitions are in fake-partition.ts and the answers to each group of
// APIs in fake-record-apis.ts, fake-topic-apis.ts and fake-admin-apis.ts.
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
  type ApiKeyValue,
  type RequestTypes,
  type ResponseTypes,
} from '../../src/protocol/index.js'
import {FrameReader} from '../../src/client/frame-reader.js'
import * as adminApis from './fake-admin-apis.js'
import {answerGroupAdmin} from './fake-group-admin-apis.js'
import {answerGroupMembership} from './fake-group-membership-apis.js'
import {FakePartition, type FakeTopic} from './fake-partition.js'
import * as recordApis from './fake-record-apis.js'
import * as topicApis from './fake-topic-apis.js'
import {answerTxn} from './fake-txn-apis.js'

export {FakePartition, type FakeTopic} from './fake-partition.js'

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

  /** Wakes every Fetch waiting for an append (fake-record-apis.ts). */
  notifyAppend(): void {
    for (const listener of this.appendListeners) listener()
  }

  /** Resolves after the next append, or after `ms` (fake-record-apis.ts). */
  waitForAppend(ms: number): Promise<void> {
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

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.notifyAppend()
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
        return topicApis.metadata(this, body as RequestTypes[3])
      case ApiKey.Produce:
        return recordApis.produce(this, body as RequestTypes[0], context)
      case ApiKey.Fetch:
        return recordApis.fetch(this, body as RequestTypes[1], context)
      case ApiKey.ListOffsets:
        return recordApis.listOffsets(this, body as RequestTypes[2])
      case ApiKey.CreateTopics:
        return topicApis.createTopics(this, body as RequestTypes[19])
      case ApiKey.DeleteTopics:
        return topicApis.deleteTopics(this, body as RequestTypes[20])
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
      default:
        // The codec knows more APIs than this fake serves: close, as Kafka does.
        return answerGroupAdmin(this, apiKey, body, context) ?? answerGroupMembership(this, apiKey, body, context) ?? answerTxn(this, apiKey, body, context) ?? 'close'
    }
  }
}
