// A daemon killed with SIGKILL after acknowledging an idempotent batch (acks=all) and started again
// recognises the producer's retry of that batch: it answers the first offset and appends nothing.
import {expect} from 'chai'
import {Connection} from '../../src/client/connection.js'
import {ApiKey, type ApiKeyValue, encodeRecordBatch, readBatchHeader, splitBatches, type RequestTypes} from '../../src/protocol/index.js'
import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'

/** A request body with only the fields this test sets: the encoder gives the others their defaults. */
function requestBody<K extends ApiKeyValue>(_apiKey: K, body: object): RequestTypes[K] {
  return body as RequestTypes[K]
}

describe('Produce retries across a kill -9 of the daemon', function () {
  this.timeout(60_000)
  let daemon: TestDaemon | undefined
  let connection: Connection | undefined
  afterEach(async () => {
    connection?.close()
    await daemon?.stop()
    daemon = undefined
  })

  const connect = async (d: TestDaemon): Promise<Connection> =>
    Connection.open({address: {kind: 'tcp', host: '127.0.0.1', port: d.port}, clientId: 'produce-restart', requestTimeoutMs: 20_000})

  function batch(sequence: number, values: string[]): Promise<Buffer> {
    const records = values.map(value => ({key: null, value: Buffer.from(value), headers: [], timestamp: 1_700_000_000_000}))
    return encodeRecordBatch(records, {compression: 'none', producerId: 4242, producerEpoch: 0, baseSequence: sequence})
  }

  async function produce(c: Connection, records: Buffer): Promise<{errorCode: number; baseOffset: number}> {
    const body = {transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{name: 'orders', partitionData: [{index: 0, records}]}]}
    return (await c.request(ApiKey.Produce, 9, requestBody(ApiKey.Produce, body))).responses[0].partitionResponses[0]
  }

  async function storedBaseOffsets(c: Connection): Promise<number[]> {
    const body = {maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{topic: 'orders', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20}]}], forgottenTopicsData: [], rackId: ''}
    const fetched = await c.request(ApiKey.Fetch, 11, requestBody(ApiKey.Fetch, body))
    return splitBatches(fetched.responses[0].partitions[0].records as Buffer).map(b => readBatchHeader(b).baseOffset)
  }

  it('answers the retry with the first offset and appends nothing', async () => {
    daemon = await startTestDaemon()
    connection = await connect(daemon)
    const created = await connection.request(ApiKey.CreateTopics, 5, requestBody(ApiKey.CreateTopics, {topics: [{name: 'orders', numPartitions: 1,
      replicationFactor: 1, assignments: [], configs: []}], timeoutMs: 10_000, validateOnly: false}))
    expect(created.topics[0].errorCode).to.equal(0)
    const sent: Buffer[] = []
    for (let i = 0; i < 6; i++) sent.push(await batch(3 * i, [`a${i}`, `b${i}`, `c${i}`]))
    const first: number[] = []
    for (const records of sent) first.push((await produce(connection, Buffer.from(records))).baseOffset)
    expect(first).to.deep.equal([0, 3, 6, 9, 12, 15])
    connection.close()
    await daemon.kill9()
    await daemon.restart()
    connection = await connect(daemon)
    // the last batch is still in the producer's window of 5; the snapshot and the log scan bring it back
    for (const i of [5, 4, 1]) expect(await produce(connection, Buffer.from(sent[i] as Buffer)), `batch ${i}`).to.include({errorCode: 0, baseOffset: first[i]})
    expect(await produce(connection, await batch(18, ['next']))).to.include({errorCode: 0, baseOffset: 18})
    expect(await storedBaseOffsets(connection)).to.deep.equal([0, 3, 6, 9, 12, 15, 18])
  })
})
