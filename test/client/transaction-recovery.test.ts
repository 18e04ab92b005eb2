// The transactional producer after something went wrong, against the fake coordinator and a Produce that
// checks sequences (fake-txn-apis.ts): a batch failing for good while later ones are in flight, an abort
// dropping closed batches, an abort racing AddPartitionsToTxn, a failed AddOffsetsToTxn, a failed EndTxn.
// Each ends in a transaction that commits, so the producer is usable again.
import {expect} from 'chai'
import {ApiKey, BATCH_HEADER_SIZE, ErrorCode, encodedRecordSize, readBatchHeader} from '../../src/protocol/index.js'
import {KafkaClient, type Producer} from '../../src/client/index.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {answerWithError, producer} from './producer-fixtures.js'
import {checkedProduce, fakeTxns} from './fake-txn-apis.js'
import {waitFor} from './wait-for.js'

const value = (i: number): Buffer => Buffer.from(String(i).padStart(8, '0'))
/** Batches of 10 records each. */
const TEN_RECORDS = BATCH_HEADER_SIZE + 10 * encodedRecordSize({key: null, value: value(0), headers: [], timestamp: 0}, 0, 0)

/** Settles with the promise, or fails the test when it is still pending after `limitMs` (a hang). */
async function settled<T>(promise: Promise<T>, what: string, limitMs = 10_000): Promise<{ok: true; value: T} | {ok: false; error: Error}> {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what} still pending`)), limitMs)))
  try {
    return await Promise.race([promise.then((v) => ({ok: true as const, value: v}), (error: Error) => ({ok: false as const, error})), hang])
  } finally {
    clearTimeout(timer)
  }
}

async function transactional(options = {}): Promise<Producer> {
  const p = producer({transactionalId: 'tx', batchBytes: TEN_RECORDS, ...options})
  await p.initTransactions()
  return p
}

function send(p: Producer, from: number, count: number): void {
  for (let i = from; i < from + count; i++) p.send({topic: 't', partition: 0, key: null, value: value(i), timestamp: 0})
}

/** [epoch, baseSequence, isControl] of each stored batch. */
function headers(): [number, number, boolean][] {
  return fake.partition('t', 0).batches.map((b) => readBatchHeader(b)).map((h) => [h.producerEpoch, h.baseSequence, h.isControl])
}

async function commitsAfterwards(p: Producer, from: number): Promise<void> {
  p.beginTransaction()
  send(p, from, 1)
  const commit = await settled(p.commitTransaction(), 'the next commit')
  expect(commit.ok, commit.ok ? '' : commit.error.message).to.equal(true)
  expect(fakeTxns(fake).markers.at(-1)).to.deep.equal(['t/0', 'COMMIT', 1000])
}

describe('Producer (transactional, recovering)', () => {
  closeSessionAfterEach()

  it('fails the batches behind one that failed for good: the commit throws, the abort goes through, the next commits', async () => {
    await start()
    fake.createTopic('t', 1)
    let produced = 0
    fake.intercept(ApiKey.Produce, (request, context) => {
      if (++produced === 2) return answerWithError(request, async () => ({responses: [], throttleTimeMs: 0}), () => true, ErrorCode.MESSAGE_TOO_LARGE)
      return checkedProduce(fake, request, context)
    })
    const p = await transactional({lingerMs: 60_000})
    await commitsAfterwards(p, 1000) // the broker knows the producer's sequence from here on
    p.beginTransaction()
    send(p, 0, 30) // three batches, sent together on commit: the first fails, the others are out of order behind it
    const commit = await settled(p.commitTransaction(), 'the commit')
    expect(commit.ok ? 'committed' : commit.error.message).to.match(/MESSAGE_TOO_LARGE/)
    const abort = await settled(p.abortTransaction(), 'the abort')
    expect(abort.ok, abort.ok ? '' : abort.error.message).to.equal(true)
    expect(fakeTxns(fake).markers.map(([, type]) => type)).to.deep.equal(['COMMIT', 'ABORT'])
    await commitsAfterwards(p, 100)
    expect(headers().filter(([, , control]) => !control)).to.deep.equal([[0, 0, false], [1, 0, false]]) // then a new epoch from 0
  })

  it('numbers the next transaction on from the last batch sent when an abort dropped closed batches', async () => {
    await start()
    fake.createTopic('t', 1)
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    fake.intercept(ApiKey.Produce, async (request, context) => {
      await held // the first batch waits for its answer while the others are closed and unsent
      return checkedProduce(fake, request, context)
    })
    const p = await transactional({lingerMs: 60_000, maxInFlight: 1})
    p.beginTransaction()
    send(p, 0, 45)
    await waitFor(() => fake.requestsOf(ApiKey.Produce).length === 1, 'the first Produce')
    const abort = p.abortTransaction()
    release()
    expect((await settled(abort, 'the abort')).ok).to.equal(true)
    await commitsAfterwards(p, 100)
    expect(headers()).to.deep.equal([[0, 0, false], [0, -1, true], [0, 10, false], [0, -1, true]])
    expect(fake.requestsOf(ApiKey.InitProducerId)).to.have.length(1)
  })

  it('takes a new epoch when an abort dropped a batch that had been sent', async () => {
    await start()
    fake.createTopic('t', 1)
    let produced = 0
    fake.intercept(ApiKey.Produce, (request, context) => {
      // The first answer is lost after the write: the batch waits to be sent again when the abort drops it.
      const reply = checkedProduce(fake, request, context) as {responses: {partitionResponses: {errorCode: number}[]}[]}
      if (++produced === 1) for (const t of reply.responses) for (const r of t.partitionResponses) r.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER
      return reply as ReturnType<typeof checkedProduce>
    })
    const p = await transactional({lingerMs: 60_000, retryBackoffMs: 60_000})
    p.beginTransaction()
    send(p, 0, 10)
    void p.flush().catch(() => undefined)
    await waitFor(() => produced === 1, 'the first Produce')
    await new Promise((resolve) => setImmediate(resolve))
    expect((await settled(p.abortTransaction(), 'the abort')).ok).to.equal(true)
    await commitsAfterwards(p, 100)
    expect(fake.requestsOf(ApiKey.InitProducerId).map((r) => r.body.producerEpoch)).to.deep.equal([-1, 0])
    expect(headers().at(-2)).to.deep.equal([1, 0, false])
  })

  it('ends the transaction when an abort raced its AddPartitionsToTxn', async () => {
    await start()
    fake.createTopic('t', 1)
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => (release = resolve))
    let adds = 0
    fake.intercept(ApiKey.AddPartitionsToTxn, async (_request, _context, next) => {
      if (adds++ === 0) await held
      return next()
    })
    const p = await transactional()
    p.beginTransaction()
    send(p, 0, 1)
    await waitFor(() => adds === 1, 'the AddPartitionsToTxn')
    const abort = p.abortTransaction()
    release()
    expect((await settled(abort, 'the abort')).ok).to.equal(true)
    expect(fake.requestsOf(ApiKey.EndTxn).map((r) => r.body.committed)).to.deep.equal([false])
    await commitsAfterwards(p, 100)
    expect(fake.requestsOf(ApiKey.AddPartitionsToTxn)).to.have.length(2)
    expect(fakeTxns(fake).markers).to.deep.equal([['t/0', 'ABORT', 1000], ['t/0', 'COMMIT', 1000]])
  })

  describe('with a short request timeout', () => {
    let own: KafkaClient | null = null
    afterEach(async () => {
      await own?.close().catch(() => undefined)
      own = null
    })
    async function shortTimeoutProducer(): Promise<Producer> {
      own = await KafkaClient.connect({...fake.clientOptions, requestTimeoutMs: 300})
      const p = own.producer({transactionalId: 'tx', retryBackoffMs: 5})
      await p.initTransactions()
      return p
    }

    it('makes the transaction abortable when AddOffsetsToTxn fails on the connection', async () => {
      await start()
      fake.createTopic('t', 1)
      let failing = true
      fake.intercept(ApiKey.AddOffsetsToTxn, (_request, _context, next) => (failing ? 'close' : next()))
      const p = await shortTimeoutProducer()
      p.beginTransaction()
      send(p, 0, 1)
      const offsets = await settled(p.sendOffsetsToTransaction([{topic: 'in', partition: 0, offset: 5}], 'g'), 'sendOffsets')
      expect(offsets.ok).to.equal(false)
      failing = false
      const commit = await settled(p.commitTransaction(), 'the commit')
      expect(commit.ok).to.equal(false)
      expect(fakeTxns(fake).markers.map(([, type]) => type)).to.not.include('COMMIT')
      expect((await settled(p.abortTransaction(), 'the abort')).ok).to.equal(true)
      await commitsAfterwards(p, 100)
    })

    it('lets a commit whose EndTxn failed be retried', async () => {
      await start()
      fake.createTopic('t', 1)
      let failing = true
      fake.intercept(ApiKey.EndTxn, (_request, _context, next) => (failing ? 'close' : next()))
      const p = await shortTimeoutProducer()
      p.beginTransaction()
      send(p, 0, 1)
      expect((await settled(p.commitTransaction(), 'the commit')).ok).to.equal(false)
      failing = false
      const retried = await settled(p.commitTransaction(), 'the retried commit')
      expect(retried.ok, retried.ok ? '' : retried.error.message).to.equal(true)
      expect(fakeTxns(fake).markers).to.deep.equal([['t/0', 'COMMIT', 1000]])
      await commitsAfterwards(p, 100)
    })
  })
})
