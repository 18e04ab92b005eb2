import {expect} from 'chai'
import {ApiKey, ErrorCode, type CreatePartitionsTopicResult} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

describe('CreatePartitions handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('orders', 2)
  })
  afterEach(() => h.close())

  const grow = async (topics: object[], validateOnly = false): Promise<CreatePartitionsTopicResult[]> =>
    (await h.call(ApiKey.CreatePartitions, 3, {topics, timeoutMs: 5000, validateOnly})).results

  it('adds partitions up to the new total', async () => {
    expect(await grow([{name: 'orders', count: 5, assignments: null}])).to.deep.equal([{name: 'orders', errorCode: 0, errorMessage: null}])
    expect(h.logs.topic('orders')!.partitions).to.equal(5)
    expect(h.logs.partition('orders', 4)).to.not.equal(undefined)
    const metadata = await h.call(ApiKey.Metadata, 9, {topics: [{name: 'orders', topicId: '00000000-0000-0000-0000-000000000000'}],
      allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false})
    expect(metadata.topics[0].partitions).to.have.length(5)
  })

  it('validates without adding', async () => {
    expect((await grow([{name: 'orders', count: 5, assignments: null}], true))[0].errorCode).to.equal(0)
    expect(h.logs.topic('orders')!.partitions).to.equal(2)
  })

  it('refuses a count not above the current one with 37, in Kafka\'s words', async () => {
    expect((await grow([{name: 'orders', count: 2, assignments: null}]))[0]).to.include({
      errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: 'topic orders already has 2 partitions'})
    expect((await grow([{name: 'orders', count: 1, assignments: null}]))[0].errorMessage)
      .to.equal('topic orders currently has 2 partitions, which is higher than the requested 1')
    expect((await grow([{name: 'orders', count: 10_001, assignments: null}]))[0].errorCode).to.equal(ErrorCode.INVALID_PARTITIONS)
  })

  it('takes assignments only on this broker, one per new partition; else 39', async () => {
    expect((await grow([{name: 'orders', count: 4, assignments: [{brokerIds: [1]}]}]))[0].errorCode).to.equal(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    expect((await grow([{name: 'orders', count: 3, assignments: [{brokerIds: [2]}]}]))[0].errorCode).to.equal(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
    expect((await grow([{name: 'orders', count: 3, assignments: [{brokerIds: [1]}]}]))[0].errorCode).to.equal(0)
  })

  it('answers an unknown topic with 3 and a topic named twice with 42', async () => {
    expect((await grow([{name: 'nope', count: 3, assignments: null}]))[0].errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    const twice = await grow([{name: 'orders', count: 3, assignments: null}, {name: 'orders', count: 4, assignments: null}])
    expect(twice.map(r => r.errorCode)).to.deep.equal([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST])
    expect(h.logs.topic('orders')!.partitions).to.equal(2)
  })
})
