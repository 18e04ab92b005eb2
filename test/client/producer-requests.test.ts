// What the producer puts on the wire: ordering with several requests in flight, acks (0 without responses,
// 1, -1), compression codecs and their order, Produce versions, and routing to each partition's leader.
// Separate from the send path and retry tests; the shared cluster and helpers are in producer-fixtures.ts.
import {randomBytes} from 'node:crypto'
import {expect} from 'chai'
import {ApiKey, readBatchHeader, type Compression} from '../../src/protocol/index.js'
import {type Producer} from '../../src/client/index.js'
import {UnsupportedVersionError} from '../../src/client/errors.js'
import {waitFor} from './wait-for.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {holdProduceResponses, producer, valuesOf} from './producer-fixtures.js'

describe('Producer', () => {
  closeSessionAfterEach()

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
})
