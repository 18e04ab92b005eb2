import {expect} from 'chai'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {ApiKey, ErrorCode, ZERO_UUID, consumerOffsetsPartition, type OffsetCommitResponse} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'
import {FakeMembership, storedRecords, useMembership} from './offset-fixtures.js'

const settings = BrokerSettings.from({'offsets.topic.num.partitions': '3', 'offset.metadata.max.bytes': '10'})

function commitBody(groupId: string, partitions: {topic: string; index: number; offset: number; metadata?: string | null; epoch?: number;
  timestamp?: number}[], fields: Record<string, unknown> = {}): object {
  const topics = [...new Set(partitions.map(p => p.topic))].map(name => ({name, partitions: partitions.filter(p => p.topic === name)
    .map(p => ({partitionIndex: p.index, committedOffset: p.offset, committedLeaderEpoch: p.epoch ?? -1,
      commitTimestamp: p.timestamp ?? -1, committedMetadata: p.metadata === undefined ? '' : p.metadata}))}))
  return {groupId, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics, ...fields}
}

const errorsOf = (response: OffsetCommitResponse) =>
  response.topics.flatMap(t => t.partitions.map(p => `${t.name}-${p.partitionIndex}:${p.errorCode}`))

describe('OffsetCommit and OffsetFetch handlers', () => {
  let h: BrokerHarness
  let membership: FakeMembership
  beforeEach(async () => {
    h = await BrokerHarness.open({settings})
    membership = new FakeMembership()
    useMembership(h, membership)
    await h.createTopic('events', 3)
  })
  afterEach(() => h.close())

  const fetchV7 = async (groupId: string, topics: {name: string; partitionIndexes: number[]}[] | null) =>
    h.call(ApiKey.OffsetFetch, 7, {groupId, topics, requireStable: false})

  it('commits (v8), writes Kafka records to a compacted __consumer_offsets created on first use, and fetches them back (v7)', async () => {
    expect(h.logs.topic('__consumer_offsets')).to.equal(undefined)
    const response = await h.call(ApiKey.OffsetCommit, 8, commitBody('app', [{topic: 'events', index: 0, offset: 42, metadata: 'm', epoch: 0},
      {topic: 'events', index: 2, offset: 7, metadata: null}], {generationIdOrMemberEpoch: 3, memberId: 'm-1', groupInstanceId: 'i-1'}))
    expect(errorsOf(response)).to.deep.equal(['events-0:0', 'events-2:0'])
    expect(membership.checks).to.deep.equal([{groupId: 'app', memberId: 'm-1', generationId: 3, groupInstanceId: 'i-1'}])
    const topic = h.logs.topic('__consumer_offsets')!
    expect(topic.partitions).to.equal(3)
    expect(topic.configs).to.deep.include({'cleanup.policy': 'compact', 'segment.bytes': '104857600'})

    const records = await storedRecords(h.logs, consumerOffsetsPartition('app', 3))
    expect(records.map(r => [r.key, r.value === null ? null : r.valueVersion])).to.deep.equal([
      [{type: 'offset-commit', version: 1, key: {group: 'app', topic: 'events', partition: 0}}, 3],
      [{type: 'offset-commit', version: 1, key: {group: 'app', topic: 'events', partition: 2}}, 3],
    ])
    expect(records[0].value).to.deep.include({offset: 42, leaderEpoch: 0, metadata: 'm'})
    expect(records[1].value).to.deep.include({offset: 7, leaderEpoch: -1, metadata: ''})

    const fetched = await fetchV7('app', [{name: 'events', partitionIndexes: [0, 1, 2]}, {name: 'gone', partitionIndexes: [0]}])
    expect(fetched.errorCode).to.equal(0)
    expect(fetched.topics).to.deep.equal([
      {name: 'events', partitions: [
        {partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: 0, metadata: 'm', errorCode: 0},
        {partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0},
        {partitionIndex: 2, committedOffset: 7, committedLeaderEpoch: -1, metadata: '', errorCode: 0}]},
      {name: 'gone', partitions: [{partitionIndex: 0, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0}]},
    ])
  })

  it('answers 3 for unknown partitions, 12 for metadata above offset.metadata.max.bytes, and writes only the rest', async () => {
    const response = await h.call(ApiKey.OffsetCommit, 8, commitBody('app', [{topic: 'events', index: 0, offset: 1, metadata: '0123456789'},
      {topic: 'events', index: 1, offset: 1, metadata: '0123456789x'}, {topic: 'events', index: 9, offset: 1}, {topic: 'nope', index: 0, offset: 1}]))
    expect(errorsOf(response)).to.deep.equal(['events-0:0', 'events-1:12', 'events-9:3', 'nope-0:3'])
    const fetched = await fetchV7('app', null)
    expect(fetched.topics).to.deep.equal([{name: 'events', partitions: [
      {partitionIndex: 0, committedOffset: 1, committedLeaderEpoch: -1, metadata: '0123456789', errorCode: 0}]}])
  })

  it('answers the membership error for every known partition and writes nothing', async () => {
    membership.commitError = ErrorCode.ILLEGAL_GENERATION
    const response = await h.call(ApiKey.OffsetCommit, 8, commitBody('app', [{topic: 'events', index: 0, offset: 1}, {topic: 'nope', index: 0, offset: 1}],
      {generationIdOrMemberEpoch: 1, memberId: 'old'}))
    expect(errorsOf(response)).to.deep.equal([`events-0:${ErrorCode.ILLEGAL_GENERATION}`, 'nope-0:3'])
    expect(h.logs.topic('__consumer_offsets')).to.equal(undefined)
    expect((await fetchV7('app', null)).topics).to.deep.equal([])
  })

  it('answers 24 for an empty group id, on commit and on fetch', async () => {
    const response = await h.call(ApiKey.OffsetCommit, 8, commitBody('', [{topic: 'events', index: 0, offset: 1}]))
    expect(errorsOf(response)).to.deep.equal([`events-0:${ErrorCode.INVALID_GROUP_ID}`])
    expect(membership.checks).to.deep.equal([])
    expect((await fetchV7('', [{name: 'events', partitionIndexes: [0]}])).errorCode).to.equal(ErrorCode.INVALID_GROUP_ID)
    const v1 = await h.call(ApiKey.OffsetFetch, 1, {groupId: '', topics: [{name: 'events', partitionIndexes: [0]}]})
    expect(v1.topics[0].partitions[0]).to.include({committedOffset: -1, errorCode: ErrorCode.INVALID_GROUP_ID})
  })

  it('v0 commits as generation -1 and member ""; v1 keeps an explicit commit timestamp', async () => {
    await h.call(ApiKey.OffsetCommit, 0, commitBody('old', [{topic: 'events', index: 0, offset: 5}]))
    expect(membership.checks[0]).to.deep.equal({groupId: 'old', memberId: '', generationId: -1, groupInstanceId: null})
    await h.call(ApiKey.OffsetCommit, 1, commitBody('old', [{topic: 'events', index: 1, offset: 6, timestamp: 1_600_000_000_000}],
      {generationIdOrMemberEpoch: 2, memberId: 'm'}))
    expect(membership.checks[1]).to.include({memberId: 'm', generationId: 2})
    const stored = (await storedRecords(h.logs, consumerOffsetsPartition('old', 3))).map(r => r.value)
    expect(stored[1]).to.include({offset: 6, commitTimestamp: 1_600_000_000_000})
    const fetched = await h.call(ApiKey.OffsetFetch, 0, {groupId: 'old', topics: [{name: 'events', partitionIndexes: [0, 1]}]})
    expect(fetched.topics[0].partitions.map(p => p.committedOffset)).to.deep.equal([5, 6])
  })

  it('v2 RetentionTimeMs stores an expiry in an OffsetCommitValue v1 (without leader epoch)', async () => {
    const before = Date.now()
    await h.call(ApiKey.OffsetCommit, 2, commitBody('ret', [{topic: 'events', index: 0, offset: 9}], {retentionTimeMs: 60_000}))
    const [record] = await storedRecords(h.logs, consumerOffsetsPartition('ret', 3))
    expect(record.value === null ? null : record.valueVersion).to.equal(1)
    const value = record.value as {expireTimestamp: number; commitTimestamp: number}
    expect(value.expireTimestamp - value.commitTimestamp).to.equal(60_000)
    expect(value.commitTimestamp).to.be.within(before, Date.now())
  })

  it('v2+ null topics answers every committed offset of the group, sorted; the last commit wins', async () => {
    await h.createTopic('alpha', 2)
    await h.call(ApiKey.OffsetCommit, 8, commitBody('app', [{topic: 'events', index: 2, offset: 1}, {topic: 'alpha', index: 1, offset: 2}]))
    await h.call(ApiKey.OffsetCommit, 8, commitBody('app', [{topic: 'events', index: 0, offset: 3}, {topic: 'events', index: 2, offset: 4}]))
    const fetched = await h.call(ApiKey.OffsetFetch, 2, {groupId: 'app', topics: null})
    expect(fetched.topics.map(t => [t.name, t.partitions.map(p => [p.partitionIndex, p.committedOffset])])).to.deep.equal([
      ['alpha', [[1, 2]]], ['events', [[0, 3], [2, 4]]]])
  })

  it('v8 answers several groups, each on its own', async () => {
    await h.call(ApiKey.OffsetCommit, 9, commitBody('g1', [{topic: 'events', index: 0, offset: 10}]))
    await h.call(ApiKey.OffsetCommit, 9, commitBody('g2', [{topic: 'events', index: 0, offset: 20}]))
    const fetched = await h.call(ApiKey.OffsetFetch, 8, {requireStable: true, groups: [
      {groupId: 'g1', topics: [{name: 'events', partitionIndexes: [0]}]}, {groupId: 'g2', topics: null},
      {groupId: 'none', topics: null}, {groupId: '', topics: null}]})
    expect(fetched.groups.map(g => [g.groupId, g.errorCode, g.topics.map(t => t.partitions.map(p => p.committedOffset))])).to.deep.equal([
      ['g1', 0, [[10]]], ['g2', 0, [[20]]], ['none', 0, []], ['', ErrorCode.INVALID_GROUP_ID, []]])
  })

  it('creates __consumer_offsets once under concurrent first commits', async () => {
    const groups = ['a', 'b', 'c', 'd', 'e', 'f']
    const responses = await Promise.all(groups.map((g, i) => h.call(ApiKey.OffsetCommit, 8, commitBody(g, [{topic: 'events', index: 0, offset: i}]))))
    expect(responses.flatMap(errorsOf)).to.deep.equal(groups.map(() => 'events-0:0'))
    expect(h.lines.filter(line => line.startsWith('created __consumer_offsets'))).to.have.length(1)
    for (const [i, g] of groups.entries()) expect((await fetchV7(g, null)).topics[0].partitions[0].committedOffset).to.equal(i)
  })

  it('DeleteTopics and CreateTopics refuse __consumer_offsets', async () => {
    await h.call(ApiKey.OffsetCommit, 8, commitBody('app', [{topic: 'events', index: 0, offset: 1}]))
    const deleted = await h.call(ApiKey.DeleteTopics, 6, {topics: [{name: '__consumer_offsets', topicId: ZERO_UUID}], timeoutMs: 1000})
    expect(deleted.responses[0].errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    expect(h.logs.topic('__consumer_offsets')).to.not.equal(undefined)
    const created = await h.call(ApiKey.CreateTopics, 7, {topics: [{name: '__consumer_offsets', numPartitions: 1, replicationFactor: 1,
      assignments: [], configs: []}], timeoutMs: 1000, validateOnly: false})
    expect(created.topics[0].errorCode).to.equal(ErrorCode.INVALID_REQUEST)
  })
})
