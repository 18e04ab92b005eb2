// How the producer meets errors: retriable ones retried in order (also over a new connection), non-retriable
// ones and spent retries reported by flush, unknown topics and partitions, auto-creation. Separate from the
// send path and request tests; the shared cluster and helpers are in producer-fixtures.ts.
import {expect} from 'chai'
import {ApiKey, BATCH_HEADER_SIZE, ErrorCode, encodedRecordSize, splitBatches} from '../../src/protocol/index.js'
import {type Producer} from '../../src/client/index.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {answerWithError, batchValues, batchValuesOf, batchesOf, holdProduceResponses, producer, valuesOf} from './producer-fixtures.js'

describe('Producer', () => {
  closeSessionAfterEach()

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
    const p = producer({batchBytes: 2_000, lingerMs: 0, maxInFlight: 5, idempotence: false}) // idempotent order: producer-idempotence.test.ts
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
    const p = producer({batchBytes: BATCH_HEADER_SIZE + 10 * recordBytes, lingerMs: 60_000, maxInFlight: 5, idempotence: false}) // 10 records a batch
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
})
