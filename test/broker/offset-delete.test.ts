import {expect} from 'chai'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {ApiKey, ErrorCode, consumerOffsetsPartition} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'
import {FakeMembership, snapshotOf, storedRecords, useMembership} from './offset-fixtures.js'

describe('OffsetDelete handler', () => {
  let h: BrokerHarness
  let membership: FakeMembership
  beforeEach(async () => {
    h = await BrokerHarness.open({settings: BrokerSettings.from({'offsets.topic.num.partitions': '1'})})
    membership = new FakeMembership()
    useMembership(h, membership)
    await h.createTopic('a', 2)
    await h.createTopic('b', 1)
    await h.call(ApiKey.OffsetCommit, 8, {groupId: 'app', generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, topics: [
      {name: 'a', partitions: [0, 1].map(partitionIndex => ({partitionIndex, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: ''}))},
      {name: 'b', partitions: [{partitionIndex: 0, committedOffset: 6, committedLeaderEpoch: -1, committedMetadata: ''}]}]})
  })
  afterEach(() => h.close())

  const remove = (groupId: string, topics: {name: string; partitions: number[]}[]) => h.call(ApiKey.OffsetDelete, 0, {groupId,
    topics: topics.map(t => ({name: t.name, partitions: t.partitions.map(partitionIndex => ({partitionIndex}))}))})
  const committed = async () => (await h.call(ApiKey.OffsetFetch, 8, {groups: [{groupId: 'app', topics: null}]})).groups[0].topics
    .flatMap(t => t.partitions.map(p => `${t.name}-${p.partitionIndex}`))

  it('tombstones the offsets of an Empty group; a partition without offset is fine; unknown partitions get 3', async () => {
    membership.groups.set('app', snapshotOf('Empty'))
    const response = await remove('app', [{name: 'a', partitions: [0, 5]}, {name: 'nope', partitions: [0]}])
    expect(response).to.deep.equal({errorCode: 0, throttleTimeMs: 0, topics: [
      {name: 'a', partitions: [{partitionIndex: 0, errorCode: 0}, {partitionIndex: 5, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}]},
      {name: 'nope', partitions: [{partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION}]}]})
    expect(await committed()).to.deep.equal(['a-1', 'b-0'])
    const last = (await storedRecords(h.logs, consumerOffsetsPartition('app', 1))).at(-1)!
    expect(last).to.deep.include({key: {type: 'offset-commit', version: 1, key: {group: 'app', topic: 'a', partition: 0}}, value: null})
    expect(membership.gone).to.deep.equal([])
  })

  it('answers 86 for topics a live consumer group subscribes to, and deletes the others', async () => {
    membership.groups.set('app', snapshotOf('Stable', {subscribedTopics: new Set(['a'])}))
    const response = await remove('app', [{name: 'a', partitions: [0]}, {name: 'b', partitions: [0]}])
    expect(response.topics.map(t => t.partitions[0].errorCode)).to.deep.equal([ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, 0])
    expect(await committed()).to.deep.equal(['a-0', 'a-1'])
  })

  it('tells the membership side once the group has no offsets left', async () => {
    membership.groups.set('app', snapshotOf('Empty'))
    await remove('app', [{name: 'a', partitions: [0, 1]}])
    expect(membership.gone).to.deep.equal([])
    await remove('app', [{name: 'b', partitions: [0]}])
    expect(membership.gone).to.deep.equal(['app'])
    expect(await committed()).to.deep.equal([])
  })

  it('answers 69 for an unknown or Dead group, 68 for a live group of another protocol, 24 for an empty id', async () => {
    expect((await remove('app', [{name: 'a', partitions: [0]}])).errorCode).to.equal(ErrorCode.GROUP_ID_NOT_FOUND)
    membership.groups.set('app', snapshotOf('Dead'))
    expect((await remove('app', [{name: 'a', partitions: [0]}])).errorCode).to.equal(ErrorCode.GROUP_ID_NOT_FOUND)
    membership.groups.set('app', snapshotOf('Stable', {protocolType: 'connect'}))
    expect(await remove('app', [{name: 'a', partitions: [0]}])).to.deep.equal({errorCode: ErrorCode.NON_EMPTY_GROUP, throttleTimeMs: 0, topics: []})
    expect((await remove('', [{name: 'a', partitions: [0]}])).errorCode).to.equal(ErrorCode.INVALID_GROUP_ID)
    expect(await committed()).to.deep.equal(['a-0', 'a-1', 'b-0'])
  })
})
