// How the consumer fetches: closing ends a long poll, fetching ahead is bounded per broker, one Fetch in
// flight per broker covers the partitions it leads, and every Fetch version works. Separate from the read,
// reset and assignment tests; helpers in consumer-fixtures.ts.
import {expect} from 'chai'
import {ApiKey, encodeResponse, type ResponseTypes} from '../../src/protocol/index.js'
import {type Consumer, type FetchedBatch} from '../../src/client/index.js'
import {type FakeClusterOptions} from './fake-cluster.js'
import {waitFor} from './wait-for.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {append, consumeUntil, consumer, values} from './consumer-fixtures.js'

describe('Consumer', () => {
  closeSessionAfterEach()

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
})
