import {randomBytes} from 'node:crypto'
import {expect} from 'chai'
import {
  ApiKey,
  BATCH_HEADER_SIZE,
  ErrorCode,
  encodeResponse,
  encodedRecordSize,
  inflateBatchSync,
  readBatchHeader,
  splitBatches,
  type Compression,
  type RequestTypes,
  type ResponseTypes,
} from '../../src/protocol/index.js'
import {KafkaClient, MAX_BATCH_BYTES, type Producer, type ProducerOptions} from '../../src/client/index.js'
import {BatchBuffers} from '../../src/client/batch-buffers.js'
import {ClosedError, KafkaProtocolError, UnsupportedVersionError} from '../../src/client/errors.js'
import {partitionForKey} from '../../src/client/partitioner.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'
import {waitFor} from './wait-for.js'

type ProduceRequest = RequestTypes[0]

/** Batches per partition in a Produce request: [topic/partition, record count][]. */
function batchesOf(request: ProduceRequest): [string, number][] {
  return request.topicData.flatMap((t) =>
    t.partitionData.flatMap((p) => splitBatches(p.records!).map((b) => [`${t.name}/${p.index}`, readBatchHeader(b).recordCount] as [string, number])),
  )
}

/** A Produce response failing the given partitions with `errorCode`, succeeding the others. */
async function answerWithError(
  request: ProduceRequest,
  next: (request?: ProduceRequest) => Promise<unknown>,
  failing: (topic: string, partition: number) => boolean,
  errorCode: number,
): Promise<ResponseTypes[0]> {
  const keep: ProduceRequest = {
    ...request,
    topicData: request.topicData.map((t) => ({...t, partitionData: t.partitionData.filter((p) => !failing(t.name, p.index))})),
  }
  const succeeded = keep.topicData.some((t) => t.partitionData.length > 0)
    ? ((await next(keep)) as ResponseTypes[0])
    : {responses: [], throttleTimeMs: 0}
  const failed = request.topicData.map((t) => ({
    name: t.name,
    partitionResponses: t.partitionData.filter((p) => failing(t.name, p.index)).map((p) => ({index: p.index, errorCode, baseOffset: -1})),
  }))
  return {...succeeded, responses: [...succeeded.responses, ...failed]} as unknown as ResponseTypes[0]
}

/**
 * Holds Produce responses until `count` requests wait for theirs (the last few: a moment longer), then
 * writes them in request order, as a broker does; records are appended when each request arrives.
 * `answer` makes each reply (default: the fake's own). Reports the most batches of one partition that
 * waited for their responses at once.
 */
function holdProduceResponses(
  fake: FakeCluster,
  count: number,
  answer: (request: ProduceRequest, next: (request?: ProduceRequest) => Promise<unknown>) => Promise<unknown> = (_request, next) => next(),
): {mostInFlight: () => number} {
  const waiting = new Map<number, number>()
  let most = 0
  const held: (() => void)[] = []
  const releaseAll = (): void => {
    for (const write of held.splice(0)) write()
  }
  fake.intercept(ApiKey.Produce, async (request, context, next) => {
    const partitions = request.topicData.flatMap((t) => t.partitionData.map((data) => data.index))
    for (const partition of partitions) {
      waiting.set(partition, (waiting.get(partition) ?? 0) + 1)
      most = Math.max(most, waiting.get(partition)!)
    }
    const reply = (await answer(request, next)) as ResponseTypes[0]
    held.push(() => {
      for (const partition of partitions) waiting.set(partition, waiting.get(partition)! - 1)
      context.socket.write(encodeResponse(ApiKey.Produce, context.version, context.correlationId, reply))
    })
    if (held.length >= count) releaseAll()
    else void fake.delay(200).then(releaseAll)
    return 'no-response' as const
  })
  return {mostInFlight: () => most}
}

/** The numeric values of a stored batch's records. */
function batchValues(batch: Buffer): number[] {
  return inflateBatchSync(batch).records.map((r) => Number(r.value!.toString()))
}

async function valuesOf(fake: FakeCluster, partition: number): Promise<number[]> {
  return (await fake.partition('t', partition).records()).map((r) => Number(r.value!.toString()))
}

async function batchValuesOf(fake: FakeCluster, partition: number): Promise<number[][]> {
  return fake.partition('t', partition).batches.map(batchValues)
}

describe('Producer', () => {
  let fake: FakeCluster
  let client: KafkaClient

  async function start(options: FakeClusterOptions = {}): Promise<void> {
    fake = await FakeCluster.start(options)
    client = await KafkaClient.connect(fake.clientOptions)
  }

  function producer(options: ProducerOptions = {}): Producer {
    return client.producer({retryBackoffMs: 5, ...options})
  }

  afterEach(async () => {
    await client?.close()
    await fake.stop()
  })

  it('places keyed records by murmur2 and keeps each key in send order', async () => {
    await start()
    fake.createTopic('t', 6)
    const p = producer()
    for (let i = 0; i < 300; i++) p.send({topic: 't', key: Buffer.from(`key-${i % 17}`), value: Buffer.from(String(i))})
    await p.flush()
    expect(p.acknowledged).to.equal(300)
    for (let partition = 0; partition < 6; partition++) {
      const records = await fake.partition('t', partition).records()
      for (const record of records) expect(partitionForKey(record.key!, 6)).to.equal(partition)
      const values = records.map((r) => Number(r.value!.toString()))
      expect(values).to.deep.equal([...values].sort((a, b) => a - b))
    }
  })

  it('keeps keyless records on one partition while its batch fills', async () => {
    await start()
    fake.createTopic('t', 8)
    const p = producer({lingerMs: 60_000})
    for (let i = 0; i < 50; i++) p.send({topic: 't', key: null, value: Buffer.from('x')})
    await p.flush()
    const filled = fake.topics.get('t')!.partitions.filter((partition) => partition.highWatermark > 0)
    expect(filled.map((partition) => partition.highWatermark)).to.deep.equal([50])
  })

  it('sends one request per leader carrying one batch per partition', async () => {
    await start()
    fake.createTopic('t', 4)
    fake.createTopic('u', 1)
    const p = producer({lingerMs: 60_000})
    p.send({topic: 't', key: null, value: Buffer.from('warm-up')})
    p.send({topic: 'u', key: null, value: Buffer.from('warm-up')})
    await p.flush() // topic metadata is known from here on
    const before = fake.requestsOf(ApiKey.Produce).length
    for (let i = 0; i < 40; i++) p.send({topic: 't', partition: i % 4, key: null, value: Buffer.from('v')})
    p.send({topic: 'u', key: null, value: Buffer.from('w')})
    await p.flush()
    const requests = fake.requestsOf(ApiKey.Produce).slice(before)
    expect(requests.length).to.equal(1)
    expect(batchesOf(requests[0]!.body).sort()).to.deep.equal([['t/0', 10], ['t/1', 10], ['t/2', 10], ['t/3', 10], ['u/0', 1]])
  })

  it('sends a lingering batch without a flush', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({lingerMs: 20})
    for (let i = 0; i < 10; i++) p.send({topic: 't', key: null, value: Buffer.from(`v${i}`)})
    await waitFor(() => p.acknowledged === 10, 'the lingered batch')
    const requests = fake.requestsOf(ApiKey.Produce)
    expect(requests.flatMap((r) => batchesOf(r.body))).to.deep.equal([['t/0', 10]])
  })

  it('closes batches at batchBytes, counting encoded bytes exactly', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({batchBytes: 10_000, lingerMs: 60_000})
    const value = Buffer.alloc(100, 1)
    for (let i = 0; i < 1000; i++) p.send({topic: 't', key: Buffer.from(`k${i}`), value, partition: 0})
    await p.flush()
    const batches = fake.partition('t', 0).batches
    expect(batches.length).to.be.greaterThan(10)
    for (const batch of batches.slice(0, -1)) {
      expect(batch.length).to.be.at.most(10_000)
      expect(batch.length).to.be.greaterThan(10_000 - 130) // the next record would not have fitted
    }
    expect((await fake.partition('t', 0).records()).map((r) => r.key!.toString())).to.deep.equal(
      Array.from({length: 1000}, (_, i) => `k${i}`),
    )
  })

  it(`never builds a batch above ${MAX_BATCH_BYTES} bytes, whatever batchBytes says`, async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({batchBytes: 8 * 1024 * 1024, lingerMs: 60_000})
    const value = Buffer.alloc(1000, 7)
    for (let i = 0; i < 3000; i++) p.send({topic: 't', key: null, value, partition: 0})
    await p.flush()
    const batches = fake.partition('t', 0).batches
    expect(batches.length).to.equal(4)
    for (const batch of batches) expect(batch.length).to.be.at.most(MAX_BATCH_BYTES)
  })

  it('fills the buffer of an acknowledged batch again rather than allocating a new one', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({lingerMs: 60_000})
    const take = BatchBuffers.prototype.take
    const taken = new Set<Buffer>()
    BatchBuffers.prototype.take = function (this: BatchBuffers, capacity: number): Buffer {
      const buffer = take.call(this, capacity)
      if (buffer.length >= 500_000) taken.add(buffer)
      return buffer
    }
    try {
      // a batch of ~950 kB a round, acknowledged before the next round starts
      for (let round = 0; round < 10; round++) {
        for (let i = 0; i < 9000; i++) p.send({topic: 't', key: null, value: Buffer.from(`${round}:${i}`.padEnd(100, '.'))})
        await p.flush()
      }
    } finally {
      BatchBuffers.prototype.take = take
    }
    expect(fake.partition('t', 0).batches.length).to.equal(10)
    expect(taken.size).to.equal(1) // rounds 2 to 10 all wrote into the buffer round 1 grew
    const values = (await fake.partition('t', 0).records()).map((r) => r.value!.toString().replace(/\.+$/, ''))
    expect(values).to.deep.equal(Array.from({length: 90_000}, (_, n) => `${Math.floor(n / 9000)}:${n % 9000}`))
  })

  it('applies backpressure: send() turns false past bufferBytes and drain() waits for acknowledgements', async () => {
    await start()
    fake.createTopic('t', 1)
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.intercept(ApiKey.Produce, async (_request, _context, next) => {
      await held
      return next()
    })
    const p = producer({bufferBytes: 20_000, batchBytes: 5_000, lingerMs: 0})
    expect(p.send({topic: 't', key: null, value: Buffer.alloc(100)})).to.equal(false) // metadata first
    await p.drain()
    let accepted = 1
    while (p.send({topic: 't', key: null, value: Buffer.alloc(100)})) accepted++
    expect(accepted).to.be.within(150, 200)
    let drained = false
    const draining = p.drain().then(() => (drained = true))
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(drained).to.equal(false)
    release()
    await draining
    await p.flush()
    expect(p.acknowledged).to.equal(accepted + 1)
  })

  for (const maxInFlight of [1, 4]) {
    it(`keeps each partition in send order without errors, with up to maxInFlight=${maxInFlight} of its batches in flight`, async () => {
      await start()
      fake.createTopic('t', 2)
      const held = holdProduceResponses(fake, maxInFlight)
      const p = producer({batchBytes: 1_000, lingerMs: 0, maxInFlight})
      for (let i = 0; i < 400; i++) p.send({topic: 't', partition: i % 2, key: null, value: Buffer.from(String(i).padStart(50, '0'))})
      await p.flush()
      expect(p.acknowledged).to.equal(400)
      expect(held.mostInFlight(), `maxInFlight ${maxInFlight}`).to.equal(maxInFlight)
      for (let partition = 0; partition < 2; partition++) {
        expect(await valuesOf(fake, partition)).to.deep.equal(Array.from({length: 200}, (_, i) => i * 2 + partition))
      }
    })
  }

  it('delivers every record once per successful attempt through retriable errors with several requests in flight', async () => {
    await start()
    fake.createTopic('t', 3)
    let produceCount = 0
    let failures = 0
    fake.intercept(ApiKey.Produce, (request, _context, next) => {
      produceCount++
      // every third request fails partition 1 and every fourth partition 2, retriably; partition 0 never fails
      const failing = (_t: string, partition: number): boolean =>
        (partition === 1 && produceCount % 3 === 0) || (partition === 2 && produceCount % 4 === 0)
      failures += request.topicData[0]!.partitionData.filter((data) => failing('t', data.index)).length
      return answerWithError(request, next, failing, ErrorCode.NOT_LEADER_OR_FOLLOWER)
    })
    const p = producer({batchBytes: 2_000, lingerMs: 0, maxInFlight: 5})
    for (let i = 0; i < 3000; i++) {
      if (!p.send({topic: 't', partition: i % 3, key: null, value: Buffer.from(String(i).padStart(8, '0'))})) await p.drain()
    }
    await p.flush()
    expect(p.acknowledged).to.equal(3000)
    expect(failures).to.be.greaterThan(0)
    for (let partition = 0; partition < 3; partition++) {
      const expected = Array.from({length: 1000}, (_, i) => i * 3 + partition)
      const values = await valuesOf(fake, partition)
      // A retried batch may land after batches of its partition that were in flight behind it, but
      // batches stay whole and no record is lost or doubled; without errors, order holds.
      if (partition === 0) expect(values).to.deep.equal(expected)
      else expect([...values].sort((a, b) => a - b)).to.deep.equal(expected)
      for (const batch of await batchValuesOf(fake, partition)) {
        expect(batch).to.deep.equal(Array.from({length: batch.length}, (_, i) => batch[0]! + i * 3))
      }
    }
    const batchesSent = fake.requestsOf(ApiKey.Produce).reduce((sum, r) => sum + batchesOf(r.body).length, 0)
    const batchesStored = [0, 1, 2].reduce((sum, partition) => sum + fake.partition('t', partition).batches.length, 0)
    expect(batchesSent - batchesStored).to.equal(failures) // each failed attempt was retried
    expect(fake.requestsOf(ApiKey.Metadata).length).to.be.greaterThan(1) // refreshed after NOT_LEADER
  })

  it('retries failed batches in their original order, while batches in flight behind them may land first', async () => {
    await start()
    fake.createTopic('t', 1)
    const failOnce = new Set([10, 20]) // the first attempts of the 2nd and 3rd batches
    const held = holdProduceResponses(fake, 5, (request, next) => {
      const records = request.topicData[0]!.partitionData[0]!.records!
      if (!failOnce.delete(batchValues(splitBatches(records)[0]!)[0]!)) return next()
      return answerWithError(request, next, () => true, ErrorCode.NOT_LEADER_OR_FOLLOWER)
    })
    const value = (i: number): Buffer => Buffer.from(String(i).padStart(8, '0'))
    const recordBytes = encodedRecordSize({key: null, value: value(0), headers: [], timestamp: 0}, 0, 0)
    const p = producer({batchBytes: BATCH_HEADER_SIZE + 10 * recordBytes, lingerMs: 60_000, maxInFlight: 5}) // 10 records a batch
    for (let i = 0; i < 100; i++) p.send({topic: 't', key: null, value: value(i), timestamp: 0})
    await p.flush()
    expect(p.acknowledged).to.equal(100)
    expect(held.mostInFlight()).to.equal(5)
    const firstValues = (await batchValuesOf(fake, 0)).map((batch) => batch[0])
    expect([...firstValues].sort((a, b) => a! - b!)).to.deep.equal(Array.from({length: 10}, (_, i) => i * 10))
    // batches 3 and 4 were in flight behind the failed 1 and 2: they landed first; 1 and 2 kept their order
    expect(firstValues.indexOf(30)).to.be.lessThan(firstValues.indexOf(10))
    expect(firstValues.indexOf(40)).to.be.lessThan(firstValues.indexOf(10))
    expect(firstValues.indexOf(10)).to.be.lessThan(firstValues.indexOf(20))
  })

  it('reports a non-retriable error from flush, naming topic, partition and error, and delivers the rest', async () => {
    await start()
    fake.createTopic('t', 2)
    fake.intercept(ApiKey.Produce, (request, _context, next) =>
      answerWithError(request, next, (_t, partition) => partition === 0, ErrorCode.MESSAGE_TOO_LARGE),
    )
    const p = producer()
    p.send({topic: 't', partition: 0, key: null, value: Buffer.from('big')})
    p.send({topic: 't', partition: 1, key: null, value: Buffer.from('fine')})
    try {
      await p.flush()
      expect.fail('flush resolved')
    } catch (error) {
      expect(error).to.be.instanceOf(KafkaProtocolError)
      expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.MESSAGE_TOO_LARGE)
      expect((error as KafkaProtocolError).kafkaName).to.equal('MESSAGE_TOO_LARGE')
      expect((error as Error).message).to.match(/^t\/0: MESSAGE_TOO_LARGE/)
    }
    expect(p.acknowledged).to.equal(1)
    expect(fake.partition('t', 1).highWatermark).to.equal(1)
    expect(fake.requestsOf(ApiKey.Produce).length).to.equal(1) // not retried
    await p.close().catch(() => undefined)
  })

  it('gives up on a retriable error once retries are spent', async () => {
    await start()
    fake.createTopic('t', 1)
    fake.intercept(ApiKey.Produce, (request, _context, next) => answerWithError(request, next, () => true, ErrorCode.NOT_LEADER_OR_FOLLOWER))
    const p = producer({retries: 3})
    p.send({topic: 't', key: null, value: Buffer.from('v')})
    try {
      await p.flush()
      expect.fail('flush resolved')
    } catch (error) {
      expect((error as Error).message).to.match(/^t\/0: NOT_LEADER_OR_FOLLOWER/)
    }
    expect(fake.requestsOf(ApiKey.Produce).length).to.equal(4)
  })

  it('retries on a new connection when the broker drops one mid-request', async () => {
    await start()
    fake.createTopic('t', 1)
    let dropped = false
    fake.intercept(ApiKey.Produce, (_request, _context, next) => {
      if (dropped) return next()
      dropped = true
      return 'close'
    })
    const p = producer()
    for (let i = 0; i < 5; i++) p.send({topic: 't', key: null, value: Buffer.from(`v${i}`)})
    await p.flush()
    expect(p.acknowledged).to.equal(5)
    expect((await fake.partition('t', 0).records()).map((r) => r.value!.toString())).to.deep.equal(['v0', 'v1', 'v2', 'v3', 'v4'])
  })

  it('reports an unknown topic once metadata lookups give up', async () => {
    await start()
    const p = producer()
    p.send({topic: 'nope', key: null, value: Buffer.from('v')})
    try {
      await p.flush()
      expect.fail('flush resolved')
    } catch (error) {
      expect((error as Error).message).to.match(/^topic nope: UNKNOWN_TOPIC_OR_PARTITION/)
    }
    expect(p.acknowledged).to.equal(0)
  })

  it('asks for auto-creation of a topic it produces to', async () => {
    await start({autoCreateTopics: true})
    const p = producer()
    p.send({topic: 'fresh', key: null, value: Buffer.from('v')})
    await p.flush()
    expect(fake.partition('fresh', 0).highWatermark).to.equal(1)
  })

  it('reports a partition the topic does not have', async () => {
    await start()
    fake.createTopic('t', 2)
    const p = producer()
    p.send({topic: 't', partition: 5, key: null, value: Buffer.from('v')})
    p.send({topic: 't', partition: 1, key: null, value: Buffer.from('v')})
    try {
      await p.flush()
      expect.fail('flush resolved')
    } catch (error) {
      expect((error as Error).message).to.equal('t/5: UNKNOWN_TOPIC_OR_PARTITION (topic t has 2 partitions)')
    }
    expect(p.acknowledged).to.equal(1)
  })

  it('with acks=0 counts records once written, the broker sending no response', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({acks: 0})
    for (let i = 0; i < 10; i++) p.send({topic: 't', key: null, value: Buffer.from('v')})
    await p.flush()
    expect(p.acknowledged).to.equal(10)
    await waitFor(() => fake.partition('t', 0).highWatermark === 10, 'the records')
    expect(fake.requestsOf(ApiKey.Produce)[0]!.body.acks).to.equal(0)
  })

  it('with acks=0 keeps several requests of one partition in flight, in send order', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({acks: 0, batchBytes: 1_000, lingerMs: 0, maxInFlight: 5})
    for (let i = 0; i < 1000; i++) p.send({topic: 't', key: null, value: Buffer.from(String(i).padStart(20, '0'))})
    await p.flush()
    expect(p.acknowledged).to.equal(1000)
    await waitFor(() => fake.partition('t', 0).highWatermark === 1000, 'the records')
    expect(fake.requestsOf(ApiKey.Produce).length).to.be.greaterThan(5)
    expect(await valuesOf(fake, 0)).to.deep.equal(Array.from({length: 1000}, (_, i) => i))
  })

  for (const acks of [1, -1] as const) {
    it(`sends acks=${acks}`, async () => {
      await start()
      fake.createTopic('t', 1)
      const p = producer({acks})
      p.send({topic: 't', key: null, value: Buffer.from('v')})
      await p.flush()
      expect(fake.requestsOf(ApiKey.Produce)[0]!.body.acks).to.equal(acks)
    })
  }

  for (const compression of ['gzip', 'snappy', 'lz4', 'zstd'] as Compression[]) {
    it(`compresses batches with ${compression}`, async () => {
      await start()
      fake.createTopic('t', 1)
      const p = producer({compression})
      const headers = [{key: 'h', value: Buffer.from('hv')}]
      for (let i = 0; i < 100; i++) p.send({topic: 't', key: Buffer.from(`k${i}`), value: Buffer.from(`value ${i}`.repeat(10)), headers, timestamp: 1_700_000_000_000 + i})
      await p.flush()
      const batch = fake.partition('t', 0).batches[0]!
      expect(readBatchHeader(batch).compression).to.equal(compression)
      const records = await fake.partition('t', 0).records()
      expect(records.length).to.equal(100)
      expect(records[42]!.value!.toString()).to.equal('value 42'.repeat(10))
      expect(records[42]!.timestamp).to.equal(1_700_000_000_042)
      expect(records[42]!.headers).to.deep.equal(headers)
    })
  }

  it('sends compressed batches in order though their compression may finish out of order', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({compression: 'gzip', batchBytes: 2_000, lingerMs: 0, maxInFlight: 5})
    // batches alternate between incompressible (slow) and repetitive (fast) values
    for (let i = 0; i < 2000; i++) {
      const filler = Math.floor(i / 40) % 2 === 0 ? randomBytes(16).toString('hex') : 'x'.repeat(32)
      p.send({topic: 't', key: null, value: Buffer.from(`${String(i).padStart(8, '0')}${filler}`)})
    }
    await p.flush()
    expect(fake.partition('t', 0).batches.length).to.be.greaterThan(10)
    const values = (await fake.partition('t', 0).records()).map((r) => Number(r.value!.subarray(0, 8).toString()))
    expect(values).to.deep.equal(Array.from({length: 2000}, (_, i) => i))
  })

  it('refuses zstd against a broker without Produce v7', async () => {
    await start({maxVersions: {[ApiKey.Produce]: 6}})
    fake.createTopic('t', 1)
    const p = producer({compression: 'zstd'})
    p.send({topic: 't', key: null, value: Buffer.from('v')})
    try {
      await p.flush()
      expect.fail('flush resolved')
    } catch (error) {
      expect(error).to.be.instanceOf(UnsupportedVersionError)
    }
  })

  it('routes batches to each partition leader of a many-broker cluster', async () => {
    await start({transport: 'tcp', nodes: 3})
    fake.createTopic('t', 6)
    const p = producer()
    for (let i = 0; i < 600; i++) p.send({topic: 't', key: Buffer.from(String(i)), value: Buffer.from('v')})
    await p.flush()
    expect(p.acknowledged).to.equal(600)
    for (const request of fake.requestsOf(ApiKey.Produce)) {
      for (const t of request.body.topicData) for (const part of t.partitionData) expect(fake.leaderOf(part.index)).to.equal(request.node)
    }
    expect(new Set(fake.requestsOf(ApiKey.Produce).map((r) => r.node)).size).to.equal(3)
  })

  for (const produceVersion of [3, 8]) {
    it(`works against a broker whose newest Produce is v${produceVersion} (not flexible)`, async () => {
      await start({maxVersions: {[ApiKey.Produce]: produceVersion, [ApiKey.Metadata]: 4, [ApiKey.ApiVersions]: 2}})
      fake.createTopic('t', 2)
      const p = producer()
      for (let i = 0; i < 20; i++) p.send({topic: 't', key: Buffer.from(String(i)), value: Buffer.from('v')})
      await p.flush()
      expect(p.acknowledged).to.equal(20)
      expect(fake.requestsOf(ApiKey.Produce)[0]!.version).to.equal(produceVersion)
    })
  }

  it('refuses a record whose key, value or header is not bytes, without counting it', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer()
    const bad = [
      {topic: 't', key: 'k' as unknown as Buffer, value: null},
      {topic: 't', key: null, value: 7 as unknown as Buffer},
      {topic: 't', key: null, value: null, headers: [{key: 'h', value: 'v' as unknown as Buffer}]},
    ]
    for (const record of bad) expect(() => p.send(record)).to.throw(/must|needs/)
    p.send({topic: 't', key: null, value: Buffer.from('v')})
    await p.flush()
    expect(p.acknowledged).to.equal(1)
  })

  it('refuses records after close', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer()
    p.send({topic: 't', key: null, value: Buffer.from('v')})
    await p.close()
    expect(p.acknowledged).to.equal(1)
    expect(() => p.send({topic: 't', key: null, value: null})).to.throw(ClosedError)
  })
})
