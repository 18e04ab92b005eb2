// The idempotent producer against a fake broker that checks sequences as Kafka does (checkedProduce): ids
// and sequences on the wire, duplicates of lost answers dropped, order kept through retries with five
// batches in flight, new epochs after a gap, and when idempotence is on, off or refused.
import {expect} from 'chai'
import {ApiKey, BATCH_HEADER_SIZE, ErrorCode, batchCrcIsValid, encodedRecordSize, readBatchHeader, splitBatches} from '../../src/protocol/index.js'
import {WeirError} from '../../src/client/errors.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {answerWithError, batchValues, holdProduceResponses, producer, valuesOf} from './producer-fixtures.js'
import {checkedProduce, fakeTxns} from './fake-txn-apis.js'

const value = (i: number): Buffer => Buffer.from(String(i).padStart(8, '0'))
/** Batches of 10 records each. */
const TEN_RECORDS = BATCH_HEADER_SIZE + 10 * encodedRecordSize({key: null, value: value(0), headers: [], timestamp: 0}, 0, 0)

function headersOf(partition: number): {producerId: number; producerEpoch: number; baseSequence: number; recordCount: number}[] {
  return fake.partition('t', partition).batches.map((batch) => readBatchHeader(batch))
}

/** A Produce answer lost after the write: the batches are in the log, the producer hears a retriable error. */
function lostAfterWrite(reply: ReturnType<typeof checkedProduce>): ReturnType<typeof checkedProduce> {
  const response = reply as {responses: {partitionResponses: {errorCode: number; baseOffset: number}[]}[]}
  for (const topic of response.responses) for (const p of topic.partitionResponses) Object.assign(p, {errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, baseOffset: -1})
  return reply
}

describe('Producer (idempotent)', () => {
  closeSessionAfterEach()

  it('is idempotent by default: one InitProducerId, then per-partition sequences counted in records', async () => {
    await start()
    fake.createTopic('t', 2)
    fake.intercept(ApiKey.Produce, (request, context) => checkedProduce(fake, request, context))
    const p = producer({batchBytes: TEN_RECORDS, lingerMs: 0})
    for (let i = 0; i < 95; i++) p.send({topic: 't', partition: i % 2, key: null, value: value(i), timestamp: 0})
    await p.flush()
    expect(fake.requestsOf(ApiKey.InitProducerId)).to.have.length(1)
    expect(fake.requestsOf(ApiKey.InitProducerId)[0]!.body.transactionalId).to.equal(null)
    for (const partition of [0, 1]) {
      const headers = headersOf(partition)
      let expected = 0
      for (const header of headers) {
        expect(header.producerId).to.equal(1000)
        expect(header.producerEpoch).to.equal(0)
        expect(header.baseSequence).to.equal(expected)
        expected += header.recordCount
      }
      expect(expected).to.equal(partition === 0 ? 48 : 47)
    }
    for (const request of fake.requestsOf(ApiKey.Produce)) expect(request.body.acks).to.equal(-1)
  })

  it('stamps batches encoded before its id arrived, with a valid CRC', async () => {
    await start()
    fake.createTopic('t', 1)
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.intercept(ApiKey.InitProducerId, async (_request, _context, next) => {
      await held
      return next()
    })
    const p = producer({batchBytes: TEN_RECORDS, lingerMs: 0, compression: 'gzip'})
    for (let i = 0; i < 30; i++) p.send({topic: 't', key: null, value: value(i), timestamp: 0})
    const flushed = p.flush()
    await new Promise((resolve) => setTimeout(resolve, 50)) // the batches close and encode meanwhile
    expect(fake.requestsOf(ApiKey.Produce)).to.have.length(0)
    release()
    await flushed
    const batches = fake.partition('t', 0).batches
    expect(batches.map((b) => readBatchHeader(b).baseSequence)).to.deep.equal([0, 10, 20])
    for (const batch of batches) {
      expect(readBatchHeader(batch).producerId).to.equal(1000)
      expect(batchCrcIsValid(batch)).to.equal(true)
    }
    expect(await valuesOf(fake, 0)).to.deep.equal(Array.from({length: 30}, (_, i) => i))
  })

  it('writes a batch once when its answer is lost and the retry is a duplicate', async () => {
    await start()
    fake.createTopic('t', 1)
    let dropped = 0
    fake.intercept(ApiKey.Produce, (request, context) => {
      const reply = checkedProduce(fake, request, context) // appended
      return dropped++ < 2 ? 'close' : reply
    })
    const p = producer({batchBytes: TEN_RECORDS, lingerMs: 0, maxInFlight: 1})
    for (let i = 0; i < 50; i++) p.send({topic: 't', key: null, value: value(i), timestamp: 0})
    await p.flush()
    expect(p.acknowledged).to.equal(50)
    expect(await valuesOf(fake, 0)).to.deep.equal(Array.from({length: 50}, (_, i) => i))
    expect(fake.requestsOf(ApiKey.Produce).length).to.be.greaterThan(5)
  })

  it('keeps each partition in send order through retriable errors with five batches in flight', async () => {
    await start()
    fake.createTopic('t', 1)
    const failOnce = new Set([10, 20, 70]) // first attempts of these batches fail retriably
    const held = holdProduceResponses(fake, 5, (request, next) => {
      const records = request.topicData[0]!.partitionData[0]!.records!
      const checked = (r?: typeof request): Promise<unknown> => Promise.resolve(checkedProduce(fake, r ?? request, {node: fake.nodes[0]!} as never))
      if (!failOnce.delete(batchValues(splitBatches(records)[0]!)[0]!)) return checked()
      return answerWithError(request, checked, () => true, ErrorCode.NOT_LEADER_OR_FOLLOWER)
    })
    const p = producer({batchBytes: TEN_RECORDS, lingerMs: 60_000, maxInFlight: 5})
    for (let i = 0; i < 100; i++) p.send({topic: 't', key: null, value: value(i), timestamp: 0})
    await p.flush()
    expect(p.acknowledged).to.equal(100)
    expect(held.mostInFlight()).to.equal(5)
    expect(await valuesOf(fake, 0)).to.deep.equal(Array.from({length: 100}, (_, i) => i))
    expect(headersOf(0).map((h) => h.baseSequence)).to.deep.equal(Array.from({length: 10}, (_, i) => i * 10))
  })

  it('moves to a new epoch when the broker lost its state (UNKNOWN_PRODUCER_ID) and numbers from 0 again', async () => {
    await start({maxVersions: {[ApiKey.InitProducerId]: 4}})
    fake.createTopic('t', 1)
    let produced = 0
    fake.intercept(ApiKey.Produce, (request, context) => {
      if (++produced === 3) {
        fakeTxns(fake).forgetProducers()
        return answerWithError(request, async () => ({responses: [], throttleTimeMs: 0}), () => true, ErrorCode.UNKNOWN_PRODUCER_ID)
      }
      return checkedProduce(fake, request, context)
    })
    const p = producer({batchBytes: TEN_RECORDS, lingerMs: 0, maxInFlight: 1})
    for (let i = 0; i < 50; i++) p.send({topic: 't', key: null, value: value(i), timestamp: 0})
    await p.flush()
    expect(await valuesOf(fake, 0)).to.deep.equal(Array.from({length: 50}, (_, i) => i))
    const inits = fake.requestsOf(ApiKey.InitProducerId)
    expect(inits).to.have.length(2)
    expect([inits[1]!.body.producerId, inits[1]!.body.producerEpoch]).to.deep.equal([1000, 0]) // KIP-360: the current id and epoch
    const headers = headersOf(0)
    expect(headers.map((h) => [h.producerId, h.baseSequence])).to.deep.equal([[1000, 0], [1000, 10], [1001, 0], [1001, 10], [1001, 20]])
  })

  it('reports a batch that failed for good and delivers the partition\'s later batches under a new epoch', async () => {
    await start()
    fake.createTopic('t', 1)
    let produced = 0
    fake.intercept(ApiKey.Produce, (request, context) => {
      if (++produced === 2) return answerWithError(request, async () => ({responses: [], throttleTimeMs: 0}), () => true, ErrorCode.MESSAGE_TOO_LARGE)
      return checkedProduce(fake, request, context)
    })
    const p = producer({batchBytes: TEN_RECORDS, lingerMs: 60_000, maxInFlight: 5})
    for (let i = 0; i < 50; i++) p.send({topic: 't', key: null, value: value(i), timestamp: 0})
    const error = await p.flush().then(() => null, (e: Error) => e)
    expect(error?.message).to.match(/^t\/0: MESSAGE_TOO_LARGE/)
    expect(p.acknowledged).to.equal(40)
    expect(await valuesOf(fake, 0)).to.deep.equal(Array.from({length: 50}, (_, i) => i).filter((i) => i < 10 || i >= 20))
    expect(fake.requestsOf(ApiKey.InitProducerId)).to.have.length(2)
  })

  it('resends a batch that may be written under its own epoch before a new epoch numbers anything again', async () => {
    await start()
    fake.createTopic('t', 1)
    // Every answer to the first batch (values 0-9) is lost after the write, until it fails for good; the
    // second batch's first answer too. Renumbered under a new epoch, the second would be written twice.
    let secondLost = false
    fake.intercept(ApiKey.Produce, (request, context) => {
      const first = batchValues(splitBatches(request.topicData[0]!.partitionData[0]!.records!)[0]!)[0]
      if (first === 10 && !secondLost) secondLost = true
      else if (first !== 0) return checkedProduce(fake, request, context)
      return lostAfterWrite(checkedProduce(fake, request, context))
    })
    const p = producer({batchBytes: TEN_RECORDS, lingerMs: 60_000, retries: 2})
    for (let i = 0; i < 20; i++) p.send({topic: 't', key: null, value: value(i), timestamp: 0})
    const error = await p.flush().then(() => null, (e: Error) => e)
    expect(error?.message).to.match(/t\/0/)
    expect(await valuesOf(fake, 0)).to.deep.equal(Array.from({length: 20}, (_, i) => i))
    p.send({topic: 't', key: null, value: value(20), timestamp: 0})
    await p.flush().catch(() => undefined)
    expect(headersOf(0).map((h) => [h.producerId, h.baseSequence])).to.deep.equal([[1000, 0], [1000, 10], [1001, 0]])
  })

  it('goes on without idempotence, as Java\'s default, against a broker without InitProducerId', async () => {
    await start({missingApis: [ApiKey.InitProducerId]})
    fake.createTopic('t', 1)
    const p = producer()
    p.send({topic: 't', key: null, value: value(1)})
    await p.flush()
    expect(headersOf(0)[0]!.producerId).to.equal(-1)
    expect(fake.requestsOf(ApiKey.InitProducerId)).to.have.length(0)
  })

  it('fails the records when idempotence was asked for and the broker has no InitProducerId', async () => {
    await start({missingApis: [ApiKey.InitProducerId]})
    fake.createTopic('t', 1)
    const p = producer({idempotence: true})
    p.send({topic: 't', key: null, value: value(1)})
    const error = await p.flush().then(() => null, (e: Error) => e)
    expect(error?.message).to.match(/does not offer idempotent producers/)
    expect(fake.partition('t', 0).highWatermark).to.equal(0)
  })

  it('is off with acks 0 or 1 or idempotence: false, and refuses idempotence: true with acks 1', async () => {
    await start()
    fake.createTopic('t', 1)
    for (const options of [{acks: 1 as const}, {acks: 0 as const}, {idempotence: false}]) {
      const p = producer(options)
      p.send({topic: 't', key: null, value: value(1)})
      await p.flush()
    }
    expect(fake.requestsOf(ApiKey.InitProducerId)).to.have.length(0)
    expect(() => producer({acks: 1, idempotence: true})).to.throw(WeirError, /acks=1/)
    expect(() => producer({maxInFlight: 6, idempotence: true})).to.throw(WeirError, /at most 5/)
    expect(() => producer({retries: 0, idempotence: true})).to.throw(WeirError, /retries/)
  })
})
