import {expect} from 'chai'
import {ErrorCode} from '../../src/protocol/index.js'
import {coordinatorFixture, flush, joinRequest, peek, stableGroup, syncRequest, unavailable, type CoordinatorFixture} from './group-coordinator-fixtures.js'

describe('GroupCoordinator rebalances and timers', () => {
  let f: CoordinatorFixture
  beforeEach(() => { f = coordinatorFixture() })
  afterEach(() => f.coordinator.close())

  const state = () => f.coordinator.snapshot('g')?.state

  describe('the initial rebalance delay', () => {
    beforeEach(() => { f = coordinatorFixture({'group.initial.rebalance.delay.ms': '3000'}) })

    it('holds the first joins for the delay, extended once more for each new joiner', async () => {
      const a = f.coordinator.joinGroup(joinRequest())
      f.clock.advance(2000)
      const b = f.coordinator.joinGroup(joinRequest())
      f.clock.advance(999)
      expect(await peek(a)).to.equal('pending')
      f.clock.advance(1)
      // B arrived during the first delay: a second delay of 3000 ms starts.
      expect(await peek(a)).to.equal('pending')
      f.clock.advance(2999)
      expect(await peek(b)).to.equal('pending')
      f.clock.advance(1)
      const [joinedA, joinedB] = await Promise.all([a, b])
      expect([joinedA.generationId, joinedB.generationId]).to.deep.equal([1, 1])
      expect(joinedA.members).to.have.length(2)
    })

    it('never holds them past the rebalance timeout', async () => {
      const first = f.coordinator.joinGroup(joinRequest({rebalanceTimeoutMs: 7000}))
      for (let t = 0; t < 7000; t += 1000) {
        f.coordinator.joinGroup(joinRequest({rebalanceTimeoutMs: 7000})).catch(() => {})
        f.clock.advance(t < 6000 ? 1000 : 999)
      }
      expect(await peek(first)).to.equal('pending')
      f.clock.advance(1)
      expect(await peek(first)).to.include({errorCode: 0, generationId: 1})
    })
  })

  it('removes a member whose session ends and rebalances the others', async () => {
    const [a, b] = await stableGroup(f, 2, {sessionTimeoutMs: 10_000})
    f.clock.advance(6000)
    expect(f.coordinator.heartbeat('g', a, 1, null)).to.equal(0)
    f.clock.advance(4000)
    expect(state()).to.equal('PreparingRebalance')
    expect(f.coordinator.heartbeat('g', b, 1, null)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(f.coordinator.heartbeat('g', a, 1, null)).to.equal(ErrorCode.REBALANCE_IN_PROGRESS)
    expect(f.lines.some(l => l.includes(`removed member ${b}`) && l.includes('session timed out'))).to.equal(true)
  })

  it('ends the join phase after the rebalance timeout without the members that did not rejoin', async () => {
    const [a, b] = await stableGroup(f, 2)
    const rejoin = f.coordinator.joinGroup(joinRequest({memberId: a, reason: 'metadata changed'}))
    expect(f.lines.at(-1)).to.equal(`preparing to rebalance group g with old generation 1 (the leader ${a} rejoined; client reason: metadata changed)`)
    f.clock.advance(9999)
    expect(await peek(rejoin)).to.equal('pending')
    f.clock.advance(1)
    const joined = await rejoin
    expect(joined).to.include({generationId: 2, leader: a})
    expect(joined.members.map(m => m.memberId)).to.deep.equal([a])
    expect(f.coordinator.heartbeat('g', b, 2, null)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('waits for a member given an id with MEMBER_ID_REQUIRED until its session passes', async () => {
    const [a] = await stableGroup(f, 1)
    const pending = await f.coordinator.joinGroup(joinRequest({requireKnownMemberId: true, sessionTimeoutMs: 5000}))
    expect(pending.errorCode).to.equal(ErrorCode.MEMBER_ID_REQUIRED)
    const rejoin = f.coordinator.joinGroup(joinRequest({memberId: a}))
    f.clock.advance(4999)
    expect(await peek(rejoin)).to.equal('pending')
    f.clock.advance(1)
    expect(await peek(rejoin)).to.include({generationId: 2})
    expect((await f.coordinator.joinGroup(joinRequest({memberId: pending.memberId}))).errorCode).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('removes members that send no SyncGroup within the rebalance timeout', async () => {
    const joins = [f.coordinator.joinGroup(joinRequest()), f.coordinator.joinGroup(joinRequest())]
    f.clock.advance(0)
    const [x, y] = await Promise.all(joins)
    const leader = x.members.length > 0 ? x : y
    const follower = leader === x ? y : x
    await f.coordinator.syncGroup(syncRequest({memberId: leader.memberId, generationId: 1}))
    expect(state()).to.equal('Stable')
    f.clock.advance(10_000)
    expect(state()).to.equal('PreparingRebalance')
    expect(f.coordinator.heartbeat('g', follower.memberId, 1, null)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('holds followers\' SyncGroups until the leader\'s assignment is written, and answers them with its error when the write fails', async () => {
    const joins = [f.coordinator.joinGroup(joinRequest()), f.coordinator.joinGroup(joinRequest())]
    f.clock.advance(0)
    const [x, y] = await Promise.all(joins)
    const [leader, follower] = x.members.length > 0 ? [x, y] : [y, x]
    const held = f.coordinator.syncGroup(syncRequest({memberId: follower.memberId, generationId: 1}))
    expect(await peek(held)).to.equal('pending')
    f.store.failNext = unavailable()
    const leaderSync = await f.coordinator.syncGroup(syncRequest({memberId: leader.memberId, generationId: 1,
      assignments: [{memberId: follower.memberId, assignment: Buffer.from('p1')}]}))
    expect(leaderSync.errorCode).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect((await held).errorCode).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(state()).to.equal('PreparingRebalance')
  })

  it('writes the generation with the leader\'s assignments, and the group when it becomes Empty', async () => {
    const [a] = await stableGroup(f, 1)
    const record = f.store.last()!
    expect(record).to.deep.include({protocolType: 'consumer', generation: 1, protocol: 'range', leader: a})
    expect(record.members[0]).to.deep.include({memberId: a, clientId: 'client', clientHost: '/127.0.0.1', sessionTimeout: 30_000,
      rebalanceTimeout: 10_000, groupInstanceId: null})
    expect(record.members[0].assignment.toString()).to.equal(a)
    f.coordinator.leaveGroup('g', [{memberId: a, groupInstanceId: null}])
    await flush()
    expect(state()).to.equal('Empty')
    expect(f.store.last()).to.deep.include({generation: 2, protocol: null, leader: null, members: []})
  })

  it('answers held requests when closed and leaves no timer behind', async () => {
    const [a] = await stableGroup(f, 1)
    const newcomer = f.coordinator.joinGroup(joinRequest())
    f.coordinator.close()
    expect((await newcomer).errorCode).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(f.clock.pending).to.equal(0)
    expect(f.coordinator.heartbeat('g', a, 1, null)).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(f.coordinator.offsetCommitError('g', a, 1, null)).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
  })
})
