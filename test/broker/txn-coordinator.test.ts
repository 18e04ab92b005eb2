import {expect} from 'chai'
import {ApiKey, ErrorCode, decodeTransactionLogKey, decodeTransactionLogValue, inflateBatch, splitBatches,
  transactionStatePartition} from '../../src/protocol/index.js'
import {batchesOf, TxnBroker, txnBatch} from './txn-harness.js'

const TX = 'tx-1'

describe('Transaction coordinator: InitProducerId, AddPartitionsToTxn, EndTxn and the markers', () => {
  let h: TxnBroker
  beforeEach(async () => {
    h = await TxnBroker.open()
    await h.createTopic('a', 2)
    await h.createTopic('b', 1)
  })
  afterEach(() => h.close())

  const init = (version = 4, fields: object = {}) => h.call(ApiKey.InitProducerId, version,
    {transactionalId: TX, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1, ...fields})
  const add = async (producerId: number, producerEpoch: number, topics: {name: string; partitions: number[]}[], version = 3) => {
    const response = await h.call(ApiKey.AddPartitionsToTxn, version, {v3AndBelowTransactionalId: TX, v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch, v3AndBelowTopics: topics, transactions: []})
    return response.resultsByTopicV3AndBelow.flatMap(t => t.resultsByPartition.map(p => `${t.name}-${p.partitionIndex}:${p.partitionErrorCode}`))
  }
  const end = async (producerId: number, producerEpoch: number, committed: boolean, version = 3) =>
    (await h.call(ApiKey.EndTxn, version, {transactionalId: TX, producerId, producerEpoch, committed})).errorCode
  const produce = async (topic: string, partition: number, producerId: number, producerEpoch: number, sequence: number) => {
    const response = await h.call(ApiKey.Produce, 9, {transactionalId: TX, acks: -1, timeoutMs: 5000, topicData: [{name: topic,
      partitionData: [{index: partition, records: await txnBatch(['x', 'y'], producerId, producerEpoch, sequence)}]}]})
    return response.responses[0].partitionResponses[0].errorCode
  }
  const describe = async () => (await h.call(ApiKey.DescribeTransactions, 0, {transactionalIds: [TX]})).transactionStates[0]

  /** The states written for TX to __transaction_state, in order. */
  async function storedStates(): Promise<string[]> {
    const log = h.logs.partition('__transaction_state', transactionStatePartition(TX, 3))!
    const states: string[] = []
    for (const batch of splitBatches(log.read(0, 1 << 20))) {
      for (const record of (await inflateBatch(batch)).records) {
        expect(decodeTransactionLogKey(record.key!).value.transactionalId).to.equal(TX)
        const value = decodeTransactionLogValue(record.value!).value
        const partitions = (value.transactionPartitions ?? []).map(p => `${p.topic}:${p.partitionIds.join(',')}`).join(' ')
        states.push(`${value.transactionStatus}@${value.producerEpoch}${partitions === '' ? '' : ` ${partitions}`}`)
      }
    }
    return states
  }

  it('gives a transactional id a producer id, then bumps its epoch at each InitProducerId, each state written to __transaction_state', async () => {
    const first = await init()
    expect(first).to.deep.include({errorCode: 0, producerEpoch: 0})
    const second = await init()
    expect(second).to.deep.include({errorCode: 0, producerId: first.producerId, producerEpoch: 1})
    expect(h.logs.topic('__transaction_state')).to.deep.include({partitions: 3})
    expect(h.logs.topic('__transaction_state')!.configs).to.deep.include({'cleanup.policy': 'compact'})
    expect(await storedStates()).to.deep.equal(['0@0', '0@1'])
  })

  it('refuses bad timeouts (50), an empty id (42), and a v3 producer that is not the current one (v3: 47, v4: 90)', async () => {
    expect((await init(4, {transactionTimeoutMs: 900_001})).errorCode).to.equal(ErrorCode.INVALID_TRANSACTION_TIMEOUT)
    expect((await init(4, {transactionTimeoutMs: 0})).errorCode).to.equal(ErrorCode.INVALID_TRANSACTION_TIMEOUT)
    expect((await init(4, {transactionalId: ''})).errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    const {producerId} = await init()
    await init()
    expect((await init(3, {producerId: producerId + 100, producerEpoch: 1})).errorCode).to.equal(ErrorCode.INVALID_PRODUCER_EPOCH)
    expect((await init(4, {producerId: producerId + 100, producerEpoch: 1})).errorCode).to.equal(ErrorCode.PRODUCER_FENCED)
    // KIP-360: the current producer and epoch get the next epoch; a retry naming the previous epoch gets the same again.
    expect(await init(4, {producerId, producerEpoch: 1})).to.deep.include({errorCode: 0, producerId, producerEpoch: 2})
    expect(await init(4, {producerId, producerEpoch: 1})).to.deep.include({errorCode: 0, producerId, producerEpoch: 2})
    expect((await init(4, {producerId, producerEpoch: 0})).errorCode).to.equal(ErrorCode.PRODUCER_FENCED)
  })

  it('adds partitions (Ongoing), commits: COMMIT markers in every partition, CompleteCommit, the last stable offset released', async () => {
    const {producerId, producerEpoch} = await init()
    expect(await add(producerId, producerEpoch, [{name: 'a', partitions: [0, 1]}])).to.deep.equal(['a-0:0', 'a-1:0'])
    expect(await produce('a', 0, producerId, producerEpoch, 0)).to.equal(0)
    expect(await produce('a', 1, producerId, producerEpoch, 0)).to.equal(0)
    expect(await add(producerId, producerEpoch, [{name: 'b', partitions: [0]}, {name: 'a', partitions: [0]}])).to.deep.equal(['b-0:0', 'a-0:0'])
    expect(await produce('b', 0, producerId, producerEpoch, 0)).to.equal(0)
    expect(h.logs.partition('a', 0)!.lastStableOffset).to.equal(0)
    const ongoing = await describe()
    expect(ongoing).to.deep.include({errorCode: 0, transactionState: 'Ongoing', producerId, producerEpoch, transactionTimeoutMs: 60_000})
    expect(ongoing.topics).to.deep.equal([{topic: 'a', partitions: [0, 1]}, {topic: 'b', partitions: [0]}])
    expect(ongoing.transactionStartTimeMs).to.be.greaterThan(0)

    expect(await end(producerId, producerEpoch, true)).to.equal(0)
    for (const [topic, partition] of [['a', 0], ['a', 1], ['b', 0]] as const) {
      expect(batchesOf(h.logs, topic, partition)).to.deep.equal([`txn ${producerId}/0`, `COMMIT ${producerId}/0`])
      const log = h.logs.partition(topic, partition)!
      expect(log.lastStableOffset).to.equal(log.logEndOffset)
    }
    expect(await describe()).to.deep.include({transactionState: 'CompleteCommit', topics: []})
    expect(await storedStates()).to.deep.equal(['0@0', '1@0 a:0,1', '1@0 a:0,1 b:0', '2@0 a:0,1 b:0', '4@0'])
    // The same EndTxn again: success, nothing written; the other end: 48.
    expect(await end(producerId, producerEpoch, true)).to.equal(0)
    expect(await end(producerId, producerEpoch, false)).to.equal(ErrorCode.INVALID_TXN_STATE)
    expect((await storedStates()).length).to.equal(5)
  })

  it('aborts: ABORT markers, CompleteAbort; a next transaction starts from AddPartitionsToTxn', async () => {
    const {producerId, producerEpoch} = await init()
    await add(producerId, producerEpoch, [{name: 'a', partitions: [0]}])
    expect(await produce('a', 0, producerId, producerEpoch, 0)).to.equal(0)
    expect(await end(producerId, producerEpoch, false)).to.equal(0)
    expect(batchesOf(h.logs, 'a', 0)).to.deep.equal([`txn ${producerId}/0`, `ABORT ${producerId}/0`])
    expect(h.logs.partition('a', 0)!.abortedTransactions(0, 10).map(t => t.firstOffset)).to.deep.equal([0])
    expect((await describe()).transactionState).to.equal('CompleteAbort')
    expect(await add(producerId, producerEpoch, [{name: 'b', partitions: [0]}])).to.deep.equal(['b-0:0'])
    expect(await end(producerId, producerEpoch, true)).to.equal(0)
    expect(batchesOf(h.logs, 'b', 0)).to.deep.equal([`COMMIT ${producerId}/0`])
  })

  it('answers EndTxn on an Empty transaction with 48, and with 49 for an unknown id or another producer id', async () => {
    const {producerId, producerEpoch} = await init()
    expect(await end(producerId, producerEpoch, true)).to.equal(ErrorCode.INVALID_TXN_STATE)
    expect(await end(producerId + 1, producerEpoch, true)).to.equal(ErrorCode.INVALID_PRODUCER_ID_MAPPING)
    const unknown = await h.call(ApiKey.EndTxn, 3, {transactionalId: 'nobody', producerId, producerEpoch, committed: true})
    expect(unknown.errorCode).to.equal(ErrorCode.INVALID_PRODUCER_ID_MAPPING)
    expect(await add(producerId + 1, producerEpoch, [{name: 'a', partitions: [0]}])).to.deep.equal([`a-0:${ErrorCode.INVALID_PRODUCER_ID_MAPPING}`])
  })

  it('answers an unknown partition with 3 and its siblings with 55, adding none of them', async () => {
    const {producerId, producerEpoch} = await init()
    expect(await add(producerId, producerEpoch, [{name: 'a', partitions: [0, 7]}, {name: 'nope', partitions: [0]}, {name: 'b', partitions: [0]}]))
      .to.deep.equal(['a-0:55', 'a-7:3', 'nope-0:3', 'b-0:55'])
    expect((await describe()).transactionState).to.equal('Empty')
  })

  it('fences an older instance: InitProducerId aborts its open transaction with the epoch bumped (51 until done), then the next epoch', async () => {
    const old = await init()
    await add(old.producerId, old.producerEpoch, [{name: 'a', partitions: [0]}])
    expect(await produce('a', 0, old.producerId, old.producerEpoch, 0)).to.equal(0)
    expect((await init()).errorCode).to.equal(ErrorCode.CONCURRENT_TRANSACTIONS)
    expect(batchesOf(h.logs, 'a', 0)).to.deep.equal([`txn ${old.producerId}/0`, `ABORT ${old.producerId}/1`])
    expect(await describe()).to.deep.include({transactionState: 'CompleteAbort', producerEpoch: 1})
    const fresh = await init()
    expect(fresh).to.deep.include({errorCode: 0, producerId: old.producerId, producerEpoch: 2})
    // The old instance is fenced everywhere.
    expect(await end(old.producerId, old.producerEpoch, true, 1)).to.equal(ErrorCode.INVALID_PRODUCER_EPOCH)
    expect(await end(old.producerId, old.producerEpoch, true, 3)).to.equal(ErrorCode.PRODUCER_FENCED)
    expect(await add(old.producerId, old.producerEpoch, [{name: 'a', partitions: [0]}], 1)).to.deep.equal([`a-0:${ErrorCode.INVALID_PRODUCER_EPOCH}`])
    expect(await add(old.producerId, old.producerEpoch, [{name: 'a', partitions: [0]}], 2)).to.deep.equal([`a-0:${ErrorCode.PRODUCER_FENCED}`])
    expect(await produce('a', 0, old.producerId, old.producerEpoch, 1)).to.equal(ErrorCode.INVALID_PRODUCER_EPOCH)
  })

  it('answers CONCURRENT_TRANSACTIONS to a request on an id whose change is being written', async () => {
    const {producerId, producerEpoch} = await init()
    const [first, second] = await Promise.all([add(producerId, producerEpoch, [{name: 'a', partitions: [0]}]),
      add(producerId, producerEpoch, [{name: 'b', partitions: [0]}])])
    expect(first).to.deep.equal(['a-0:0'])
    expect(second).to.deep.equal([`b-0:${ErrorCode.CONCURRENT_TRANSACTIONS}`])
    // Partitions already in the open transaction need no write: answered at once.
    expect(await add(producerId, producerEpoch, [{name: 'a', partitions: [0]}])).to.deep.equal(['a-0:0'])
  })

  it('serves AddPartitionsToTxn v4 batched: adds, and with VerifyOnly only checks', async () => {
    const {producerId, producerEpoch} = await init()
    const call = (verifyOnly: boolean, partitions: number[]) => h.call(ApiKey.AddPartitionsToTxn, 4, {transactions: [{transactionalId: TX,
      producerId, producerEpoch, verifyOnly, topics: [{name: 'a', partitions}]}], v3AndBelowTopics: []})
    const verify = async (partitions: number[]) => (await call(true, partitions)).resultsByTransaction[0].topicResults[0].resultsByPartition
      .map(p => p.partitionErrorCode)
    expect(await verify([0])).to.deep.equal([ErrorCode.INVALID_TXN_STATE])
    const added = await call(false, [0])
    expect(added.errorCode).to.equal(0)
    expect(added.resultsByTransaction).to.deep.equal([{transactionalId: TX, topicResults: [{name: 'a', resultsByPartition: [{partitionIndex: 0, partitionErrorCode: 0}]}]}])
    expect(await verify([0, 1])).to.deep.equal([0, ErrorCode.INVALID_TXN_STATE])
  })
})
