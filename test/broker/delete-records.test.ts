import {expect} from 'chai'
import {ApiKey, ErrorCode, type DeleteRecordsPartitionResult} from '../../src/protocol/index.js'
import {BrokerHarness, batchOf, produceBody} from './broker-harness.js'

describe('DeleteRecords handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('events', 2)
    // offsets 0-2, 3-4, 5 in partition 0
    for (const values of [['a', 'b', 'c'], ['d', 'e'], ['f']]) await h.call(ApiKey.Produce, 9, produceBody('events', 0, await batchOf(values)))
  })
  afterEach(() => h.close())

  const trim = async (partitions: {partitionIndex: number; offset: number}[], topic = 'events'): Promise<DeleteRecordsPartitionResult[]> =>
    (await h.call(ApiKey.DeleteRecords, 2, {topics: [{name: topic, partitions}], timeoutMs: 1000})).topics[0].partitions
  const fetchAt = async (fetchOffset: number, maxWaitMs = 0) => (await h.call(ApiKey.Fetch, 12, {maxWaitMs, minBytes: 1, maxBytes: 1 << 20,
    isolationLevel: 0, sessionId: 0, sessionEpoch: -1, forgottenTopicsData: [], rackId: '',
    topics: [{topic: 'events', partitions: [{partition: 0, fetchOffset, partitionMaxBytes: 1 << 20}]}]})).responses[0].partitions[0]

  it('moves the log start offset, even inside a batch; reads below it get OFFSET_OUT_OF_RANGE', async () => {
    expect(await trim([{partitionIndex: 0, offset: 4}])).to.deep.equal([{partitionIndex: 0, lowWatermark: 4, errorCode: 0}])
    expect(h.logs.partition('events', 0)!.logStartOffset).to.equal(4)
    expect(await fetchAt(3)).to.include({errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, logStartOffset: 4})
    expect(await fetchAt(4)).to.include({errorCode: 0, logStartOffset: 4})
    expect(h.lines.at(-1)).to.equal('deleted records of events-0 before offset 4 (log start was 0)')
  })

  it('takes -1 as the high watermark and never moves the start back', async () => {
    expect((await trim([{partitionIndex: 0, offset: -1}]))[0]).to.include({lowWatermark: 6, errorCode: 0})
    expect((await trim([{partitionIndex: 0, offset: 2}]))[0]).to.include({lowWatermark: 6, errorCode: 0})
    expect(h.logs.partition('events', 0)!.logStartOffset).to.equal(6)
  })

  it('answers 1 past the end or below -1, and 3 for an unknown topic or partition', async () => {
    expect(await trim([{partitionIndex: 0, offset: 7}, {partitionIndex: 0, offset: -2}, {partitionIndex: 5, offset: 0}])).to.deep.equal([
      {partitionIndex: 0, lowWatermark: 0, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE},
      {partitionIndex: 0, lowWatermark: 0, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE},
      {partitionIndex: 5, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION},
    ])
    expect((await trim([{partitionIndex: 0, offset: 1}], 'nope'))[0]).to.include({errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION})
    expect(h.logs.partition('events', 0)!.logStartOffset).to.equal(0)
  })

  it('wakes a long poll parked below the new start, which answers OFFSET_OUT_OF_RANGE', async () => {
    // MinBytes above what the partition holds keeps the poll parked at offset 0, though data is there.
    const polling = h.call(ApiKey.Fetch, 12, {maxWaitMs: 60_000, minBytes: 1 << 20, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0,
      sessionEpoch: -1, forgottenTopicsData: [], rackId: '',
      topics: [{topic: 'events', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20}]}]})
    await new Promise(resolve => setImmediate(resolve))
    expect((await trim([{partitionIndex: 0, offset: 3}]))[0].errorCode).to.equal(0)
    expect((await polling).responses[0].partitions[0]).to.include({errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, logStartOffset: 3})
  })
})
