import {expect} from 'chai'
import {KafkaClient} from '../../src/client/index.js'
import {UnsupportedVersionError} from '../../src/client/errors.js'
import {ApiKey, ErrorCode, encodeAssignment, encodeSubscription} from '../../src/protocol/index.js'
import {FakeCluster, type FakeClusterOptions} from './fake-cluster.js'
import {fakeGroups, type FakeGroupMember, type FakeGroups} from './fake-group-admin-apis.js'

function member(memberId: string, topics: string[], assigned: {topic: string; partitions: number[]}[]): FakeGroupMember {
  return {
    memberId, groupInstanceId: null, clientId: `client-${memberId}`, clientHost: '/127.0.0.1',
    metadata: encodeSubscription({topics}), assignment: encodeAssignment({assignedPartitions: assigned}),
  }
}

describe('Admin consumer groups', () => {
  let fake: FakeCluster
  let client: KafkaClient
  let groups: FakeGroups

  async function start(options: FakeClusterOptions = {}): Promise<void> {
    fake = await FakeCluster.start(options)
    groups = fakeGroups(fake)
    client = await KafkaClient.connect({...fake.clientOptions, clientId: 'groups-test'})
  }

  afterEach(async () => {
    await client?.close()
    await fake.stop()
  })

  describe('listGroups', () => {
    it('asks every broker and merges their groups, sorted by id', async () => {
      await start({transport: 'tcp', nodes: 3})
      for (const id of ['orders', 'billing', 'audit', 'tools']) groups.add(id, {state: 'Stable', protocolType: 'consumer'})
      groups.add('tools', {state: 'Empty'})
      const listed = await client.admin().listGroups()
      expect(listed).to.deep.equal([
        {groupId: 'audit', state: 'Stable', protocolType: 'consumer'},
        {groupId: 'billing', state: 'Stable', protocolType: 'consumer'},
        {groupId: 'orders', state: 'Stable', protocolType: 'consumer'},
        {groupId: 'tools', state: 'Empty', protocolType: ''},
      ])
      expect(new Set(fake.requestsOf(ApiKey.ListGroups).map((r) => r.node))).to.deep.equal(new Set([1, 2, 3]))
    })

    it('passes a state filter to the brokers', async () => {
      await start()
      groups.add('a', {state: 'Stable', protocolType: 'consumer'})
      groups.add('b')
      expect((await client.admin().listGroups({states: ['Empty']})).map((g) => g.groupId)).to.deep.equal(['b'])
      expect(fake.requestsOf(ApiKey.ListGroups)[0]!.body.statesFilter).to.deep.equal(['Empty'])
    })

    it('refuses a state filter where ListGroups is older than v4, and lists without one', async () => {
      await start({maxVersions: {[ApiKey.ListGroups]: 3}})
      groups.add('a', {state: 'Stable', protocolType: 'consumer'})
      const error = await client.admin().listGroups({states: ['Stable']}).then(() => null, (e: unknown) => e)
      expect(error).to.be.instanceOf(UnsupportedVersionError)
      expect(await client.admin().listGroups()).to.deep.equal([{groupId: 'a', state: '', protocolType: 'consumer'}])
    })
  })

  describe('describeGroups', () => {
    it('decodes the members\' assignments and subscriptions of a consumer group', async () => {
      await start()
      groups.add('g', {state: 'Stable', protocolType: 'consumer', protocol: 'range', members: [
        member('m-1', ['t', 'a'], [{topic: 't', partitions: [2, 0]}, {topic: 'a', partitions: [1]}]),
        member('m-2', ['t'], []),
      ]})
      const [described] = await client.admin().describeGroups(['g'])
      expect(described).to.deep.equal({
        groupId: 'g', errorCode: 0, state: 'Stable', protocolType: 'consumer', protocol: 'range', coordinator: 1, coordinatorAddress: '127.0.0.1:1',
        members: [
          {memberId: 'm-1', groupInstanceId: null, clientId: 'client-m-1', clientHost: '/127.0.0.1',
            assignment: [{topic: 'a', partitions: [1]}, {topic: 't', partitions: [0, 2]}], subscribedTopics: ['a', 't']},
          {memberId: 'm-2', groupInstanceId: null, clientId: 'client-m-2', clientHost: '/127.0.0.1', assignment: [], subscribedTopics: ['t']},
        ],
      })
    })

    it('leaves other protocol types\' bytes alone and answers "Dead" for unknown groups, in request order', async () => {
      await start({transport: 'tcp', nodes: 2})
      groups.add('connect', {state: 'Stable', protocolType: 'connect', protocol: 'sessioned', members: [
        {...member('w', [], []), metadata: Buffer.from('not a subscription')},
      ]})
      const described = await client.admin().describeGroups(['missing', 'connect'])
      expect(described.map((g) => [g.groupId, g.state, g.coordinator])).to.deep.equal([
        ['missing', 'Dead', groups.coordinatorOf('missing')], ['connect', 'Stable', groups.coordinatorOf('connect')],
      ])
      expect(described[1]!.members[0]!.assignment).to.deep.equal([])
      expect(described[1]!.members[0]!.subscribedTopics).to.deep.equal([])
    })
  })

  describe('offsets', () => {
    it('lists committed offsets only, sorted, at OffsetFetch v8+ (groups)', async () => {
      await start()
      groups.commit('g', 't', 1, 40, 'm')
      groups.commit('g', 't', 0, 10)
      groups.commit('g', 'a', 0, 5)
      const offsets = await client.admin().listGroupOffsets('g')
      expect(offsets).to.deep.equal([
        {topic: 'a', partition: 0, offset: 5, leaderEpoch: -1, metadata: ''},
        {topic: 't', partition: 0, offset: 10, leaderEpoch: -1, metadata: ''},
        {topic: 't', partition: 1, offset: 40, leaderEpoch: -1, metadata: 'm'},
      ])
      expect((await client.admin().listGroupOffsets('g', ['t'])).map((o) => o.offset)).to.deep.equal([10, 40])
      expect(await client.admin().listGroupOffsets('nobody')).to.deep.equal([])
      expect(fake.requestsOf(ApiKey.OffsetFetch)[0]!.version).to.be.at.least(8)
    })

    it('uses null topics on OffsetFetch v2-7 and the topics\' partitions on v1', async () => {
      await start({maxVersions: {[ApiKey.OffsetFetch]: 7}})
      groups.commit('g', 't', 0, 10)
      expect((await client.admin().listGroupOffsets('g')).map((o) => o.offset)).to.deep.equal([10])
      await client.close()
      await fake.stop()
      await start({maxVersions: {[ApiKey.OffsetFetch]: 1}})
      fake.createTopic('t', 2)
      groups.commit('g', 't', 1, 7)
      expect(await client.admin().listGroupOffsets('g', ['t'])).to.deep.equal([{topic: 't', partition: 1, offset: 7, leaderEpoch: -1, metadata: ''}])
      expect(fake.requestsOf(ApiKey.OffsetFetch)[0]!.body.topics).to.deep.equal([{name: 't', partitionIndexes: [0, 1]}])
      const error = await client.admin().listGroupOffsets('g').then(() => null, (e: unknown) => e)
      expect(error).to.be.instanceOf(UnsupportedVersionError)
    })

    it('commits offsets as an admin tool (generation -1, no member), refused while the group has members', async () => {
      await start()
      const results = await client.admin().alterGroupOffsets('g', [{topic: 't', partition: 1, offset: 9}, {topic: 'u', partition: 0, offset: 3, metadata: 'x'}])
      expect(results).to.deep.equal([{topic: 't', partition: 1, errorCode: 0}, {topic: 'u', partition: 0, errorCode: 0}])
      const [request] = fake.requestsOf(ApiKey.OffsetCommit)
      expect([request!.body.generationIdOrMemberEpoch, request!.body.memberId]).to.deep.equal([-1, ''])
      expect((await client.admin().listGroupOffsets('g')).map((o) => [o.topic, o.offset, o.metadata])).to.deep.equal([['t', 9, ''], ['u', 3, 'x']])
      groups.add('live', {state: 'Stable', protocolType: 'consumer', members: [member('m', ['t'], [])]})
      const refused = await client.admin().alterGroupOffsets('live', [{topic: 't', partition: 0, offset: 1}])
      expect(refused).to.deep.equal([{topic: 't', partition: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID}])
    })

    it('deletes a topic\'s offsets on every partition by default; a group-level error covers each partition', async () => {
      await start()
      fake.createTopic('t', 3)
      groups.commit('g', 't', 0, 1)
      groups.commit('g', 't', 2, 1)
      expect(await client.admin().deleteGroupOffsets('g', 't')).to.deep.equal([0, 1, 2].map((partition) => ({topic: 't', partition, errorCode: 0})))
      expect(await client.admin().listGroupOffsets('g')).to.deep.equal([])
      expect(await client.admin().deleteGroupOffsets('nobody', 't', [1])).to.deep.equal([{topic: 't', partition: 1, errorCode: ErrorCode.GROUP_ID_NOT_FOUND}])
    })

    it('deletes the committed partitions of a topic that no longer exists; refuses a subscribed topic per partition', async () => {
      await start()
      groups.commit('g', 'gone', 4, 1)
      expect(await client.admin().deleteGroupOffsets('g', 'gone')).to.deep.equal([{topic: 'gone', partition: 4, errorCode: 0}])
      groups.add('live', {state: 'Stable', protocolType: 'consumer', members: [member('m', ['t'], [])]})
      expect(await client.admin().deleteGroupOffsets('live', 't', [0])).to.deep.equal([{topic: 't', partition: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC}])
    })
  })

  describe('deleteGroups', () => {
    it('deletes empty groups and answers per group, in request order', async () => {
      await start({transport: 'tcp', nodes: 2})
      groups.add('empty')
      groups.add('live', {state: 'Stable', protocolType: 'consumer', members: [member('m', ['t'], [])]})
      const results = await client.admin().deleteGroups(['live', 'empty', 'missing'])
      expect(results).to.deep.equal([
        {groupId: 'live', errorCode: ErrorCode.NON_EMPTY_GROUP},
        {groupId: 'empty', errorCode: 0},
        {groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND},
      ])
      expect(groups.groups.has('empty')).to.equal(false)
    })
  })
})
