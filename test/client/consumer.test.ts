import {expect} from 'chai'
import {ApiKey, ErrorCode, encodeRecordBatch, encodeResponse, type Compression, type ResponseTypes} from '../../src/protocol/index.js'
import {stampBatchCrc} from '../../src/protocol/record-batch.js'
import {KafkaClient, type Consumer, type ConsumerOptions, type FetchedBatch, type OffsetReset} from '../../src/client/index.js'
import {KafkaProtocolError, WeirError} from '../../src/client/errors.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'
import {waitFor} from './wait-for.js'

/** Appends one batch of records whose values are the given strings. */
async function append(fake: FakeCluster, topic: string, partition: number, values: string[], compression: Compression = 'none'): Promise<void> {
  const records = values.map((value) => ({key: null, value: Buffer.from(value), headers: [], timestamp: 1_700_000_000_000}))
  fake.partition(topic, partition).append(await encodeRecordBatch(records, {compression}))
}

/** Appends a transaction marker (a control batch: transactional + control attribute bits). */
async function appendControlBatch(fake: FakeCluster, topic: string, partition: number): Promise<void> {
  const marker = {key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]), headers: [], timestamp: 1_700_000_000_000}
  const batch = await encodeRecordBatch([marker], {compression: 'none', producerId: 7, producerEpoch: 0, baseSequence: -1, transactional: true})
  batch.writeInt16BE(batch.readInt16BE(21) | 0x20, 21)
  stampBatchCrc(batch)
  fake.partition(topic, partition).append(batch)
}

/** Reads items until `done` says stop; returns every item seen. */
async function consumeUntil(consumer: Consumer, done: (items: FetchedBatch[]) => boolean): Promise<FetchedBatch[]> {
  const items: FetchedBatch[] = []
  for await (const item of consumer.batches()) {
    items.push(item)
    if (done(items)) break
  }
  return items
}

function values(items: FetchedBatch[], partition = 0): string[] {
  return items.filter((i) => i.partition === partition).flatMap((i) => i.records.map((r) => r.value!.toString()))
}

describe('Consumer', () => {
  let fake: FakeCluster
  let client: KafkaClient

  async function start(options: FakeClusterOptions = {}): Promise<void> {
    fake = await FakeCluster.start(options)
    client = await KafkaClient.connect(fake.clientOptions)
  }

  function consumer(options: ConsumerOptions = {}): Consumer {
    return client.consumer({maxWaitMs: 20, ...options})
  }

  afterEach(async () => {
    await client?.close()
    await fake.stop()
  })

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

  describe('offset reset policy', () => {
    it("with 'earliest', goes on from the log start when the position fell below it, and says so", async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a', 'b'])
      await append(fake, 't', 0, ['c', 'd'])
      await append(fake, 't', 0, ['e'])
      let fetches = 0
      fake.intercept(ApiKey.Fetch, (request, _context, next) => {
        if (++fetches === 2) fake.partition('t', 0).logStartOffset = 4 // retention ran between two fetches
        return next(request)
      })
      const resets: OffsetReset[] = []
      const c = consumer({partitionMaxBytes: 1, offsetReset: 'earliest', onOffsetReset: (reset) => resets.push(reset)})
      await c.assign([{topic: 't', partition: 0, offset: 0}])
      const seen: string[] = []
      const items = await consumeUntil(c, (got) => {
        seen.push(`${values(got.slice(-1)).join(',')}|${resets.length}`)
        return values(got).length === 3
      })
      expect(values(items)).to.deep.equal(['a', 'b', 'e'])
      expect(resets).to.deep.equal([{topic: 't', partition: 0, from: 2, to: 4, policy: 'earliest'}])
      expect(seen[0], 'the records fetched before the reset come first').to.equal('a,b|0')
      expect(c.position('t', 0)).to.equal(5)
    })

    it("with 'latest', goes on from the end", async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a', 'b', 'c'])
      fake.partition('t', 0).logStartOffset = 2
      const resets: OffsetReset[] = []
      const c = consumer({offsetReset: 'latest', onOffsetReset: (reset) => resets.push(reset)})
      await c.assign([{topic: 't', partition: 0, offset: 0}])
      let appended = false
      const items = await consumeUntil(c, (got) => {
        if (resets.length === 1 && !appended) {
          appended = true
          void append(fake, 't', 0, ['new'])
        }
        return values(got).length > 0
      })
      expect(values(items)).to.deep.equal(['new'])
      expect(resets).to.deep.equal([{topic: 't', partition: 0, from: 0, to: 3, policy: 'latest'}])
    })

    it('applies to a position past the end too (the log was cut back)', async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a'])
      const resets: OffsetReset[] = []
      const c = consumer({offsetReset: 'earliest', onOffsetReset: (reset) => resets.push(reset)})
      await c.assign([{topic: 't', partition: 0, offset: 7}])
      expect(values(await consumeUntil(c, (got) => values(got).length > 0))).to.deep.equal(['a'])
      expect(resets).to.deep.equal([{topic: 't', partition: 0, from: 7, to: 0, policy: 'earliest'}])
    })

    it("with 'none' (the default), reports the error and stops the partition", async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a'])
      fake.partition('t', 0).logStartOffset = 1
      const c = consumer({offsetReset: 'none'})
      await c.assign([{topic: 't', partition: 0, offset: 0}])
      const failure = await consumeUntil(c, () => false).then(() => null, (error: unknown) => error)
      expect(failure).to.be.instanceOf(KafkaProtocolError)
      expect((failure as Error).message).to.include('t/0: OFFSET_OUT_OF_RANGE (offset 0 is outside')
    })
  })

  it('stops reading an unassigned partition', async () => {
    await start()
    fake.createTopic('t', 2)
    await append(fake, 't', 0, ['a'])
    await append(fake, 't', 1, ['b'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}, {topic: 't', partition: 1, offset: 0}])
    c.unassign('t', 1)
    await append(fake, 't', 0, ['c'])
    const items = await consumeUntil(c, (got) => values(got).length === 2)
    expect(values(items)).to.deep.equal(['a', 'c'])
    expect(values(items, 1)).to.deep.equal([])
    expect(() => c.position('t', 1)).to.throw(WeirError, 'not assigned')
  })

  it('stops with UNKNOWN_TOPIC_OR_PARTITION after a few spaced Metadata lookups when its topic is deleted mid-consume', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    let metadataBeforeDelete = 0
    try {
      await consumeUntil(c, () => {
        if (c.position('t', 0) >= 1 && fake.topics.delete('t')) metadataBeforeDelete = fake.requestsOf(ApiKey.Metadata).length
        return false
      })
      expect.fail('iteration ended')
    } catch (error) {
      expect(error).to.be.instanceOf(KafkaProtocolError)
      expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      expect((error as Error).message).to.match(/^t\/0: UNKNOWN_TOPIC_OR_PARTITION/)
    }
    // one lookup per retry (eight in a row end it), not a lookup loop
    const lookups = fake.requestsOf(ApiKey.Metadata).length - metadataBeforeDelete
    expect(lookups).to.be.within(1, 8)
    await c.close()
  })

  it('keeps reading when a deleted topic comes back before the retries run out', async () => {
    await start()
    const topic = fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a'])
    let misses = 0
    fake.intercept(ApiKey.Metadata, async (_request, _context, next) => {
      const reply = (await next()) as ResponseTypes[3]
      if (reply.topics[0]?.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && ++misses === 3) fake.topics.set('t', topic)
      return reply
    })
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    let appended = false
    const items = await consumeUntil(c, () => {
      if (c.position('t', 0) === 1 && misses === 0) fake.topics.delete('t')
      if (misses >= 3 && !appended) {
        appended = true
        void append(fake, 't', 0, ['b'])
      }
      return c.position('t', 0) >= 2
    })
    expect(values(items)).to.deep.equal(['a', 'b'])
    expect(misses).to.equal(3)
    await c.close()
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

  it('ends an iteration waiting on a long poll when closed', async () => {
    await start()
    fake.createTopic('t', 1)
    const c = consumer({maxWaitMs: 60_000})
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    const iteration = consumeUntil(c, () => false)
    await waitFor(() => fake.requestsOf(ApiKey.Fetch).length === 1, 'the long poll')
    await c.close()
    expect(await iteration).to.deep.equal([])
  })

  it('fetches ahead while the caller works, but keeps at most one unread response per broker', async () => {
    await start()
    fake.createTopic('t', 1)
    for (let i = 0; i < 4; i++) await append(fake, 't', 0, [`v${i}`])
    // one batch per response, so that reading takes several fetches
    fake.intercept(ApiKey.Fetch, async (_request, _context, next) => {
      const response = (await next()) as ResponseTypes[1]
      const partition = response.responses[0]!.partitions[0]!
      if (partition.records && partition.records.length > 0) partition.records = partition.records.subarray(0, partition.records.readInt32BE(8) + 12)
      return response
    })
    const c = consumer({maxWaitMs: 0})
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    const iterator = c.batches()[Symbol.asyncIterator]()
    const first = await iterator.next()
    expect(values([first.value as FetchedBatch])).to.deep.equal(['v0'])
    await waitFor(() => fake.requestsOf(ApiKey.Fetch).length === 2, 'the prefetch')
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(fake.requestsOf(ApiKey.Fetch).length).to.equal(2)
    const second = await iterator.next()
    expect(values([second.value as FetchedBatch])).to.deep.equal(['v1'])
    await waitFor(() => fake.requestsOf(ApiKey.Fetch).length === 3, 'the next prefetch')
    await iterator.return!()
    await c.close()
  })

  it('keeps one Fetch in flight per broker, each covering the partitions it leads', async () => {
    await start({transport: 'tcp', nodes: 2})
    fake.createTopic('t', 4)
    for (let p = 0; p < 4; p++) await append(fake, 't', p, [`p${p}`])
    const inFlight = new Map<number, number>()
    let worst = 0
    fake.intercept(ApiKey.Fetch, async (_request, context, next) => {
      const node = context.node.nodeId
      inFlight.set(node, (inFlight.get(node) ?? 0) + 1)
      worst = Math.max(worst, inFlight.get(node)!)
      const reply = (await next()) as ResponseTypes[1]
      setTimeout(() => {
        inFlight.set(node, inFlight.get(node)! - 1)
        context.socket.write(encodeResponse(ApiKey.Fetch, context.version, context.correlationId, reply))
      }, 2)
      return 'no-response' as const
    })
    const c = consumer()
    await c.assign([0, 1, 2, 3].map((partition) => ({topic: 't', partition, offset: 0})))
    await consumeUntil(c, () => [0, 1, 2, 3].every((p) => c.position('t', p) >= 1))
    for (const request of fake.requestsOf(ApiKey.Fetch)) {
      const partitions = request.body.topics.flatMap((t) => t.partitions.map((p) => p.partition))
      for (const p of partitions) expect(fake.leaderOf(p)).to.equal(request.node)
    }
    expect(worst).to.equal(1)
    await c.close()
  })

  const fetchVersions: [string, FakeClusterOptions, number][] = [
    ['topic ids (v13+)', {}, 17],
    ['no topic ids: v12', {topicIds: false}, 12],
    ['non-flexible v11', {maxVersions: {[ApiKey.Fetch]: 11, [ApiKey.Metadata]: 8, [ApiKey.ApiVersions]: 2}}, 11],
    ['oldest usable v4', {maxVersions: {[ApiKey.Fetch]: 4, [ApiKey.Metadata]: 1, [ApiKey.ListOffsets]: 1, [ApiKey.ApiVersions]: 0}}, 4],
  ]
  for (const [name, options, version] of fetchVersions) {
    it(`fetches with ${name}`, async () => {
      await start(options)
      fake.createTopic('t', 2)
      await append(fake, 't', 1, ['one', 'two'])
      const c = consumer()
      await c.assign([{topic: 't', partition: 1, offset: 'earliest'}])
      const items = await consumeUntil(c, () => c.position('t', 1) >= 2)
      expect(values(items, 1)).to.deep.equal(['one', 'two'])
      expect(fake.requestsOf(ApiKey.Fetch)[0]!.version).to.equal(version)
    })
  }

  it('refuses position() for a partition it was not assigned', async () => {
    await start()
    const c = consumer()
    expect(() => c.position('t', 0)).to.throw(WeirError, 't/0 is not assigned to this consumer')
  })
})
