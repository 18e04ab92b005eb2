// The producer's send path: where records go (murmur2 keys, sticky keyless batches), how batches fill,
// linger and close, buffer reuse and backpressure, and which records send() refuses. Separate from the
// retry and request tests; the shared cluster and helpers are in producer-fixtures.ts.
import {expect} from 'chai'
import {ApiKey} from '../../src/protocol/index.js'
import {MAX_BATCH_BYTES, type Producer} from '../../src/client/index.js'
import {BatchBuffers} from '../../src/client/batch-buffers.js'
import {ClosedError} from '../../src/client/errors.js'
import {partitionForKey} from '../../src/client/partitioner.js'
import {waitFor} from './wait-for.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {batchesOf, producer} from './producer-fixtures.js'

describe('Producer', () => {
  closeSessionAfterEach()

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
