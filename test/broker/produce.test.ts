import {expect} from 'chai'
import {ConnectionError} from '../../src/broker/broker.js'
import {ApiKey, encodeRecordBatch, ErrorCode, readBatchHeader, stampBatchCrc, type Compression, type ProduceResponse} from '../../src/protocol/index.js'
import {BrokerHarness, batchOf, produceBody} from './broker-harness.js'

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number]

describe('Produce handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('orders', 2)
    await h.createTopic('small', 1, {'max.message.bytes': '100'})
  })
  afterEach(() => h.close())

  const produce = async (version: number, body: object): Promise<PartitionResponse> =>
    (await h.call(ApiKey.Produce, version, body)).responses[0].partitionResponses[0]

  it('appends a batch as sent and answers its base offset', async () => {
    const first = await produce(9, produceBody('orders', 1, await batchOf(['a', 'b', 'c'])))
    const second = await produce(9, produceBody('orders', 1, await batchOf(['d'])))
    expect(first).to.include({index: 1, errorCode: 0, baseOffset: 0, logAppendTimeMs: -1, logStartOffset: 0})
    expect(second.baseOffset).to.equal(3)
    const stored = h.logs.partition('orders', 1)?.read(3, 1 << 20) as Buffer
    expect(readBatchHeader(stored).baseOffset).to.equal(3)
  })

  it('keeps a librdkafka batch whose PartitionLeaderEpoch is 0', async () => {
    const batch = await batchOf(['kcat'])
    batch.writeInt32BE(0, 12)
    expect((await produce(7, produceBody('orders', 0, batch))).errorCode).to.equal(0)
  })

  it('answers a batch with a bad CRC with 2 and appends nothing', async () => {
    const batch = await batchOf(['x'])
    batch[batch.length - 1] ^= 0xff
    expect((await produce(9, produceBody('orders', 0, batch))).errorCode).to.equal(ErrorCode.CORRUPT_MESSAGE)
    expect(h.logs.partition('orders', 0)?.logEndOffset).to.equal(0)
  })

  it('answers two batches in one partition with 87', async () => {
    const batch = Buffer.concat([await batchOf(['x']), await batchOf(['y'])])
    expect((await produce(9, produceBody('orders', 0, batch))).errorCode).to.equal(ErrorCode.INVALID_RECORD)
  })

  it('answers a one-record batch claiming 2^31-1 records with 87 and leaves the log end alone', async () => {
    const batch = await batchOf(['x'])
    batch.writeInt32BE(0x7ffffffe, 23)
    batch.writeInt32BE(0x7fffffff, 57)
    stampBatchCrc(batch)
    expect((await produce(9, produceBody('orders', 0, batch))).errorCode).to.equal(ErrorCode.INVALID_RECORD)
    expect(h.logs.partition('orders', 0)?.logEndOffset).to.equal(0)
  })

  it('answers an unknown topic or partition with 3, without creating it', async () => {
    expect((await produce(9, produceBody('nope', 0, await batchOf(['x'])))).errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect((await produce(9, produceBody('orders', 2, await batchOf(['x'])))).errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    expect(h.logs.topic('nope')).to.equal(undefined)
  })

  it('answers a batch above max.message.bytes with 10', async () => {
    const response = await produce(9, produceBody('small', 0, await batchOf(['x'.repeat(200)])))
    expect(response.errorCode).to.equal(ErrorCode.MESSAGE_TOO_LARGE)
    expect(response.errorMessage).to.match(/max\.message\.bytes 100/)
  })

  it('answers acks outside -1, 0, 1 with 21', async () => {
    expect((await produce(9, produceBody('orders', 0, await batchOf(['x']), 2))).errorCode).to.equal(ErrorCode.INVALID_REQUIRED_ACKS)
  })

  it('answers Produce v0-2 with 35 per partition', async () => {
    const response = await h.call(ApiKey.Produce, 2, produceBody('orders', 0, await batchOf(['x'])))
    expect(response.responses[0].partitionResponses[0].errorCode).to.equal(ErrorCode.UNSUPPORTED_VERSION)
  })

  it('answers zstd on Produce v6 with 76, accepts it on v7', async () => {
    const batch = await batchOf(['z'], {compression: 'zstd'})
    expect((await produce(6, produceBody('orders', 0, batch))).errorCode).to.equal(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE)
    expect((await produce(7, produceBody('orders', 0, batch))).errorCode).to.equal(0)
  })

  it('answers a control batch with 87', async () => {
    const batch = await batchOf(['c'])
    batch.writeInt16BE(batch.readInt16BE(21) | 0x20, 21)
    expect((await produce(9, produceBody('orders', 0, batch))).errorCode).to.equal(ErrorCode.INVALID_RECORD)
  })

  it('with acks=all flushes the partition before answering', async () => {
    const response = await produce(9, produceBody('orders', 0, await batchOf(['durable']), -1))
    expect(response.errorCode).to.equal(0)
    expect(h.logs.partition('orders', 0)?.recoveryPoint).to.equal(1)
  })

  it('with acks=all parks after appending, while only the fsync is left to wait for', async () => {
    const endAtPark: number[] = []
    const parked = () => endAtPark.push(h.logs.partition('orders', 0)?.logEndOffset ?? -1)
    await h.broker.handle(h.frame(ApiKey.Produce, 9, produceBody('orders', 0, await batchOf(['durable']), -1)), undefined, parked)
    expect(endAtPark).to.deep.equal([1])
    await h.broker.handle(h.frame(ApiKey.Produce, 9, produceBody('orders', 0, await batchOf(['cached']), 1)), undefined, parked)
    expect(endAtPark).to.deep.equal([1])
  })

  it('with acks=0 appends and answers nothing', async () => {
    const response = await h.broker.handle(h.frame(ApiKey.Produce, 9, produceBody('orders', 0, await batchOf(['quiet']), 0)))
    expect(response).to.equal(null)
    expect(h.logs.partition('orders', 0)?.logEndOffset).to.equal(1)
  })

  it('with acks=0 closes the connection when a partition fails, so the producer notices', async () => {
    const frame = h.frame(ApiKey.Produce, 9, produceBody('nope', 0, await batchOf(['lost']), 0))
    const error = await h.broker.handle(frame).then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(ConnectionError)
  })

  it('appends pipelined requests in the order they arrive', async () => {
    const frames = await Promise.all(['1', '2', '3'].map(async v => h.frame(ApiKey.Produce, 9, produceBody('orders', 0, await batchOf([v]), -1))))
    await Promise.all(frames.map(frame => h.broker.handle(frame)))
    const stored = h.logs.partition('orders', 0)?.read(0, 1 << 20) as Buffer
    expect(stored.toString('latin1')).to.match(/1[^]*2[^]*3/)
  })

  describe('to a compacted topic', () => {
    beforeEach(() => h.createTopic('latest', 1, {'cleanup.policy': 'compact,delete'}))

    const keyed = (keys: (string | null)[], compression: Compression = 'none'): Promise<Buffer> =>
      encodeRecordBatch(keys.map((key, i) => ({key: key === null ? null : Buffer.from(key), value: Buffer.from(`v${i}`), headers: [],
        timestamp: 1_700_000_000_000 + i})), {compression})

    it('appends records that all have a key', async () => {
      expect((await produce(9, produceBody('latest', 0, await keyed(['a', 'b'], 'zstd')))).errorCode).to.equal(0)
      expect(h.logs.partition('latest', 0)?.logEndOffset).to.equal(2)
    })

    for (const compression of ['none', 'gzip', 'zstd'] as Compression[]) {
      it(`answers a ${compression} batch holding a record without a key with 87, Kafka's message and record errors, and appends nothing`, async () => {
        const response = await produce(9, produceBody('latest', 0, await keyed(['a', null, 'c', null], compression)))
        expect(response.errorCode).to.equal(ErrorCode.INVALID_RECORD)
        expect(response.errorMessage).to.match(/^One or more records have been rejected due to 2 record errors/)
        expect(response.errorMessage).to.include('Compacted topic cannot accept message without key in topic partition latest-0.')
        expect(response.recordErrors.map(e => e.batchIndex)).to.deep.equal([1, 3])
        expect(h.logs.partition('latest', 0)?.logEndOffset).to.equal(0)
      })
    }

    it('still answers a bad CRC with 2, and takes keyless records once the topic no longer compacts', async () => {
      const batch = await keyed([null])
      batch[batch.length - 1] ^= 0xff
      expect((await produce(9, produceBody('latest', 0, batch))).errorCode).to.equal(ErrorCode.CORRUPT_MESSAGE)
      await h.logs.alterTopicConfigs('latest', {'cleanup.policy': 'delete'})
      expect((await produce(9, produceBody('latest', 0, await keyed([null])))).errorCode).to.equal(0)
    })
  })
})
