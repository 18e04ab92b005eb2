/**
 * For the transaction coordinator tests: a Broker over a LogManager in a temp directory that can be
 * restarted on the same directory (a clean stop, or a "crash": the broker and logs dropped without
 * closing), request helpers for the transactional APIs as clients send them, and readers of what
 * the coordinator wrote.
 */
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {Broker} from '../../src/broker/broker.js'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import type {BrokerContext} from '../../src/broker/context.js'
import {ApiKey, controlBatchType, decodeResponse, encodeRecordBatch, encodeRequest, readBatchHeader, splitBatches,
  type ApiKeyValue, type RequestTypes, type ResponseTypes} from '../../src/protocol/index.js'
import {LogManager} from '../../src/storage/index.js'

export class TxnBroker {
  readonly lines: string[] = []
  private correlationId = 0
  broker!: Broker
  logs!: LogManager

  private constructor(readonly dataDir: string, private readonly settings: BrokerSettings) {}

  /** A broker with these broker configs (quick ones for the internal topics by default). */
  static async open(configs: Record<string, string> = {}): Promise<TxnBroker> {
    const dataDir = await mkdtemp(join(tmpdir(), 'weir-txn-test-'))
    const h = new TxnBroker(dataDir, BrokerSettings.from({'transaction.state.log.num.partitions': '3',
      'offsets.topic.num.partitions': '3', 'group.initial.rebalance.delay.ms': '0', ...configs}))
    await h.start()
    return h
  }

  get ctx(): BrokerContext {
    return (this.broker as unknown as {ctx: BrokerContext}).ctx
  }

  private async start(): Promise<void> {
    this.logs = await LogManager.open(this.dataDir, {defaults: {...this.settings.topicDefaults()}})
    this.broker = new Broker({logs: this.logs, nodeId: 1, clusterId: 'TestClusterIdAAAAAAAAA', advertised: {host: '127.0.0.1', port: 19092},
      autoCreateTopics: true, defaultPartitions: 1, settings: this.settings, logger: line => this.lines.push(line)})
    await this.broker.start()
  }

  /** Stops cleanly and starts again on the same data directory. */
  async restart(): Promise<void> {
    this.broker.close()
    await this.logs.close()
    await this.start()
  }

  async call<K extends ApiKeyValue>(apiKey: K, version: number, body: object): Promise<ResponseTypes[K]> {
    const correlationId = ++this.correlationId
    const frame = encodeRequest({apiKey, apiVersion: version, correlationId, clientId: 'txn-test'}, body as RequestTypes[K]).subarray(4)
    const response = await this.broker.handle(frame)
    expect(response, 'a response').to.not.equal(null)
    const decoded = decodeResponse(apiKey, version, (response as Buffer).subarray(4))
    expect(decoded.correlationId).to.equal(correlationId)
    return decoded.body
  }

  async createTopic(name: string, partitions = 1): Promise<void> {
    await this.logs.createTopic({name, partitions, configs: {}})
  }

  async close(): Promise<void> {
    this.broker.close()
    await this.logs.close()
    await rm(this.dataDir, {recursive: true, force: true})
  }
}

/** A transactional producer batch of string values, as a client sends it. */
export function txnBatch(values: string[], producerId: number, producerEpoch: number, baseSequence: number, transactional = true): Promise<Buffer> {
  return encodeRecordBatch(values.map((value, i) => ({key: null, value: Buffer.from(value), headers: [], timestamp: 1_700_000_000_000 + i})),
    {compression: 'none', producerId, producerEpoch, baseSequence, transactional})
}

/** What a partition holds, batch by batch: "data pid/epoch" or "COMMIT pid/epoch" / "ABORT pid/epoch". */
export function batchesOf(logs: LogManager, topic: string, partition: number): string[] {
  const log = logs.partition(topic, partition)
  const found: string[] = []
  for (let offset = log?.logStartOffset ?? 0; log !== undefined && offset < log.logEndOffset;) {
    for (const batch of splitBatches(log.read(offset, 1 << 24))) {
      const header = readBatchHeader(batch)
      const kind = header.isControl ? controlBatchType(batch)! : header.isTransactional ? 'txn' : 'data'
      found.push(`${kind} ${header.producerId}/${header.producerEpoch}`)
      offset = header.baseOffset + header.lastOffsetDelta + 1
    }
  }
  return found
}

/** A broker test harness's request call (TxnBroker and BrokerHarness both have one). */
interface Caller {
  call<K extends ApiKeyValue>(apiKey: K, version: number, body: object): Promise<ResponseTypes[K]>
}

/**
 * A transactional producer as clients start one: InitProducerId with `transactionalId`, then
 * AddPartitionsToTxn for the partitions of `topic`, so that Produce accepts its transactional batches.
 */
export async function openTransaction(h: Caller, transactionalId: string, topic: string, partitions: number[]): Promise<{producerId: number; producerEpoch: number}> {
  const init = await h.call(ApiKey.InitProducerId, 1, {transactionalId, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1})
  expect(init.errorCode, 'InitProducerId').to.equal(0)
  const {producerId, producerEpoch} = init
  const added = await h.call(ApiKey.AddPartitionsToTxn, 1, {v3AndBelowTransactionalId: transactionalId, v3AndBelowProducerId: producerId,
    v3AndBelowProducerEpoch: producerEpoch, v3AndBelowTopics: [{name: topic, partitions}]})
  expect(added.resultsByTopicV3AndBelow.flatMap(t => t.resultsByPartition.map(p => p.partitionErrorCode)), 'AddPartitionsToTxn').to.deep.equal(partitions.map(() => 0))
  return {producerId, producerEpoch}
}
