// The transactional producer against the fake cluster's transaction coordinator (fake-txn-apis.ts): init,
// partitions joining before their first batch, commit and abort with their markers, offsets committed in
// the transaction, retried and fatal errors, and a transaction made abortable by a failed batch.
import {expect} from 'chai'
import {ApiKey, ErrorCode, readBatchHeader} from '../../src/protocol/index.js'
import {KafkaProtocolError, WeirError} from '../../src/client/errors.js'
import {closeSessionAfterEach, client, fake, start} from './fake-cluster-session.js'
import {fakeGroups} from './fake-group-admin-apis.js'
import {answerWithError, producer, valuesOf} from './producer-fixtures.js'
import {checkedProduce, fakeTxns} from './fake-txn-apis.js'

const value = (i: number): Buffer => Buffer.from(String(i))

async function transactional(id = 'tx', options = {}): Promise<ReturnType<typeof producer>> {
  const p = producer({transactionalId: id, ...options})
  await p.initTransactions()
  return p
}

describe('Producer (transactional)', () => {
  closeSessionAfterEach()

  it('initialises at the coordinator, adds partitions before sending, and commits with a marker on each', async () => {
    await start()
    fake.createTopic('t', 2)
    fake.intercept(ApiKey.Produce, (request, context) => checkedProduce(fake, request, context))
    const p = await transactional('tx', {transactionTimeoutMs: 30_000})
    const find = fake.requestsOf(ApiKey.FindCoordinator)[0]!.body
    expect([find.keyType, find.key || find.coordinatorKeys[0]]).to.deep.equal([1, 'tx'])
    const init = fake.requestsOf(ApiKey.InitProducerId)[0]!.body
    expect([init.transactionalId, init.transactionTimeoutMs]).to.deep.equal(['tx', 30_000])
    p.beginTransaction()
    for (let i = 0; i < 10; i++) p.send({topic: 't', partition: i % 2, key: null, value: value(i)})
    await p.commitTransaction()
    const adds = fake.requestsOf(ApiKey.AddPartitionsToTxn)
    expect(adds.flatMap((r) => r.body.v3AndBelowTopics.flatMap((t) => t.partitions)).sort()).to.deep.equal([0, 1])
    for (const partition of [0, 1]) {
      const [data, marker] = fake.partition('t', partition).batches.map((b) => readBatchHeader(b))
      expect([data!.producerId, data!.isTransactional, data!.isControl, data!.recordCount]).to.deep.equal([1000, true, false, 5])
      expect([marker!.producerId, marker!.isControl]).to.deep.equal([1000, true])
    }
    expect(fakeTxns(fake).markers.map(([where, type]) => `${where} ${type}`).sort()).to.deep.equal(['t/0 COMMIT', 't/1 COMMIT'])
    const end = fake.requestsOf(ApiKey.EndTxn)
    expect(end.map((r) => r.body.committed)).to.deep.equal([true])
    expect(fake.requestsOf(ApiKey.Produce)[0]!.body.transactionalId).to.equal('tx')
  })

  it('aborts: records already sent get an ABORT marker, records not yet sent are dropped, and the next transaction commits', async () => {
    await start()
    fake.createTopic('t', 2)
    const p = await transactional('tx', {lingerMs: 60_000})
    p.beginTransaction()
    p.send({topic: 't', partition: 0, key: null, value: value(1)})
    await p.flush()
    p.send({topic: 't', partition: 1, key: null, value: value(2)}) // lingers: never sent
    await p.abortTransaction()
    expect(fake.partition('t', 1).batches).to.have.length(0)
    expect(fakeTxns(fake).markers).to.deep.equal([['t/0', 'ABORT', 1000]])
    p.beginTransaction()
    p.send({topic: 't', partition: 1, key: null, value: value(3)})
    await p.commitTransaction()
    expect(await valuesOf(fake, 1)).to.deep.equal([3, NaN]) // the record, then the COMMIT marker's record
    expect(fake.requestsOf(ApiKey.EndTxn).map((r) => r.body.committed)).to.deep.equal([false, true])
  })

  it('sends nothing and asks no EndTxn for a transaction without records', async () => {
    await start()
    const p = await transactional()
    p.beginTransaction()
    await p.commitTransaction()
    p.beginTransaction()
    await p.abortTransaction()
    expect(fake.requestsOf(ApiKey.EndTxn)).to.have.length(0)
  })

  it('refuses records outside a transaction and operations out of order', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = producer({transactionalId: 'tx'})
    expect(() => p.beginTransaction()).to.throw(WeirError, /initTransactions\(\) first/)
    await p.initTransactions()
    expect(() => p.send({topic: 't', key: null, value: value(1)})).to.throw(WeirError, /only inside a transaction/)
    await p.commitTransaction().then(() => expect.fail('committed'), (e: Error) => expect(e.message).to.match(/no transaction is open/))
    p.beginTransaction()
    expect(() => p.beginTransaction()).to.throw(WeirError, /a transaction is open/)
    await expectRejection(producer().commitTransaction(), /no transactional id/)
    expect(() => producer({transactionalId: 'x', acks: 1})).to.throw(WeirError, /acks=1/)
  })

  it('commits consumer offsets inside the transaction: applied by the commit', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = await transactional()
    p.beginTransaction()
    p.send({topic: 't', key: null, value: value(1)})
    await p.sendOffsetsToTransaction([{topic: 'in', partition: 0, offset: 42}], {groupId: 'g', generationId: 3, memberId: 'm'})
    expect(fakeGroups(fake).groups.get('g')).to.equal(undefined) // pending until the commit
    await p.commitTransaction()
    expect(fakeGroups(fake).groups.get('g')!.offsets.get('in')!.get(0)!.offset).to.equal(42)
    const commit = fake.requestsOf(ApiKey.TxnOffsetCommit)[0]!.body
    expect([commit.producerId, commit.generationId, commit.memberId]).to.deep.equal([1000, 3, 'm'])
    expect(fake.requestsOf(ApiKey.AddOffsetsToTxn)[0]!.body.groupId).to.equal('g')
  })

  it('retries CONCURRENT_TRANSACTIONS and a moved coordinator', async () => {
    await start()
    fake.createTopic('t', 1)
    let concurrent = 2
    fake.intercept(ApiKey.AddPartitionsToTxn, async (request, _context, next) => {
      const reply = (await next()) as {resultsByTopicV3AndBelow: {resultsByPartition: {partitionErrorCode: number}[]}[]}
      if (concurrent-- > 0) for (const t of reply.resultsByTopicV3AndBelow) for (const p of t.resultsByPartition) p.partitionErrorCode = ErrorCode.CONCURRENT_TRANSACTIONS
      return reply as never
    })
    let moved = true
    fake.intercept(ApiKey.EndTxn, (request, _context, next) => {
      if (!moved) return next()
      moved = false
      return {throttleTimeMs: 0, errorCode: ErrorCode.NOT_COORDINATOR, producerId: -1, producerEpoch: -1}
    })
    const p = await transactional()
    p.beginTransaction()
    p.send({topic: 't', key: null, value: value(7)})
    await p.commitTransaction()
    expect(fake.requestsOf(ApiKey.AddPartitionsToTxn)).to.have.length(3)
    expect(fake.requestsOf(ApiKey.EndTxn)).to.have.length(2)
    expect(fake.requestsOf(ApiKey.FindCoordinator).length).to.be.greaterThan(1)
    expect(fakeTxns(fake).markers).to.deep.equal([['t/0', 'COMMIT', 1000]])
  })

  it('is fenced by a newer producer of the same transactional id: fatal', async () => {
    await start()
    fake.createTopic('t', 1)
    const old = await transactional()
    old.beginTransaction()
    old.send({topic: 't', key: null, value: value(1)})
    await old.flush()
    const newer = producer({transactionalId: 'tx'})
    await newer.initTransactions() // aborts what the old one left open
    expect(fakeTxns(fake).markers).to.deep.equal([['t/0', 'ABORT', 1000]])
    const error = await old.commitTransaction().then(() => null, (e: Error) => e)
    expect(error).to.be.instanceOf(KafkaProtocolError)
    expect((error as KafkaProtocolError).kafkaName).to.match(/PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/)
    await expectRejection(old.abortTransaction(), /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/)
    expect(() => old.beginTransaction()).to.throw(/PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/)
    newer.beginTransaction()
    newer.send({topic: 't', key: null, value: value(2)})
    await newer.commitTransaction()
    expect(fake.partition('t', 0).batches.map((b) => readBatchHeader(b).producerEpoch)).to.deep.equal([0, 0, 1, 1])
  })

  it('leaves a transaction abortable after a batch failed; the abort takes a new epoch and the next commits', async () => {
    await start()
    fake.createTopic('t', 2)
    let failed = false
    fake.intercept(ApiKey.Produce, (request, context) => {
      const hasOne = request.topicData.some((t) => t.partitionData.some((data) => data.index === 1))
      if (failed || !hasOne) return checkedProduce(fake, request, context)
      failed = true
      const checked = async (r?: typeof request): Promise<unknown> => checkedProduce(fake, r ?? request, context)
      return answerWithError(request, checked, (_t, partition) => partition === 1, ErrorCode.MESSAGE_TOO_LARGE)
    })
    const p = await transactional('tx', {lingerMs: 0})
    p.beginTransaction()
    p.send({topic: 't', partition: 0, key: null, value: value(1)})
    p.send({topic: 't', partition: 1, key: null, value: value(2)})
    await expectRejection(p.commitTransaction(), /t\/1: MESSAGE_TOO_LARGE/)
    expect(() => p.beginTransaction()).to.throw(/a transaction is open/)
    await p.abortTransaction()
    expect(fake.requestsOf(ApiKey.InitProducerId).map((r) => [r.body.producerId, r.body.producerEpoch])).to.deep.equal([[-1, -1], [1000, 0]])
    p.beginTransaction()
    p.send({topic: 't', partition: 1, key: null, value: value(3)})
    await p.commitTransaction()
    const headers = fake.partition('t', 1).batches.map((b) => readBatchHeader(b))
    expect(headers.map((h) => [h.producerEpoch, h.baseSequence, h.isControl])).to.deep.equal([[0, -1, true], [1, 0, false], [1, -1, true]])
  })

  it('aborts a transaction left open when closed, as Java', async () => {
    await start()
    fake.createTopic('t', 1)
    const p = await transactional('tx', {lingerMs: 0})
    p.beginTransaction()
    p.send({topic: 't', key: null, value: value(1)})
    await p.flush()
    await client.close()
    expect(fakeTxns(fake).markers).to.deep.equal([['t/0', 'ABORT', 1000]])
  })
})

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e: Error) => e)
  expect(error?.message ?? 'resolved').to.match(pattern)
}
