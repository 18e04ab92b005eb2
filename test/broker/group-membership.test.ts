import {expect} from 'chai'
import {Broker} from '../../src/broker/broker.js'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {ApiKey, encodeSubscription, ErrorCode, type GroupMetadataValue} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'
import {describeGroup, heartbeat, joinNew, openGroupBroker, sync} from './group-harness.js'
import type {BrokerContext} from '../../src/broker/context.js'
import {coordinatorFixture, flush, joinRequest, stableGroup, syncRequest, type CoordinatorFixture} from './group-coordinator-fixtures.js'

describe('GroupCoordinator as the offsets side sees it', () => {
  let f: CoordinatorFixture
  beforeEach(() => { f = coordinatorFixture() })
  afterEach(() => f.coordinator.close())

  describe('offsetCommitError', () => {
    it('lets generation -1 with no member commit to an unknown group, which then exists Empty', () => {
      expect(f.coordinator.offsetCommitError('admin', '', -1, null)).to.equal(0)
      expect(f.coordinator.snapshot('admin')).to.deep.include({state: 'Empty', protocolType: null, subscribedTopics: null})
      expect(f.coordinator.offsetCommitError('other', '', 3, null)).to.equal(ErrorCode.ILLEGAL_GENERATION)
      expect(f.coordinator.snapshot('other')).to.equal(undefined)
    })

    it('takes any generation -1 commit to an Empty group, whatever member or instance id it names (as Kafka)', () => {
      f.coordinator.offsetCommitError('assigned', '', -1, null)
      expect(f.coordinator.offsetCommitError('assigned', '', -1, 'instance-1')).to.equal(0)
      expect(f.coordinator.offsetCommitError('assigned', 'm-1', -1, null)).to.equal(0)
      expect(f.coordinator.offsetCommitError('assigned', 'm-1', 1, null)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    })

    it('checks member and generation of a live group', async () => {
      const [a] = await stableGroup(f, 1)
      expect(f.coordinator.offsetCommitError('g', a, 1, null)).to.equal(0)
      expect(f.coordinator.offsetCommitError('g', a, 2, null)).to.equal(ErrorCode.ILLEGAL_GENERATION)
      expect(f.coordinator.offsetCommitError('g', 'who', 1, null)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
      expect(f.coordinator.offsetCommitError('g', '', -1, null)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
      expect(f.coordinator.offsetCommitError('g', a, 1, 'unknown-instance')).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    })

    it('answers REBALANCE_IN_PROGRESS while the generation completes, and allows commits while preparing one', async () => {
      const joining = f.coordinator.joinGroup(joinRequest())
      f.clock.advance(0)
      const joined = await joining
      expect(f.coordinator.offsetCommitError('g', joined.memberId, 1, null)).to.equal(ErrorCode.REBALANCE_IN_PROGRESS)
      await f.coordinator.syncGroup(syncRequest({memberId: joined.memberId, generationId: 1}))
      f.coordinator.joinGroup(joinRequest()).catch(() => {})
      expect(f.coordinator.snapshot('g')!.state).to.equal('PreparingRebalance')
      expect(f.coordinator.offsetCommitError('g', joined.memberId, 1, null)).to.equal(0)
    })

    it('counts a commit as a heartbeat', async () => {
      const [a] = await stableGroup(f, 1, {sessionTimeoutMs: 10_000})
      f.clock.advance(9000)
      expect(f.coordinator.offsetCommitError('g', a, 1, null)).to.equal(0)
      f.clock.advance(9000)
      expect(f.coordinator.heartbeat('g', a, 1, null)).to.equal(0)
    })
  })

  describe('snapshot', () => {
    it('names the subscribed topics of a consumer group with members and when its state changed', async () => {
      f.clock.advance(5)
      await stableGroup(f, 2, {protocols: [{name: 'range', metadata: encodeSubscription({topics: ['a', 'b']})}]})
      const snapshot = f.coordinator.snapshot('g')!
      expect(snapshot).to.include({state: 'Stable', protocolType: 'consumer', stateTimestamp: f.clock.now()})
      expect([...snapshot.subscribedTopics!].sort()).to.deep.equal(['a', 'b'])
    })

    it('has no topics for a group of another protocol type', async () => {
      await stableGroup(f, 1, {protocolType: 'connect', protocols: [{name: 'default', metadata: Buffer.from('x')}]})
      expect(f.coordinator.snapshot('g')).to.deep.include({protocolType: 'connect', subscribedTopics: null})
    })
  })

  describe('offsetsGone', () => {
    it('removes an Empty group without offsets, tombstoning it, and keeps others', async () => {
      f.coordinator.offsetCommitError('e', '', -1, null)
      f.coordinator.offsetCommitError('kept', '', -1, null)
      f.store.withOffsets.add('kept')
      await stableGroup(f, 1)
      await f.coordinator.offsetsGone('e')
      await f.coordinator.offsetsGone('kept')
      await f.coordinator.offsetsGone('g')
      expect(f.store.deleted).to.deep.equal(['e'])
      expect(f.coordinator.snapshot('e')).to.equal(undefined)
      expect(f.coordinator.snapshot('kept')!.state).to.equal('Empty')
      expect(f.coordinator.snapshot('g')!.state).to.equal('Stable')
    })
  })

  describe('close', () => {
    it('leaves groups alone when a write settles after it: no state change, no timer', async () => {
      const joining = f.coordinator.joinGroup(joinRequest())
      f.clock.advance(0)
      const joined = await joining
      const release = f.store.holdNext()
      const syncing = f.coordinator.syncGroup(syncRequest({memberId: joined.memberId, generationId: 1,
        assignments: [{memberId: joined.memberId, assignment: Buffer.from('a')}]}))
      f.coordinator.close()
      expect((await syncing).errorCode).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
      release()
      await flush()
      expect(f.clock.pending).to.equal(0)
      expect(f.coordinator.snapshot('g')!.state).to.equal('CompletingRebalance')
    })
  })

  describe('emptyGroupIds', () => {
    it('lists the Empty groups only', async () => {
      f.coordinator.offsetCommitError('e', '', -1, null)
      await stableGroup(f, 1)
      expect(f.coordinator.emptyGroupIds()).to.deep.equal(['e'])
    })
  })

  describe('restore', () => {
    const record = (fields: Partial<GroupMetadataValue> = {}): GroupMetadataValue => ({protocolType: 'consumer', generation: 4,
      protocol: 'range', leader: 'm1', currentStateTimestamp: 1_600_000_000_000, members: [
        {memberId: 'm1', groupInstanceId: null, clientId: 'c1', clientHost: '/10.0.0.1', rebalanceTimeout: 20_000, sessionTimeout: 10_000,
          subscription: encodeSubscription({topics: ['t']}), assignment: Buffer.from('a1')},
        {memberId: 'm2', groupInstanceId: 'i2', clientId: 'c2', clientHost: '/10.0.0.2', rebalanceTimeout: 20_000, sessionTimeout: 10_000,
          subscription: encodeSubscription({topics: ['u']}), assignment: Buffer.from('a2')}], ...fields})

    it('brings groups back Stable with their generation, leader and assignments, and Empty groups that only have offsets', async () => {
      f.coordinator.restore(new Map([['g', record()], ['empty', record({members: [], protocol: null, leader: null})]]), ['g', 'offsets-only'])
      expect(f.coordinator.snapshot('g')).to.deep.include({state: 'Stable', stateTimestamp: 1_600_000_000_000})
      expect([...f.coordinator.snapshot('g')!.subscribedTopics!].sort()).to.deep.equal(['t', 'u'])
      expect(f.coordinator.heartbeat('g', 'm1', 4, null)).to.equal(0)
      expect(f.coordinator.heartbeat('g', 'm1', 4, 'i2')).to.equal(ErrorCode.FENCED_INSTANCE_ID)
      const synced = await f.coordinator.syncGroup(syncRequest({memberId: 'm2', generationId: 4, groupInstanceId: 'i2'}))
      expect(synced).to.deep.include({errorCode: 0, protocolName: 'range'})
      expect(synced.assignment.toString()).to.equal('a2')
      const summary = f.coordinator.describeGroup('g')
      expect(summary.members.map(m => [m.memberId, m.clientId, m.clientHost])).to.deep.equal([['m1', 'c1', '/10.0.0.1'], ['m2', 'c2', '/10.0.0.2']])
      expect(f.coordinator.snapshot('empty')).to.deep.include({state: 'Empty', protocolType: 'consumer'})
      expect(f.coordinator.snapshot('offsets-only')).to.deep.include({state: 'Empty', protocolType: null})
    })

    it('starts every restored member on a fresh session: the silent ones are removed', async () => {
      f.coordinator.restore(new Map([['g', record()]]), [])
      f.clock.advance(9000)
      expect(f.coordinator.heartbeat('g', 'm1', 4, null)).to.equal(0)
      f.clock.advance(1000)
      expect(f.coordinator.snapshot('g')!.state).to.equal('PreparingRebalance')
      const rejoined = await f.coordinator.joinGroup(joinRequest({memberId: 'm1', protocols: [{name: 'range', metadata: encodeSubscription({topics: ['t']})}]}))
      expect(rejoined).to.include({errorCode: 0, generationId: 5, leader: 'm1'})
      await flush()
    })
  })
})

describe('Group metadata across a broker restart', () => {
  it('brings a Stable group back from __consumer_offsets: members keep their generation and assignment', async () => {
    const h = await BrokerHarness.open({settings: BrokerSettings.from({'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '10'})})
    let restarted: Broker | undefined
    try {
      const joined = await joinNew(h)
      await sync(h, {generationId: 1, memberId: joined.memberId, assignments: [{memberId: joined.memberId, assignment: Buffer.from('mine')}]})
      h.broker.close()
      restarted = new Broker({logs: h.logs, nodeId: 1, clusterId: 'TestClusterIdAAAAAAAAA', advertised: null, autoCreateTopics: true,
        defaultPartitions: 1, settings: BrokerSettings.from({'group.min.session.timeout.ms': '10'}), logger: () => {}})
      await restarted.start()
      const after = Object.assign(Object.create(Object.getPrototypeOf(h)) as BrokerHarness, h, {broker: restarted})
      expect(await describeGroup(after)).to.include({groupState: 'Stable', protocolData: 'range'})
      expect(await heartbeat(after, joined.memberId, 1)).to.equal(0)
      const synced = await sync(after, {generationId: 1, memberId: joined.memberId})
      expect(synced.assignment.toString()).to.equal('mine')
    } finally {
      restarted?.close()
      await h.close()
    }
  })
})

describe('Empty groups without offsets', () => {
  it('are removed by the offset expiry pass, as Kafka cleans them up; groups with offsets stay', async () => {
    const h = await openGroupBroker()
    try {
      const joined = await joinNew(h)
      await sync(h, {generationId: 1, memberId: joined.memberId})
      await h.call(ApiKey.LeaveGroup, 1, {groupId: 'g', memberId: joined.memberId})
      await h.createTopic('t', 1)
      await h.call(ApiKey.OffsetCommit, 2, {groupId: 'kept', generationIdOrMemberEpoch: -1, memberId: '', retentionTimeMs: -1,
        topics: [{name: 't', partitions: [{partitionIndex: 0, committedOffset: 1, committedMetadata: ''}]}]})
      const listed = async () => (await h.call(ApiKey.ListGroups, 4, {statesFilter: []})).groups.map(g => [g.groupId, g.groupState]).sort()
      expect(await listed()).to.deep.equal([['g', 'Empty'], ['kept', 'Empty']])
      const ctx = (h.broker as unknown as {ctx: BrokerContext}).ctx
      await ctx.offsets.expireOffsets()
      expect(await listed()).to.deep.equal([['kept', 'Empty']])
      expect((await describeGroup(h)).groupState).to.equal('Dead')
    } finally {
      await h.close()
    }
  })
})
