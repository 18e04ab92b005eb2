// The group consumer's rebalance rules against the fake cluster's coordinator: the rebalance protocol
// comes from the member's own assignors, a generation reset mid-join drops what the member held, a
// member reading nothing still commits where it started, and an unreachable coordinator ends the
// member (and its close) promptly.
import {expect} from 'chai'
import {ApiKey, ErrorCode, decodeSubscription, type RequestTypes} from '../../src/protocol/index.js'
import {KafkaClient} from '../../src/client/index.js'
import type {GroupConsumer, GroupConsumerOptions, GroupEvent} from '../../src/client/group-consumer.js'
import {append} from './consumer-fixtures.js'
import {fakeGroups} from './fake-group-admin-apis.js'
import {fakeSession} from './fake-session.js'
import {groupReader, type GroupReader} from './group-reader.js'
import {waitFor} from './wait-for.js'

describe('group consumer rebalances', () => {
  const session = fakeSession('rebalance-test')
  const members: GroupConsumer[] = []
  const clients: KafkaClient[] = []
  afterEach(async () => {
    await Promise.all(members.splice(0).map((m) => m.close()))
    await Promise.all(clients.splice(0).map((c) => c.close()))
  })

  /** A member reading in the background; it reports nothing processed (its commits are its start positions). */
  function member(options: Partial<GroupConsumerOptions> = {}, client = session.client): GroupReader {
    const reader = groupReader(client, options, false)
    members.push(reader.consumer)
    return reader
  }

  const partitionsOf = (consumer: GroupConsumer): number[] => consumer.assignment().flatMap((tp) => tp.partitions)
  const ownedIn = (join: RequestTypes[11], protocol: string): number[] =>
    decodeSubscription(join.protocols.find((p) => p.name === protocol)!.metadata).value.ownedPartitions.flatMap((tp) => tp.partitions)
  const joinsOf = (memberId: string) => session.fake.requestsOf(ApiKey.JoinGroup).filter((r) => r.body.memberId === memberId)

  it('accepts cooperative-sticky,range (Kafka\'s upgrade step) and runs it eager: everything is given up before a rejoin', async () => {
    await session.start()
    session.fake.createTopic('t', 4)
    const first = member({assignors: ['cooperative-sticky', 'range']})
    await waitFor(() => partitionsOf(first.consumer).length === 4, 'first member owning every partition')
    const firstId = first.memberId()
    const second = member({assignors: ['cooperative-sticky', 'range']})
    await waitFor(() => partitionsOf(first.consumer).length === 2 && partitionsOf(second.consumer).length === 2, 'two partitions each')
    const revoked = first.events.filter((e) => e.kind === 'revoked') as Extract<GroupEvent, {kind: 'revoked'}>[]
    expect(revoked[0]!.partitions.flatMap((tp) => tp.partitions)).to.deep.equal([0, 1, 2, 3])
    for (const join of joinsOf(firstId)) expect(ownedIn(join.body, 'cooperative-sticky')).to.deep.equal([])
  })

  it('stays eager with range, cooperative-sticky even when the group picks cooperative-sticky', async () => {
    await session.start()
    session.fake.createTopic('t', 4)
    const eager = member()
    await waitFor(() => partitionsOf(eager.consumer).length === 4, 'the first member owning every partition')
    const cooperative = member({assignors: ['cooperative-sticky']})
    await waitFor(() => partitionsOf(cooperative.consumer).length === 2 && partitionsOf(eager.consumer).length === 2, 'two partitions each')
    expect(fakeGroups(session.fake).groups.get('g')!.protocol).to.equal('cooperative-sticky')
    const eagerId = eager.memberId()
    const joinsBefore = joinsOf(eagerId).length
    const third = member()
    await waitFor(() => partitionsOf(third.consumer).length > 0 && joinsOf(eagerId).length > joinsBefore, 'the third member getting partitions')
    // the eager member rejoined owning nothing, having given up all it held, so no partition had two owners
    for (const join of joinsOf(eagerId).slice(joinsBefore)) expect(ownedIn(join.body, 'cooperative-sticky')).to.deep.equal([])
    const lastRevoke = eager.events.filter((e) => e.kind === 'revoked').at(-1) as Extract<GroupEvent, {kind: 'revoked'}>
    expect(lastRevoke.partitions.flatMap((tp) => tp.partitions)).to.have.length(2)
  })

  it('drops its partitions as lost, without a commit, when a rejoin answers UNKNOWN_MEMBER_ID, and rejoins owning nothing', async () => {
    await session.start()
    session.fake.createTopic('t', 4)
    const first = member({assignors: ['cooperative-sticky']})
    await waitFor(() => partitionsOf(first.consumer).length === 4, 'first member owning every partition')
    const firstId = first.memberId()
    let refusedAt = -1
    session.fake.intercept(ApiKey.JoinGroup, (request, _context, next) => {
      if (request.memberId !== firstId || refusedAt >= 0) return next()
      refusedAt = session.fake.requestsOf(ApiKey.JoinGroup).length
      return {throttleTimeMs: 0, errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolType: null, protocolName: null, leader: '',
        skipAssignment: false, memberId: request.memberId, members: []}
    })
    const commitsBefore = session.fake.requestsOf(ApiKey.OffsetCommit).length
    const second = member({assignors: ['cooperative-sticky']})
    await waitFor(() => partitionsOf(first.consumer).length === 2 && partitionsOf(second.consumer).length === 2, 'two partitions each')
    expect(first.events).to.deep.include({kind: 'revoked', partitions: [{topic: 't', partitions: [0, 1, 2, 3]}], lost: true})
    const later = session.fake.requestsOf(ApiKey.JoinGroup).slice(refusedAt)
    for (const join of later) expect(ownedIn(join.body, 'cooperative-sticky')).to.have.length.below(4)
    // nothing was committed for the lost partitions by the member whose id was gone
    const lostCommits = session.fake.requestsOf(ApiKey.OffsetCommit).slice(commitsBefore).filter((r) => r.body.memberId === firstId)
    expect(lostCommits).to.deep.equal([])
  })

  it('commits where a member that read nothing started, so the next member reads what came after', async () => {
    await session.start()
    session.fake.createTopic('t', 2)
    await append(session.fake, 't', 0, ['a0', 'a1'])
    const quiet = member({offsetReset: 'latest'})
    await waitFor(() => partitionsOf(quiet.consumer).length === 2, 'both partitions')
    await quiet.consumer.close()
    const offsets = fakeGroups(session.fake).groups.get('g')!.offsets.get('t')!
    expect([offsets.get(0)?.offset, offsets.get(1)?.offset]).to.deep.equal([2, 0])
  })

  it('fails with one clear error once the coordinator has not answered for the session timeout, and closes without commit or leave', async () => {
    await session.start()
    session.fake.createTopic('t', 1)
    const one = member({sessionTimeoutMs: 1000, heartbeatIntervalMs: 50})
    await waitFor(() => partitionsOf(one.consumer).length === 1, 'the partition')
    session.fake.intercept(ApiKey.Heartbeat, () => 'no-response')
    await waitFor(() => one.failure() !== null, 'the member failing', 15_000)
    expect(one.failure()!.message).to.match(/coordinator of group g has not answered for longer than session\.timeout\.ms \(1000 ms\)/)
    await one.consumer.close()
    expect(session.fake.requestsOf(ApiKey.LeaveGroup)).to.deep.equal([])
  })

  it('does not send LeaveGroup on close after the commit could not reach the coordinator', async () => {
    await session.start()
    session.fake.createTopic('t', 1)
    const client = await KafkaClient.connect({...session.fake.clientOptions, clientId: 'close-test', requestTimeoutMs: 1500})
    clients.push(client)
    const one = member({}, client)
    await waitFor(() => partitionsOf(one.consumer).length === 1 && one.consumer.atEnd(), 'the partition, settled')
    await append(session.fake, 't', 0, ['x'])
    await waitFor(() => one.consumer.position('t', 0) === 1, 'the record')
    one.consumer.processedUpTo('t', 0, 1)
    session.fake.intercept(ApiKey.OffsetCommit, () => 'no-response')
    await one.consumer.close()
    expect(one.events.some((e) => e.kind === 'commit-failed')).to.equal(true)
    expect(session.fake.requestsOf(ApiKey.LeaveGroup)).to.deep.equal([])
  })

  it('refuses a heartbeat interval that is not below the session timeout', async () => {
    await session.start()
    expect(() => session.client.groupConsumer({groupId: 'g', topics: ['t'], offsetReset: 'latest', sessionTimeoutMs: 3000, heartbeatIntervalMs: 3000}))
      .to.throw(/heartbeat interval \(3000 ms\) must be lower than the session timeout \(3000 ms\)/)
  })
})
