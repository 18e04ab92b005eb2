import {expect} from 'chai'
import {ErrorCode} from '../../src/protocol/index.js'
import {consumerProtocols} from './group-harness.js'
import {coordinatorFixture, joinRequest, peek, stableGroup, syncRequest, unavailable, type CoordinatorFixture} from './group-coordinator-fixtures.js'

describe('GroupCoordinator static membership', () => {
  let f: CoordinatorFixture
  beforeEach(() => { f = coordinatorFixture() })
  afterEach(() => f.coordinator.close())

  const state = () => f.coordinator.snapshot('g')?.state
  const rejoin = (instance: string, fields = {}) => f.coordinator.joinGroup(joinRequest({groupInstanceId: instance, ...fields}))

  it('names a static member after its instance id and assigns it at once, without MEMBER_ID_REQUIRED', async () => {
    const joined = f.coordinator.joinGroup(joinRequest({groupInstanceId: 'i1', requireKnownMemberId: true}))
    f.clock.advance(0)
    expect(await joined).to.include({errorCode: 0, generationId: 1})
    expect((await joined).memberId).to.match(/^i1-[0-9a-f-]{36}$/)
  })

  it('takes over a Stable member without a rebalance: the old id is fenced, the assignment kept, the record rewritten', async () => {
    const [leader, follower] = await stableGroup(f, 2, {}, [null, 'i2'])
    const again = await rejoin('i2')
    expect(again).to.include({errorCode: 0, generationId: 1, leader, skipAssignment: false})
    expect(again.memberId).to.not.equal(follower)
    expect(again.members).to.deep.equal([])
    expect(state()).to.equal('Stable')
    expect(f.coordinator.heartbeat('g', follower, 1, 'i2')).to.equal(ErrorCode.FENCED_INSTANCE_ID)
    expect(f.coordinator.offsetCommitError('g', follower, 1, 'i2')).to.equal(ErrorCode.FENCED_INSTANCE_ID)
    expect(f.coordinator.heartbeat('g', again.memberId, 1, 'i2')).to.equal(0)
    const synced = await f.coordinator.syncGroup(syncRequest({memberId: again.memberId, generationId: 1, groupInstanceId: 'i2'}))
    expect(synced.assignment.toString()).to.equal(follower)
    expect(f.store.last()!.members.map(m => m.memberId).sort()).to.deep.equal([leader, again.memberId].sort())
  })

  it('tells a static leader that took over the old leader id before v9, and that it leads but skips the assignment from v9', async () => {
    const [leader] = await stableGroup(f, 2, {}, ['lead', null])
    const old = await rejoin('lead')
    expect(old).to.include({leader, skipAssignment: false})
    expect(old.members).to.deep.equal([])
    const v9 = await rejoin('lead', {supportSkippingAssignment: true})
    expect(v9).to.include({leader: v9.memberId, skipAssignment: true, generationId: 1})
    expect(v9.members).to.have.length(2)
    expect(state()).to.equal('Stable')
  })

  it('rebalances when the new protocols change the group\'s choice', async () => {
    await stableGroup(f, 1, {protocols: consumerProtocols(['events'], ['range', 'sticky'])}, ['s'])
    const changed = await rejoin('s', {protocols: consumerProtocols(['events'], ['sticky', 'range'])})
    // Alone in the group, its join completes the rebalance at once.
    expect(changed).to.include({errorCode: 0, generationId: 2, protocolName: 'sticky'})
    expect(state()).to.equal('CompletingRebalance')
  })

  it('goes back to the old member id when the record cannot be written', async () => {
    const [, follower] = await stableGroup(f, 2, {}, [null, 'i2'])
    f.store.failNext = unavailable()
    const failed = await rejoin('i2')
    expect(failed).to.include({errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId: ''})
    expect(f.coordinator.heartbeat('g', follower, 1, 'i2')).to.equal(0)
  })

  it('fences the old id\'s held SyncGroup and rebalances when it takes over during CompletingRebalance', async () => {
    const joins = [rejoin('a'), rejoin('b')]
    f.clock.advance(0)
    const [x, y] = await Promise.all(joins)
    const follower = x.members.length > 0 ? y : x
    const held = f.coordinator.syncGroup(syncRequest({memberId: follower.memberId, generationId: 1}))
    const instance = follower === x ? 'a' : 'b'
    const again = rejoin(instance)
    expect((await held).errorCode).to.equal(ErrorCode.FENCED_INSTANCE_ID)
    expect(state()).to.equal('PreparingRebalance')
    expect(await peek(again)).to.equal('pending')
  })

  it('keeps a static member that did not rejoin in the next generation, and removes it when its session ends', async () => {
    const [leader, member] = await stableGroup(f, 2, {sessionTimeoutMs: 20_000}, [null, 's'])
    const leaderJoin = f.coordinator.joinGroup(joinRequest({memberId: leader, sessionTimeoutMs: 20_000}))
    f.clock.advance(10_000)
    const joined = await leaderJoin
    expect(joined.generationId).to.equal(2)
    expect(joined.members.map(m => m.memberId).sort()).to.deep.equal([leader, member].sort())
    f.clock.advance(10_000)
    expect(f.coordinator.heartbeat('g', member, 2, 's')).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('lets an admin remove a static member by instance id', async () => {
    const [leader, member] = await stableGroup(f, 2, {}, [null, 's'])
    const left = f.coordinator.leaveGroup('g', [{memberId: '', groupInstanceId: 's'}, {memberId: '', groupInstanceId: 'none'},
      {memberId: 'old', groupInstanceId: 'NOPE'}])
    expect(left.members.map(m => m.errorCode)).to.deep.equal([0, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.UNKNOWN_MEMBER_ID])
    expect(f.coordinator.heartbeat('g', member, 1, 's')).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(f.coordinator.heartbeat('g', leader, 1, null)).to.equal(ErrorCode.REBALANCE_IN_PROGRESS)
  })

  it('answers FENCED_INSTANCE_ID to a LeaveGroup or JoinGroup from a replaced member id', async () => {
    const [, follower] = await stableGroup(f, 2, {}, [null, 'i2'])
    await rejoin('i2')
    expect(f.coordinator.leaveGroup('g', [{memberId: follower, groupInstanceId: 'i2'}]).members[0].errorCode).to.equal(ErrorCode.FENCED_INSTANCE_ID)
    expect((await rejoin('i2', {memberId: follower})).errorCode).to.equal(ErrorCode.FENCED_INSTANCE_ID)
  })
})
