import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {BrokerHarness, batchOf, produceBody} from './broker-harness.js'

describe('OffsetForLeaderEpoch handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('events', 2)
    await h.call(ApiKey.Produce, 9, produceBody('events', 0, await batchOf(['a', 'b', 'c'])))
  })
  afterEach(() => h.close())

  const ask = async (version: number, partitions: {partition: number; leaderEpoch: number; currentLeaderEpoch?: number}[], topic = 'events') =>
    (await h.call(ApiKey.OffsetForLeaderEpoch, version, {replicaId: -1, topics: [{topic, partitions: partitions.map(p =>
      ({currentLeaderEpoch: -1, ...p}))}]})).topics[0].partitions

  it('answers epoch 0 with the log end offset (v2, as librdkafka asks)', async () => {
    expect(await ask(2, [{partition: 0, leaderEpoch: 0, currentLeaderEpoch: 0}, {partition: 1, leaderEpoch: 0}])).to.deep.equal([
      {errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 3},
      {errorCode: 0, partition: 1, leaderEpoch: 0, endOffset: 0},
    ])
  })

  it('answers -1/-1 for an epoch it never had, at every version', async () => {
    for (const version of [0, 1, 3, 4]) {
      const [answer] = await ask(version, [{partition: 0, leaderEpoch: 5}])
      expect(answer, `v${version}`).to.include({errorCode: 0, endOffset: -1})
      if (version >= 1) expect(answer.leaderEpoch).to.equal(-1)
    }
    expect((await ask(0, [{partition: 0, leaderEpoch: 0}]))[0]).to.include({errorCode: 0, endOffset: 3})
  })

  it('fences a current leader epoch above ours (75) or below it (74), and answers 3 for unknown partitions', async () => {
    expect(await ask(4, [{partition: 0, leaderEpoch: 0, currentLeaderEpoch: 1}, {partition: 0, leaderEpoch: 0, currentLeaderEpoch: -2},
      {partition: 7, leaderEpoch: 0}])).to.deep.equal([
      {errorCode: ErrorCode.UNKNOWN_LEADER_EPOCH, partition: 0, leaderEpoch: -1, endOffset: -1},
      {errorCode: ErrorCode.FENCED_LEADER_EPOCH, partition: 0, leaderEpoch: -1, endOffset: -1},
      {errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, partition: 7, leaderEpoch: -1, endOffset: -1},
    ])
    expect((await ask(2, [{partition: 0, leaderEpoch: 0}], 'nope'))[0].errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  })
})
