// What the consumer reads: every record in order from a position (earliest, latest or an offset), empty
// items with the high watermark, truncated and oversized batches, compressed and control batches, and an
// offset out of range. Separate from reset, assignment and fetching tests; helpers in consumer-fixtures.ts.
import {expect} from 'chai'
import {ApiKey, ErrorCode, type Compression, type ResponseTypes} from '../../src/protocol/index.js'
import {type Consumer} from '../../src/client/index.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {append, appendControlBatch, consumeUntil, consumer, values} from './consumer-fixtures.js'

describe('Consumer', () => {
  closeSessionAfterEach()

  it('reads every record from earliest in order and advances its position', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a', 'b', 'c'])
    await append(fake, 't', 0, ['d', 'e'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 'earliest'}])
    expect(c.position('t', 0)).to.equal(0)
    const items = await consumeUntil(c, () => c.position('t', 0) >= 5)
    expect(values(items)).to.deep.equal(['a', 'b', 'c', 'd', 'e'])
    expect(items.at(-1)!.highWatermark).to.equal(5)
    expect(items.flatMap((i) => i.records.map((r) => r.offset))).to.deep.equal([0, 1, 2, 3, 4])
    await c.close()
  })

  it('skips the records below the requested offset in the first batch', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a', 'b', 'c', 'd'])
    await append(fake, 't', 0, ['e'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 2}])
    const items = await consumeUntil(c, () => c.position('t', 0) >= 5)
    expect(values(items)).to.deep.equal(['c', 'd', 'e'])
    expect(items[0]!.records[0]!.offset).to.equal(2)
  })

  it('visits the same records without objects, and stops where the visitor says', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a', 'b', 'c', 'd'])
    await append(fake, 't', 0, ['e'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 1}])
    const items = await consumeUntil(c, () => c.position('t', 0) >= 5)
    const visited: string[] = []
    for (const item of items) item.forEachRecord((record) => visited.push(`${record.offset}:${record.value}`) > 0)
    expect(visited).to.deep.equal(['1:b', '2:c', '3:d', '4:e'])
    expect(items.reduce((sum, item) => sum + item.recordCount, 0)).to.equal(4)
    const firstTwo: number[] = []
    const whole = items.find((item) => item.recordCount > 1)!.forEachRecord((record) => firstTwo.push(record.offset) < 2)
    expect(whole).to.equal(false)
    expect(firstTwo).to.deep.equal([1, 2])
  })

  it("starts at 'latest' with only what comes after", async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['old', 'older'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 'latest'}])
    expect(c.position('t', 0)).to.equal(2)
    await append(fake, 't', 0, ['new'])
    const items = await consumeUntil(c, () => c.position('t', 0) >= 3)
    expect(values(items)).to.deep.equal(['new'])
  })

  it('yields an empty item with the high watermark for partitions with nothing to read', async () => {
    await start()
    fake.createTopic('t', 3)
    await append(fake, 't', 1, ['x', 'y'])
    const c = consumer()
    await c.assign([0, 1, 2].map((partition) => ({topic: 't', partition, offset: 'earliest' as const})))
    const seen = new Map<number, number>()
    await consumeUntil(c, (items) => {
      for (const item of items) seen.set(item.partition, item.highWatermark)
      return seen.size === 3 && [0, 1, 2].every((p) => c.position('t', p) >= seen.get(p)!)
    })
    expect([...seen].sort()).to.deep.equal([[0, 0], [1, 2], [2, 0]])
    expect([0, 1, 2].map((p) => c.position('t', p))).to.deep.equal([0, 2, 0])
  })

  it('discards a truncated trailing batch and fetches it again', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a', 'b'])
    await append(fake, 't', 0, ['c', 'd'])
    let cut = false
    fake.intercept(ApiKey.Fetch, async (_request, _context, next) => {
      const response = (await next()) as ResponseTypes[1]
      const partition = response.responses[0]!.partitions[0]!
      if (!cut && partition.records && partition.records.length > 0) {
        cut = true
        partition.records = partition.records.subarray(0, partition.records.length - 5) // ends inside batch 2
      }
      return response
    })
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    const items = await consumeUntil(c, () => c.position('t', 0) >= 4)
    expect(values(items)).to.deep.equal(['a', 'b', 'c', 'd'])
    expect(fake.requestsOf(ApiKey.Fetch)[1]!.body.topics[0]!.partitions[0]!.fetchOffset).to.equal(2)
  })

  it('asks for more bytes when a single batch exceeds partitionMaxBytes on a broker that cuts it', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['x'.repeat(3000)])
    fake.intercept(ApiKey.Fetch, async (request, _context, next) => {
      const response = (await next()) as ResponseTypes[1]
      const partition = response.responses[0]!.partitions[0]!
      const limit = request.topics[0]!.partitions[0]!.partitionMaxBytes
      if (partition.records) partition.records = partition.records.subarray(0, limit) // pre-KIP-74 behaviour
      return response
    })
    const c = consumer({partitionMaxBytes: 1000})
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    const items = await consumeUntil(c, () => c.position('t', 0) >= 1)
    expect(values(items)).to.deep.equal(['x'.repeat(3000)])
    const asked = fake.requestsOf(ApiKey.Fetch).map((r) => r.body.topics[0]!.partitions[0]!.partitionMaxBytes)
    expect(asked.slice(0, 3)).to.deep.equal([1000, 2000, 4000])
  })

  it('reports an offset out of range with the partition and offset', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 50}])
    try {
      await consumeUntil(c, () => false)
      expect.fail('iteration ended')
    } catch (error) {
      expect(error).to.be.instanceOf(KafkaProtocolError)
      expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.OFFSET_OUT_OF_RANGE)
      expect((error as Error).message).to.match(/^t\/0: OFFSET_OUT_OF_RANGE \(offset 50 is outside the partition's log/)
    }
  })

  it('stops at once on CORRUPT_MESSAGE, naming the offset, as Kafka\'s consumer does: retrying cannot mend a damaged batch', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a', 'b'])
    await append(fake, 't', 0, ['c'])
    fake.partition('t', 0).corruptFrom = 2
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 'earliest'}])
    const items: string[] = []
    try {
      for await (const item of c.batches()) items.push(...item.records.map((r) => r.value!.toString()))
      expect.fail('iteration ended')
    } catch (error) {
      expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.CORRUPT_MESSAGE)
      expect((error as Error).message).to.match(/^t\/0 at offset 2: CORRUPT_MESSAGE/)
    }
    expect(items).to.deep.equal(['a', 'b'])
    const fetchesAtTwo = fake.requestsOf(ApiKey.Fetch).filter((r) => r.body.topics.some((t) => t.partitions.some((p) => p.fetchOffset === 2)))
    expect(fetchesAtTwo, 'no retries').to.have.length(1)
  })

  it('hides control batches but moves past them', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a'])
    await appendControlBatch(fake, 't', 0)
    await append(fake, 't', 0, ['b'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    const items = await consumeUntil(c, () => c.position('t', 0) >= 3)
    expect(items.flatMap((i) => i.records.map((r) => [r.offset, r.value!.toString()]))).to.deep.equal([[0, 'a'], [2, 'b']])
  })

  for (const compression of ['gzip', 'zstd'] as Compression[]) {
    it(`decodes ${compression} batches`, async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['p', 'q', 'r'], compression)
      const c = consumer()
      await c.assign([{topic: 't', partition: 0, offset: 1}])
      const items = await consumeUntil(c, () => c.position('t', 0) >= 3)
      expect(values(items)).to.deep.equal(['q', 'r'])
    })
  }
})
