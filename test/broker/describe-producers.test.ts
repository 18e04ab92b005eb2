import {expect} from 'chai'
import {ApiKey, encodeControlBatch, encodeRecordBatch, ErrorCode, type DescribeProducersResponse} from '../../src/protocol/index.js'
import {type PartitionLog} from '../../src/storage/index.js'
import {BrokerHarness, produceBody} from './broker-harness.js'
import {openTransaction} from './txn-harness.js'

describe('DescribeProducers handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('orders', 2)
  })
  afterEach(() => h.close())

  const describeProducers = (topics: {name: string; partitionIndexes: number[]}[]): Promise<DescribeProducersResponse> =>
    h.call(ApiKey.DescribeProducers, 0, {topics})

  /** A batch through Produce; a transactional one with the transactional id `tx` (whose transaction has the partition). */
  async function send(partition: number, producerId: number, epoch: number, sequence: number, transactional: boolean): Promise<void> {
    const records = [{key: null, value: Buffer.from('v'), headers: [], timestamp: 1_700_000_000_500}]
    const batch = await encodeRecordBatch(records, {compression: 'none', producerId, producerEpoch: epoch, baseSequence: sequence, transactional})
    const body = {...produceBody('orders', partition, batch), transactionalId: transactional ? 'tx' : null}
    expect((await h.call(ApiKey.Produce, 9, body)).responses[0].partitionResponses[0].errorCode).to.equal(0)
  }

  it('lists each partition\'s producers with their epoch, last sequence, coordinator epoch and open transaction', async () => {
    const {producerId: txn, producerEpoch} = await openTransaction(h, 'tx', 'orders', [0, 1])
    await send(0, 11, 2, 0, false)
    await send(0, 11, 2, 1, false)
    await send(0, txn, producerEpoch, 0, true)
    await send(1, txn, producerEpoch, 1, true)
    const log = h.logs.partition('orders', 1) as PartitionLog
    log.append(encodeControlBatch({producerId: txn, producerEpoch: 0, type: 'COMMIT', coordinatorEpoch: 4, timestamp: 1_700_000_000_900}))
    const response = await describeProducers([{name: 'orders', partitionIndexes: [0, 1]}])
    const [first, second] = response.topics[0].partitions
    expect(first).to.deep.include({partitionIndex: 0, errorCode: 0, errorMessage: null})
    expect(first.activeProducers).to.deep.equal([
      {producerId: 11, producerEpoch: 2, lastSequence: 1, lastTimestamp: 1_700_000_000_500, coordinatorEpoch: -1, currentTxnStartOffset: -1},
      {producerId: txn, producerEpoch: 0, lastSequence: 0, lastTimestamp: 1_700_000_000_500, coordinatorEpoch: -1, currentTxnStartOffset: 2},
    ])
    expect(second.activeProducers).to.deep.equal([
      {producerId: txn, producerEpoch: 0, lastSequence: 1, lastTimestamp: 1_700_000_000_900, coordinatorEpoch: 4, currentTxnStartOffset: -1},
    ])
  })

  it('answers an unknown topic or partition with 3', async () => {
    const response = await describeProducers([{name: 'orders', partitionIndexes: [5]}, {name: 'nope', partitionIndexes: [0]}])
    expect(response.topics.map(t => t.partitions[0].errorCode)).to.deep.equal([ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION])
  })

  it('is advertised at version 0', async () => {
    const versions = await h.call(ApiKey.ApiVersions, 3, {clientSoftwareName: 'test', clientSoftwareVersion: '1'})
    expect(versions.apiKeys.find(k => k.apiKey === ApiKey.DescribeProducers)).to.include({minVersion: 0, maxVersion: 0})
  })
})
