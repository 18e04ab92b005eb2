import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {BrokerHarness, batchOf, produceBody} from './broker-harness.js'

/**
 * __consumer_offsets holds the group coordinator's state: clients may read it, but Produce,
 * DeleteRecords and CreatePartitions would change what a restart replays, so they are refused.
 */
describe('the internal topic __consumer_offsets', () => {
  const TOPIC = '__consumer_offsets'
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    // The first commit creates the topic, as the coordinator does on its first write.
    await h.createTopic('orders', 1)
    await h.call(ApiKey.OffsetCommit, 2, {groupId: 'g', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1,
      topics: [{name: 'orders', partitions: [{partitionIndex: 0, committedOffset: 0, committedMetadata: ''}]}]})
    expect(h.logs.topic(TOPIC)).to.not.equal(undefined)
  })
  afterEach(() => h.close())

  it('refuses Produce from clients with 17 and appends nothing', async () => {
    const partition = 0
    const before = h.logs.partition(TOPIC, partition)!.logEndOffset
    const response = await h.call(ApiKey.Produce, 9, produceBody(TOPIC, partition, await batchOf(['forged'])))
    expect(response.responses[0].partitionResponses[0]).to.include({errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION})
    expect(h.logs.partition(TOPIC, partition)!.logEndOffset).to.equal(before)
  })

  it('refuses DeleteRecords with 17', async () => {
    const response = await h.call(ApiKey.DeleteRecords, 2, {topics: [{name: TOPIC, partitions: [{partitionIndex: 0, offset: -1}]}], timeoutMs: 1000})
    expect(response.topics[0].partitions[0].errorCode).to.equal(ErrorCode.INVALID_TOPIC_EXCEPTION)
  })

  it('refuses CreatePartitions with 42 and keeps the partition count', async () => {
    const partitions = h.logs.topic(TOPIC)!.partitions
    const response = await h.call(ApiKey.CreatePartitions, 3, {topics: [{name: TOPIC, count: partitions + 1, assignments: null}], timeoutMs: 5000,
      validateOnly: false})
    expect(response.results[0]).to.include({errorCode: ErrorCode.INVALID_REQUEST})
    expect(response.results[0].errorMessage).to.match(/internal topic __consumer_offsets/)
    expect(h.logs.topic(TOPIC)!.partitions).to.equal(partitions)
  })
})
