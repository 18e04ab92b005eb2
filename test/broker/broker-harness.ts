/**
 * A Broker over a LogManager in a temp directory, driven with frames encoded by src/protocol:
 * call() sends one request and decodes its response, so tests read like a client's view.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {Broker, type BrokerOptions} from '../../src/broker/broker.js'
import {decodeResponse, encodeRecordBatch, encodeRequest, type ApiKeyValue, type Compression,
  type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import {LogManager, type LogManagerOptions} from '../../src/storage/index.js'

export type BrokerSettings = Partial<Pick<BrokerOptions, 'advertised' | 'autoCreateTopics' | 'defaultPartitions' | 'clusterId' | 'fetchMaxBytes' | 'settings'>>

export class BrokerHarness {
  private correlationId = 0

  private constructor(readonly dataDir: string, readonly logs: LogManager, readonly broker: Broker,
    /** What the broker logged. */
    readonly lines: string[]) {}

  /** `storage` adds LogManager options (e.g. a lower minSegmentBytes for many small segments). */
  static async open(settings: BrokerSettings = {}, storage: LogManagerOptions = {}): Promise<BrokerHarness> {
    const dataDir = await mkdtemp(join(tmpdir(), 'weir-broker-test-'))
    const logs = await LogManager.open(dataDir, {...storage, defaults: {...settings.settings?.topicDefaults()}})
    const lines: string[] = []
    const broker = new Broker({logs, nodeId: 1, clusterId: settings.clusterId ?? 'TestClusterIdAAAAAAAAA',
      advertised: settings.advertised === undefined ? {host: '127.0.0.1', port: 19092} : settings.advertised,
      autoCreateTopics: settings.autoCreateTopics ?? true, defaultPartitions: settings.defaultPartitions ?? 1,
      fetchMaxBytes: settings.fetchMaxBytes, settings: settings.settings, logger: line => lines.push(line)})
    await broker.start()
    return new BrokerHarness(dataDir, logs, broker, lines)
  }

  /** A request frame as the broker receives it: without the size prefix. */
  frame<K extends ApiKeyValue>(apiKey: K, version: number, body: object, correlationId = ++this.correlationId): Buffer {
    return encodeRequest({apiKey, apiVersion: version, correlationId, clientId: 'broker-test'}, body as RequestTypes[K]).subarray(4)
  }

  /** Sends a request (fields left out take their defaults) and decodes the response. */
  async call<K extends ApiKeyValue>(apiKey: K, version: number, body: object): Promise<ResponseTypes[K]> {
    const correlationId = ++this.correlationId
    const response = await this.broker.handle(this.frame(apiKey, version, body, correlationId))
    expect(response, 'a response').to.not.equal(null)
    const buffer = response as Buffer
    expect(buffer.readInt32BE(0)).to.equal(buffer.length - 4)
    const decoded = decodeResponse(apiKey, version, buffer.subarray(4))
    expect(decoded.correlationId).to.equal(correlationId)
    return decoded.body
  }

  async createTopic(name: string, partitions = 1, configs: Record<string, string> = {}): Promise<void> {
    await this.logs.createTopic({name, partitions, configs})
  }

  async close(): Promise<void> {
    this.broker.close()
    await this.logs.close()
    await rm(this.dataDir, {recursive: true, force: true})
  }
}

/** One batch of string values, as a producer would send it. */
export function batchOf(values: string[], opts: {compression?: Compression; timestamps?: number[]} = {}): Promise<Buffer> {
  return encodeRecordBatch(values.map((value, i) => ({key: null, value: Buffer.from(value), headers: [],
    timestamp: opts.timestamps?.[i] ?? 1_700_000_000_000 + i})), {compression: opts.compression ?? 'none'})
}

/** A Produce v9 body for one partition. */
export function produceBody(topic: string, partition: number, records: Buffer | null, acks = 1): object {
  return {transactionalId: null, acks, timeoutMs: 5000, topicData: [{name: topic, partitionData: [{index: partition, records}]}]}
}
