import {expect} from 'chai'
import {ApiKey, ErrorCode, splitBatches, type FetchResponse} from '../../src/protocol/index.js'
import {CorruptLogError} from '../../src/storage/index.js'
import {BrokerHarness, batchOf, produceBody} from './broker-harness.js'

type Partition = FetchResponse['responses'][number]['partitions'][number]

describe('Fetch handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('events', 2)
  })
  afterEach(() => h.close())

  const append = async (partition: number, values: string[]) =>
    h.call(ApiKey.Produce, 9, produceBody('events', partition, await batchOf(values)))
  const fetchBody = (partitions: {partition: number; fetchOffset: number; partitionMaxBytes?: number}[], more: object = {}) => ({
    maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
    topics: [{topic: 'events', partitions: partitions.map(p => ({partitionMaxBytes: 1 << 20, ...p}))}],
    forgottenTopicsData: [], rackId: '', ...more,
  })
  const fetch = async (version: number, body: object): Promise<FetchResponse> => h.call(ApiKey.Fetch, version, body)
  const only = (response: FetchResponse): Partition => response.responses[0].partitions[0]

  it('returns the stored batches with the partition offsets', async () => {
    await append(0, ['a', 'b'])
    await append(0, ['c'])
    const partition = only(await fetch(11, fetchBody([{partition: 0, fetchOffset: 0}])))
    expect(partition).to.include({errorCode: 0, highWatermark: 3, lastStableOffset: 3, logStartOffset: 0, preferredReadReplica: -1})
    expect(partition.abortedTransactions).to.deep.equal([])
    expect(splitBatches(partition.records as Buffer)).to.have.length(2)
  })

  it('answers a read that hits a damaged batch with CORRUPT_MESSAGE, logged once per defect, other partitions served', async () => {
    await append(0, ['a'])
    await append(1, ['b'])
    const log = h.logs.partition('events', 0)!
    log.read = () => { throw new CorruptLogError('00000000000000000000.log: bad length at byte 0') }
    for (let i = 0; i < 2; i++) {
      const response = await fetch(12, fetchBody([{partition: 0, fetchOffset: 0}, {partition: 1, fetchOffset: 0}]))
      const [damaged, intact] = response.responses[0].partitions
      expect(damaged).to.include({errorCode: ErrorCode.CORRUPT_MESSAGE, highWatermark: 1, logStartOffset: 0})
      expect((damaged.records as Buffer).length).to.equal(0)
      expect(intact.errorCode).to.equal(0)
      expect(splitBatches(intact.records as Buffer)).to.have.length(1)
    }
    expect(h.lines.filter(line => line.includes('CORRUPT DATA'))).to.deep.equal(['CORRUPT DATA in events-0: fetch at offset 0 hit a damaged batch '
      + 'and was answered CORRUPT_MESSAGE: 00000000000000000000.log: bad length at byte 0'])
  })

  it('answers every requested partition, unknown ones included', async () => {
    await append(1, ['x'])
    const body = fetchBody([{partition: 0, fetchOffset: 0}, {partition: 1, fetchOffset: 0}, {partition: 7, fetchOffset: 0}])
    body.topics.push({topic: 'missing', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 100}]})
    const response = await fetch(12, body)
    expect(response.responses.map(t => t.partitions.map(p => [p.partitionIndex, p.errorCode]))).to.deep.equal([
      [[0, 0], [1, 0], [7, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]],
      [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]],
    ])
  })

  it('times out with empty records, not null (kafka-python 2.0.2 crashes on null)', async () => {
    const partition = only(await fetch(4, fetchBody([{partition: 0, fetchOffset: 0}], {maxWaitMs: 50})))
    expect(partition.errorCode).to.equal(0)
    expect(partition.records).to.be.instanceOf(Buffer)
    expect((partition.records as Buffer).length).to.equal(0)
  })

  it('waits for an append and answers with it', async () => {
    const pending = fetch(11, fetchBody([{partition: 1, fetchOffset: 0}], {maxWaitMs: 30_000}))
    let answered = false
    void pending.then(() => { answered = true })
    await new Promise(resolve => setImmediate(resolve))
    expect(answered).to.equal(false)
    await append(1, ['late'])
    const partition = only(await pending)
    expect(partition.highWatermark).to.equal(1)
    expect((partition.records as Buffer).length).to.be.greaterThan(0)
  })

  it('keeps waiting while less than minBytes has arrived', async () => {
    const pending = fetch(11, fetchBody([{partition: 0, fetchOffset: 0}], {maxWaitMs: 30_000, minBytes: 150}))
    let answered = false
    void pending.then(() => { answered = true })
    await append(0, ['tiny'])
    await new Promise(resolve => setImmediate(resolve))
    expect(answered).to.equal(false)
    await append(0, ['x'.repeat(200)])
    expect(splitBatches(only(await pending).records as Buffer)).to.have.length(2)
  })

  it('is released by broker close', async () => {
    const pending = fetch(11, fetchBody([{partition: 0, fetchOffset: 0}], {maxWaitMs: 30_000}))
    await new Promise(resolve => setImmediate(resolve))
    h.broker.close()
    expect(only(await pending).errorCode).to.equal(0)
  })

  it('is released by deleting the topic, answering 3', async () => {
    const pending = fetch(11, fetchBody([{partition: 0, fetchOffset: 0}], {maxWaitMs: 30_000}))
    await new Promise(resolve => setImmediate(resolve))
    await h.call(ApiKey.DeleteTopics, 1, {topicNames: ['events'], timeoutMs: 1000})
    expect(only(await pending).errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  })

  it('answers an offset outside [log start, log end] with 1 and the real offsets', async () => {
    await append(0, ['a'])
    const partition = only(await fetch(11, fetchBody([{partition: 0, fetchOffset: 5}], {maxWaitMs: 10_000})))
    expect(partition).to.include({errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, highWatermark: 1, logStartOffset: 0})
  })

  it('gives the first partition with data one whole batch even above maxBytes, later ones only what fits', async () => {
    await append(0, ['x'.repeat(300)])
    await append(1, ['y'.repeat(300)])
    const response = await fetch(11, fetchBody([{partition: 0, fetchOffset: 0}, {partition: 1, fetchOffset: 0}], {maxBytes: 10}))
    const [first, second] = response.responses[0].partitions
    expect(splitBatches(first.records as Buffer)).to.have.length(1)
    expect((second.records as Buffer).length).to.equal(0)
    expect(second.highWatermark).to.equal(1)
  })

  it('caps MaxBytes and PartitionMaxBytes at the broker fetch.max.bytes, the first batch still whole', async () => {
    const capped = await BrokerHarness.open({fetchMaxBytes: 1000})
    try {
      await capped.createTopic('events', 2)
      for (let i = 0; i < 5; i++) {
        for (const partition of [0, 1]) await capped.call(ApiKey.Produce, 9, produceBody('events', partition, await batchOf(['z'.repeat(300)])))
      }
      const huge = 0x7fffffff
      const response = await capped.call(ApiKey.Fetch, 11, fetchBody([{partition: 0, fetchOffset: 0, partitionMaxBytes: huge},
        {partition: 1, fetchOffset: 0, partitionMaxBytes: huge}], {maxBytes: huge}))
      const sizes = response.responses[0].partitions.map(p => (p.records as Buffer).length)
      expect(sizes[0]).to.be.above(0)
      expect(sizes[0] + sizes[1]).to.be.at.most(1000)
      const big = await capped.call(ApiKey.Produce, 9, produceBody('events', 0, await batchOf(['w'.repeat(3000)])))
      expect(big.responses[0].partitionResponses[0].errorCode).to.equal(0)
      const whole = await capped.call(ApiKey.Fetch, 11, fetchBody([{partition: 0, fetchOffset: 5, partitionMaxBytes: huge}], {maxBytes: huge}))
      expect(splitBatches(only(whole).records as Buffer)).to.have.length(1)
    } finally {
      await capped.close()
    }
  })

  it('v13+ finds topics by id; an unknown id is 100', async () => {
    const topicId = h.logs.topic('events')?.topicId as string
    await append(0, ['by-id'])
    const body = fetchBody([{partition: 0, fetchOffset: 0}])
    const response = await fetch(13, {...body, topics: [{...body.topics[0], topicId},
      {topicId: 'AAAAAAAAAAAAAAAAAAAAAQ', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 100}]}]})
    expect(response.responses[0].topicId).to.equal(topicId)
    expect(response.responses[0].partitions[0].errorCode).to.equal(0)
    expect(response.responses[1].partitions[0].errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_ID)
  })

  it('offers no fetch sessions: a session id or epoch > 0 is 70', async () => {
    const response = await fetch(12, fetchBody([{partition: 0, fetchOffset: 0}], {sessionId: 12, sessionEpoch: 1}))
    expect(response.errorCode).to.equal(ErrorCode.FETCH_SESSION_ID_NOT_FOUND)
    expect(response.sessionId).to.equal(0)
  })

  it('answers a leader epoch newer than 0 with 75', async () => {
    const body = fetchBody([{partition: 0, fetchOffset: 0}])
    body.topics[0].partitions[0] = {...body.topics[0].partitions[0], currentLeaderEpoch: 3} as typeof body.topics[0]['partitions'][0]
    expect(only(await fetch(12, body)).errorCode).to.equal(ErrorCode.UNKNOWN_LEADER_EPOCH)
  })
})
