import {expect} from 'chai'
import {Broker} from '../../src/broker/broker.js'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {encodeSubscription, ErrorCode, type GroupMetadataValue} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'
import {describeGroup, heartbeat, joinNew, sync} from './group-harness.js'
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
