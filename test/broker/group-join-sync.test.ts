import {expect} from 'chai'
import {ApiKey, ErrorCode, decodeSubscription, encodeAssignment} from '../../src/protocol/index.js'
import type {BrokerHarness} from './broker-harness.js'
import {consumerProtocols, describeGroup, eventually, heartbeat, join, joinNew, openGroupBroker, settled, sync} from './group-harness.js'

describe('JoinGroup, SyncGroup and Heartbeat handlers', () => {
  let h: BrokerHarness
  beforeEach(async () => { h = await openGroupBroker() })
  afterEach(() => h.close())

  const assignment = (partitions: number[]) => encodeAssignment({assignedPartitions: [{topic: 'events', partitions}]})

  it('hands out a member id with MEMBER_ID_REQUIRED from v4, then forms generation 1 with the joiner as leader', async () => {
    const first = await join(h)
    expect(first.errorCode).to.equal(ErrorCode.MEMBER_ID_REQUIRED)
    expect(first.memberId).to.match(/^broker-test-[0-9a-f-]{36}$/)
    const joined = await join(h, {memberId: first.memberId})
    expect(joined).to.include({errorCode: 0, generationId: 1, protocolName: 'range', leader: first.memberId, memberId: first.memberId})
    expect(joined.members.map(m => m.memberId)).to.deep.equal([first.memberId])
    expect(decodeSubscription(joined.members[0].metadata).value.topics).to.deep.equal(['events'])
    const synced = await sync(h, {generationId: 1, memberId: first.memberId, assignments: [{memberId: first.memberId, assignment: assignment([0])}]})
    expect(synced.errorCode).to.equal(0)
    expect(synced.assignment.equals(assignment([0]))).to.equal(true)
    expect(await heartbeat(h, first.memberId, 1)).to.equal(0)
    const described = await describeGroup(h)
    expect(described).to.include({errorCode: 0, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range'})
    expect(described.members[0]).to.include({memberId: first.memberId, clientId: 'broker-test', clientHost: '/127.0.0.1'})
    expect(described.members[0].memberAssignment.equals(assignment([0]))).to.equal(true)
  })

  it('assigns the member id at once before v4, and v0 joins without a rebalance timeout', async () => {
    const v3 = await join(h, {}, 3)
    expect(v3).to.include({errorCode: 0, generationId: 1})
    expect(v3.memberId).to.match(/^broker-test-/)
    const v0 = await join(h, {groupId: 'old'}, 0)
    expect(v0).to.include({errorCode: 0, generationId: 1, protocolName: 'range'})
  })

  it('holds a new member until the others rejoin, then gives the leader every member and each its own assignment', async () => {
    const a = await joinNew(h)
    await sync(h, {generationId: 1, memberId: a.memberId, assignments: [{memberId: a.memberId, assignment: assignment([0, 1])}]})
    const bFirst = await join(h)
    const bJoin = join(h, {memberId: bFirst.memberId})
    await eventually(async () => (await describeGroup(h)).groupState === 'PreparingRebalance', 'a rebalance')
    expect(await settled(bJoin)).to.equal(false)
    expect(await heartbeat(h, a.memberId, 1)).to.equal(ErrorCode.REBALANCE_IN_PROGRESS)
    expect((await sync(h, {generationId: 1, memberId: a.memberId})).errorCode).to.equal(ErrorCode.REBALANCE_IN_PROGRESS)

    const aJoin = await join(h, {memberId: a.memberId})
    const b = await bJoin
    expect(aJoin).to.include({generationId: 2, leader: a.memberId})
    expect(aJoin.members.map(m => m.memberId).sort()).to.deep.equal([a.memberId, b.memberId].sort())
    expect(b).to.include({generationId: 2, leader: a.memberId, memberId: bFirst.memberId})
    expect(b.members).to.deep.equal([])

    const bSync = sync(h, {generationId: 2, memberId: b.memberId})
    expect(await settled(bSync)).to.equal(false)
    expect(await heartbeat(h, b.memberId, 2)).to.equal(0)
    const aSync = await sync(h, {generationId: 2, memberId: a.memberId, assignments: [
      {memberId: a.memberId, assignment: assignment([0])}, {memberId: b.memberId, assignment: assignment([1])}]})
    expect(aSync.assignment.equals(assignment([0]))).to.equal(true)
    expect((await bSync).assignment.equals(assignment([1]))).to.equal(true)
    expect((await describeGroup(h)).groupState).to.equal('Stable')
  })

  it('answers a follower that rejoins with unchanged metadata with the current generation, without a rebalance', async () => {
    const a = await joinNew(h)
    await sync(h, {generationId: 1, memberId: a.memberId, assignments: []})
    const again = await join(h, {memberId: a.memberId})
    // The leader's join always starts a rebalance; it is alone, so that completes at once.
    expect(again).to.include({errorCode: 0, generationId: 2})
    await sync(h, {generationId: 2, memberId: a.memberId, assignments: []})
    const b = await joinNewAlongside(h, a.memberId)
    const bAgain = await join(h, {memberId: b})
    expect(bAgain).to.include({errorCode: 0, generationId: 3, leader: a.memberId})
    expect((await describeGroup(h)).groupState).to.equal('Stable')
  })

  it('serves the versions Java sends: JoinGroup v9, SyncGroup v5, Heartbeat v4, LeaveGroup v5', async () => {
    const first = await join(h, {}, 9)
    expect(first).to.include({errorCode: ErrorCode.MEMBER_ID_REQUIRED, protocolType: null, protocolName: null, generationId: -1})
    const joined = await join(h, {memberId: first.memberId}, 9)
    expect(joined).to.include({errorCode: 0, protocolType: 'consumer', protocolName: 'range', skipAssignment: false, leader: first.memberId})
    const synced = await sync(h, {generationId: 1, memberId: joined.memberId, protocolType: 'consumer', protocolName: 'range',
      assignments: [{memberId: joined.memberId, assignment: assignment([0])}]}, 5)
    expect(synced).to.include({errorCode: 0, protocolType: 'consumer', protocolName: 'range'})
    expect(await heartbeat(h, joined.memberId, 1, {}, 4)).to.equal(0)
    const left = await h.call(ApiKey.LeaveGroup, 5, {groupId: 'g', members: [{memberId: joined.memberId, groupInstanceId: null, reason: 'closing'}]})
    expect(left.members).to.deep.equal([{memberId: joined.memberId, groupInstanceId: null, errorCode: 0}])
  })

  it('refuses bad joins with Kafka\'s errors', async () => {
    expect((await join(h, {groupId: ''})).errorCode).to.equal(ErrorCode.INVALID_GROUP_ID)
    expect((await join(h, {sessionTimeoutMs: 5})).errorCode).to.equal(ErrorCode.INVALID_SESSION_TIMEOUT)
    expect((await join(h, {sessionTimeoutMs: 1_800_001})).errorCode).to.equal(ErrorCode.INVALID_SESSION_TIMEOUT)
    expect((await join(h, {groupId: 'nobody', memberId: 'stale-1'})).errorCode).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    expect((await join(h, {protocolType: ''})).errorCode).to.equal(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    const a = await joinNew(h)
    await sync(h, {generationId: 1, memberId: a.memberId, assignments: []})
    expect((await join(h, {protocolType: 'connect'})).errorCode).to.equal(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    expect((await join(h, {protocols: consumerProtocols(['events'], ['roundrobin'])})).errorCode).to.equal(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    expect((await join(h, {memberId: 'not-a-member'})).errorCode).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('refuses bad syncs and heartbeats', async () => {
    const a = await joinNew(h)
    expect((await sync(h, {generationId: 7, memberId: a.memberId})).errorCode).to.equal(ErrorCode.ILLEGAL_GENERATION)
    expect((await sync(h, {generationId: 1, memberId: 'who'})).errorCode).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    expect((await sync(h, {groupId: 'nobody', generationId: 1, memberId: a.memberId})).errorCode).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    expect((await sync(h, {generationId: 1, memberId: a.memberId, protocolType: 'consumer', protocolName: 'roundrobin'}, 5)).errorCode)
      .to.equal(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    expect((await sync(h, {generationId: 1, memberId: a.memberId, protocolType: 'connect', protocolName: 'range'}, 5)).errorCode)
      .to.equal(ErrorCode.INCONSISTENT_GROUP_PROTOCOL)
    const v5 = await sync(h, {generationId: 1, memberId: a.memberId, protocolType: 'consumer', protocolName: 'range', assignments: []}, 5)
    expect(v5).to.include({errorCode: 0, protocolType: 'consumer', protocolName: 'range'})
    expect(await heartbeat(h, a.memberId, 0)).to.equal(ErrorCode.ILLEGAL_GENERATION)
    expect(await heartbeat(h, 'who', 1)).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
    expect(await heartbeat(h, a.memberId, 1, {groupId: ''})).to.equal(ErrorCode.INVALID_GROUP_ID)
    expect(await heartbeat(h, a.memberId, 1, {groupId: 'nobody'})).to.equal(ErrorCode.UNKNOWN_MEMBER_ID)
  })

  it('chooses the protocol every member offers that most members prefer', async () => {
    const offers = [['range', 'roundrobin'], ['roundrobin', 'range'], ['roundrobin', 'range', 'sticky']]
    const firsts = await Promise.all(offers.map(() => join(h, {groupId: 'vote'})))
    const joins = await Promise.all(offers.map((assignors, i) =>
      join(h, {groupId: 'vote', memberId: firsts[i].memberId, protocols: consumerProtocols(['events'], assignors)})))
    expect(joins.map(j => j.protocolName)).to.deep.equal(['roundrobin', 'roundrobin', 'roundrobin'])
    const leader = joins.find(j => j.members.length > 0)!
    expect(leader.members).to.have.length(3)
  })

  it('answers GROUP_MAX_SIZE_REACHED beyond group.max.size', async () => {
    await h.close()
    h = await openGroupBroker({'group.max.size': '1'})
    const a = await joinNew(h)
    expect(a.errorCode).to.equal(0)
    const b = await joinNew(h)
    expect(b).to.include({errorCode: ErrorCode.GROUP_MAX_SIZE_REACHED, memberId: ''})
  })

  it('answers held joins and syncs with COORDINATOR_NOT_AVAILABLE when the broker closes, and everything after', async () => {
    const a = await joinNew(h)
    await sync(h, {generationId: 1, memberId: a.memberId, assignments: []})
    const b = await join(h)
    const held = join(h, {memberId: b.memberId})
    await eventually(async () => (await describeGroup(h)).groupState === 'PreparingRebalance', 'a rebalance')
    h.broker.close()
    expect((await held).errorCode).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect(await heartbeat(h, a.memberId, 1)).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    expect((await join(h)).errorCode).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
    const found = await h.call(ApiKey.FindCoordinator, 2, {key: 'g', keyType: 0})
    expect(found.errorCode).to.equal(ErrorCode.COORDINATOR_NOT_AVAILABLE)
  })
})

/** Adds a second member next to the Stable group's only member `leaderId`; returns its member id once Stable again. */
async function joinNewAlongside(h: BrokerHarness, leaderId: string): Promise<string> {
  const first = await join(h)
  const joining = join(h, {memberId: first.memberId})
  const leader = await join(h, {memberId: leaderId})
  const joined = await joining
  await Promise.all([
    sync(h, {generationId: leader.generationId, memberId: leaderId, assignments: []}),
    sync(h, {generationId: joined.generationId, memberId: joined.memberId}),
  ])
  return joined.memberId
}
