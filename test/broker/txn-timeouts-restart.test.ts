import {expect} from 'chai'
import {ApiKey, encodeRecordBatch, ErrorCode, transactionStatePartition} from '../../src/protocol/index.js'
import {transactionRecord} from '../../src/broker/transactions/transaction-log-records.js'
import {batchesOf, TxnBroker, txnBatch} from './txn-harness.js'

/** Polls `condition` until it holds, failing after `timeoutMs`. */
async function eventually(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

describe('Transaction coordinator: timeouts, restarts, expiry, ListTransactions and DescribeTransactions', () => {
  let h: TxnBroker
  afterEach(() => h.close())

  async function open(configs: Record<string, string> = {}): Promise<void> {
    h = await TxnBroker.open(configs)
    await h.createTopic('a', 2)
  }
  const init = (transactionalId: string, transactionTimeoutMs = 60_000) => h.call(ApiKey.InitProducerId, 4,
    {transactionalId, transactionTimeoutMs, producerId: -1, producerEpoch: -1})
  /** A transaction of `transactionalId` open on a-0 (with one batch in it) and a-1. */
  async function openTransaction(transactionalId: string, transactionTimeoutMs = 60_000) {
    const {producerId, producerEpoch} = await init(transactionalId, transactionTimeoutMs)
    await h.call(ApiKey.AddPartitionsToTxn, 3, {v3AndBelowTransactionalId: transactionalId, v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch, v3AndBelowTopics: [{name: 'a', partitions: [0, 1]}], transactions: []})
    const produced = await h.call(ApiKey.Produce, 9, {transactionalId, acks: -1, timeoutMs: 5000, topicData: [{name: 'a',
      partitionData: [{index: 0, records: await txnBatch(['x'], producerId, producerEpoch, 0)}]}]})
    expect(produced.responses[0].partitionResponses[0].errorCode).to.equal(0)
    return {producerId, producerEpoch}
  }
  const describe = async (...transactionalIds: string[]) =>
    (await h.call(ApiKey.DescribeTransactions, 0, {transactionalIds})).transactionStates
  const stateOf = async (transactionalId: string) => (await describe(transactionalId))[0].transactionState

  it('aborts a transaction past its timeout with the epoch bumped, fencing the producer', async () => {
    await open()
    const {producerId} = await openTransaction('slow', 1000)
    await openTransaction('patient', 600_000)
    expect(await h.ctx.transactions.abortTimedOut(Date.now() + 1500)).to.equal(1)
    const [slow] = await describe('slow')
    expect(slow).to.deep.include({transactionState: 'CompleteAbort', producerId, producerEpoch: 1})
    expect(await stateOf('patient')).to.equal('Ongoing')
    expect(batchesOf(h.logs, 'a', 1)).to.include(`ABORT ${producerId}/1`)
    const late = await h.call(ApiKey.EndTxn, 3, {transactionalId: 'slow', producerId, producerEpoch: 0, committed: true})
    expect(late.errorCode).to.equal(ErrorCode.PRODUCER_FENCED)
    expect(h.lines.some(line => line.includes('aborting transaction slow'))).to.equal(true)
  })

  it('aborts overdue transactions by itself every transaction.abort.timed.out.transaction.cleanup.interval.ms', async () => {
    await open({'transaction.abort.timed.out.transaction.cleanup.interval.ms': '20'})
    await openTransaction('quick', 1)
    await eventually(async () => await stateOf('quick') === 'CompleteAbort', 'the timed-out transaction to be aborted')
    const log = h.logs.partition('a', 0)!
    expect(log.lastStableOffset).to.equal(log.logEndOffset)
  })

  it('keeps an open transaction open across a restart, with its partitions, and lets the producer commit it', async () => {
    await open()
    const {producerId, producerEpoch} = await openTransaction('survivor')
    await h.restart()
    const [state] = await describe('survivor')
    expect(state).to.deep.include({errorCode: 0, transactionState: 'Ongoing', producerId, producerEpoch})
    expect(state.topics).to.deep.equal([{topic: 'a', partitions: [0, 1]}])
    expect(h.logs.partition('a', 0)!.lastStableOffset).to.equal(0)
    const ended = await h.call(ApiKey.EndTxn, 3, {transactionalId: 'survivor', producerId, producerEpoch, committed: true})
    expect(ended.errorCode).to.equal(0)
    expect(batchesOf(h.logs, 'a', 0)).to.deep.equal([`txn ${producerId}/0`, `COMMIT ${producerId}/0`])
    await h.restart()
    expect(await stateOf('survivor')).to.equal('CompleteCommit')
    expect((await init('survivor')).producerEpoch).to.equal(1)
  })

  it('completes at start-up a transaction a crash left in PrepareCommit: markers written, then CompleteCommit', async () => {
    await open()
    const {producerId, producerEpoch} = await openTransaction('crashed')
    // The crash came after PrepareCommit was written and before any marker.
    const [ongoing] = await describe('crashed')
    const log = h.logs.partition('__transaction_state', transactionStatePartition('crashed', 3))!
    const record = transactionRecord('crashed', {producerId, lastProducerId: -1, producerEpoch, lastProducerEpoch: -1, timeoutMs: 60_000,
      status: 'PrepareCommit', partitions: new Map([['a', [0, 1]]]), startTimestamp: ongoing.transactionStartTimeMs, lastUpdateTimestamp: Date.now()})
    log.append(await encodeRecordBatch([{key: record.key, value: record.value, headers: [], timestamp: Date.now()}], {compression: 'none'}))
    await h.restart()
    expect(await stateOf('crashed')).to.equal('CompleteCommit')
    expect(batchesOf(h.logs, 'a', 0)).to.deep.equal([`txn ${producerId}/0`, `COMMIT ${producerId}/0`])
    expect(batchesOf(h.logs, 'a', 1)).to.deep.equal([`COMMIT ${producerId}/0`])
  })

  it('forgets ids unused for transactional.id.expiration.ms (tombstoned, also after a restart), never an open transaction', async () => {
    await open({'transactional.id.expiration.ms': '60000'})
    await init('idle')
    await openTransaction('busy')
    expect(await h.ctx.transactions.expireTransactionalIds(Date.now() + 120_000)).to.equal(1)
    expect((await describe('idle'))[0].errorCode).to.equal(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND)
    expect(await stateOf('busy')).to.equal('Ongoing')
    await h.restart()
    expect((await describe('idle'))[0].errorCode).to.equal(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND)
    expect(await stateOf('busy')).to.equal('Ongoing')
  })

  it('lists transactions by state, producer id and duration, naming unknown states; describes unknown ids with 105', async () => {
    await open()
    const busy = await openTransaction('busy')
    const idle = await init('idle')
    const list = async (body: object, version = 1) => {
      const response = await h.call(ApiKey.ListTransactions, version, {stateFilters: [], producerIdFilters: [], durationFilter: -1, ...body})
      return {unknown: response.unknownStateFilters, ids: response.transactionStates.map(t => `${t.transactionalId}:${t.producerId}:${t.transactionState}`)}
    }
    expect(await list({}, 0)).to.deep.equal({unknown: [], ids: [`busy:${busy.producerId}:Ongoing`, `idle:${idle.producerId}:Empty`]})
    expect(await list({stateFilters: ['Ongoing', 'Bogus']})).to.deep.equal({unknown: ['Bogus'], ids: [`busy:${busy.producerId}:Ongoing`]})
    expect(await list({stateFilters: ['Bogus']})).to.deep.equal({unknown: ['Bogus'], ids: []})
    expect(await list({producerIdFilters: [idle.producerId]})).to.deep.equal({unknown: [], ids: [`idle:${idle.producerId}:Empty`]})
    // Kafka compares with the start time, -1 for an id without a transaction since its InitProducerId.
    expect((await list({durationFilter: 3_600_000})).ids).to.deep.equal([`idle:${idle.producerId}:Empty`])
    expect((await list({durationFilter: 3_600_000, stateFilters: ['Ongoing']})).ids).to.deep.equal([])
    expect((await list({durationFilter: 0, stateFilters: ['Ongoing']})).ids).to.deep.equal([`busy:${busy.producerId}:Ongoing`])
    const [unknown, known] = await describe('nobody', 'busy')
    expect(unknown).to.deep.include({errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, transactionalId: 'nobody'})
    expect(known).to.deep.include({errorCode: 0, transactionalId: 'busy', transactionTimeoutMs: 60_000})
  })
})
