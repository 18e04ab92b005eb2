import {expect} from 'chai'
import {ApiKey, ErrorCode, decodeSubscription} from '../../src/protocol/index.js'
import type {GroupConsumer, GroupConsumerOptions, GroupEvent} from '../../src/client/group-consumer.js'
import {append} from './consumer-fixtures.js'
import {fakeGroups} from './fake-group-admin-apis.js'
import {fakeSession} from './fake-session.js'
import {groupReader, type GroupReader} from './group-reader.js'
import {waitFor} from './wait-for.js'

describe('group consumer', () => {
  const session = fakeSession('group-test')
  const members: GroupConsumer[] = []
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.close()))
  })

  /** A member that reads in the background, collecting values and events. */
  function member(options: Partial<GroupConsumerOptions> = {}): GroupReader {
    const reader = groupReader(session.client, options)
    members.push(reader.consumer)
    return reader
  }

  const partitionsOf = (consumer: GroupConsumer): number[] => consumer.assignment().flatMap((tp) => tp.partitions)

  it('joins as a consumer-protocol member offering range then cooperative-sticky, and reads every partition', async () => {
    await session.start()
    session.fake.createTopic('t', 3)
    for (let p = 0; p < 3; p++) await append(session.fake, 't', p, [`a${p}`])
    const one = member()
    await waitFor(() => one.seen.length === 3, 'three records')
    expect(partitionsOf(one.consumer)).to.deep.equal([0, 1, 2])
    const join = session.fake.requestsOf(ApiKey.JoinGroup).at(-1)!.body
    expect(join.protocolType).to.equal('consumer')
    expect(join.protocols.map((p) => p.name)).to.deep.equal(['range', 'cooperative-sticky'])
    const subscription = decodeSubscription(join.protocols[1]!.metadata)
    expect(subscription.version).to.equal(3)
    expect(subscription.value.topics).to.deep.equal(['t'])
    // the first JoinGroup (v4+) came without a member id and was answered MEMBER_ID_REQUIRED
    expect(session.fake.requestsOf(ApiKey.JoinGroup)[0]!.body.memberId).to.equal('')
    expect(one.events.some((e) => e.kind === 'joined' && e.generation.leader)).to.equal(true)
  })

  it('starts at committed offsets, and at the reset policy where the group has none', async () => {
    await session.start()
    session.fake.createTopic('t', 2)
    await append(session.fake, 't', 0, ['x0', 'x1', 'x2'])
    await append(session.fake, 't', 1, ['y0', 'y1'])
    fakeGroups(session.fake).commit('g', 't', 0, 2)
    const one = member({offsetReset: 'latest'})
    await waitFor(() => one.seen.includes('0:x2'), 'the record after the commit')
    await append(session.fake, 't', 1, ['y2'])
    await waitFor(() => one.seen.includes('1:y2'), 'a new record on the partition without a commit')
    expect(one.seen).to.deep.equal(['0:x2', '1:y2'])
  })

  it('commits what was processed on commit() and on close', async () => {
    await session.start()
    session.fake.createTopic('t', 1)
    await append(session.fake, 't', 0, ['a', 'b', 'c'])
    const one = member()
    await waitFor(() => one.seen.length === 3, 'three records')
    await one.consumer.commit()
    expect(fakeGroups(session.fake).groups.get('g')!.offsets.get('t')!.get(0)!.offset).to.equal(3)
    await append(session.fake, 't', 0, ['d'])
    await waitFor(() => one.seen.length === 4, 'the fourth record')
    await one.consumer.close()
    expect(fakeGroups(session.fake).groups.get('g')!.offsets.get('t')!.get(0)!.offset).to.equal(4)
    const commit = session.fake.requestsOf(ApiKey.OffsetCommit).at(-1)!.body
    expect(commit.generationIdOrMemberEpoch).to.be.greaterThan(0)
    expect(commit.memberId).to.match(/^group-test-/)
    // and it left the group
    expect(session.fake.requestsOf(ApiKey.LeaveGroup)).to.have.length(1)
  })

  it('splits partitions with a second member (range) and takes them all back when it leaves', async () => {
    await session.start()
    session.fake.createTopic('t', 4)
    const first = member()
    await waitFor(() => partitionsOf(first.consumer).length === 4, 'first member owning every partition')
    for (let p = 0; p < 4; p++) await append(session.fake, 't', p, [`before${p}`])
    await waitFor(() => first.seen.length === 4, 'records before the second member')
    const second = member()
    await waitFor(() => partitionsOf(first.consumer).length === 2 && partitionsOf(second.consumer).length === 2, 'two partitions each')
    // the first member committed before giving its partitions up, so the second does not read them again
    for (let p = 0; p < 4; p++) await append(session.fake, 't', p, [`after${p}`])
    await waitFor(() => first.seen.length + second.seen.length === 8, 'every record once')
    expect(second.seen.every((value) => value.includes('after'))).to.equal(true)
    await second.consumer.close()
    await waitFor(() => partitionsOf(first.consumer).length === 4, 'first member owning every partition again')
  })

  it('revokes only the partitions that move with cooperative-sticky, handing them over in the next generation', async () => {
    await session.start()
    session.fake.createTopic('t', 4)
    const options = {assignors: ['cooperative-sticky']}
    const first = member(options)
    await waitFor(() => partitionsOf(first.consumer).length === 4, 'first member owning every partition')
    const second = member(options)
    await waitFor(() => partitionsOf(first.consumer).length === 2 && partitionsOf(second.consumer).length === 2, 'two partitions each')
    const revoked = first.events.filter((e) => e.kind === 'revoked')
    expect(revoked).to.have.length(1)
    expect(revoked[0]).to.include({lost: false})
    const moved = (revoked[0] as Extract<GroupEvent, {kind: 'revoked'}>).partitions.flatMap((tp) => tp.partitions)
    expect(moved).to.have.length(2)
    expect(partitionsOf(second.consumer).sort()).to.deep.equal(moved.sort())
  })

  it('moves a killed member\'s partitions to the others once its session expires', async () => {
    await session.start()
    session.fake.createTopic('t', 2)
    const first = member()
    const second = member({sessionTimeoutMs: 300})
    await waitFor(() => partitionsOf(first.consumer).length === 1 && partitionsOf(second.consumer).length === 1, 'one partition each')
    // the second member goes silent: its heartbeats are dropped and never answered
    const secondId = fakeGroups(session.fake).groups.get('g')!.members.find((m) => !first.events.some((e) => e.kind === 'joined' && e.generation.memberId === m.memberId))!.memberId
    session.fake.intercept(ApiKey.Heartbeat, (request, _context, next) => (request.memberId === secondId ? 'no-response' : next()))
    await waitFor(() => partitionsOf(first.consumer).length === 2, 'the first member taking both partitions', 10_000)
  })

  it('reports a fatal group error to the reader', async () => {
    await session.start()
    session.fake.createTopic('t', 1)
    session.fake.intercept(ApiKey.JoinGroup, (request) => ({throttleTimeMs: 0, errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, generationId: -1,
      protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: request.memberId, members: []}))
    const one = member()
    await one.reading
    expect(one.failure()?.message).to.match(/INCONSISTENT_GROUP_PROTOCOL/)
  })

  it('refuses an unknown assignor by name', async () => {
    await session.start()
    expect(() => session.client.groupConsumer({groupId: 'g', topics: ['t'], offsetReset: 'latest', assignors: ['roundrobin']}))
      .to.throw(/unknown partition assignment strategy 'roundrobin'/)
  })
})
