import {expect} from 'chai'
import {CooperativeStickyAssignor, type MemberSubscription, type TopicPartitions} from '../../src/client/assignors/index.js'

const assignor = new CooperativeStickyAssignor()

function member(memberId: string, topics: string[], owned: string[] = [], generationId = -1): MemberSubscription {
  return {memberId, groupInstanceId: null, topics, ownedPartitions: parse(owned), generationId}
}

/** 't-3' strings to TopicPartitions. */
function parse(names: string[]): TopicPartitions[] {
  const byTopic = new Map<string, number[]>()
  for (const name of names) {
    const at = name.lastIndexOf('-')
    const topic = name.slice(0, at)
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), Number(name.slice(at + 1))])
  }
  return [...byTopic].map(([topic, partitions]) => ({topic, partitions}))
}

function names(topics: TopicPartitions[]): string[] {
  return topics.flatMap(({topic, partitions}) => partitions.map((p) => `${topic}-${p}`))
}

function plain(result: Map<string, TopicPartitions[]>): Record<string, string[]> {
  return Object.fromEntries([...result].map(([memberId, topics]) => [memberId, names(topics)]))
}

/** Runs rebalances as members would: each rejoins owning what it was given, until nothing changes. */
function settle(members: MemberSubscription[], counts: Map<string, number>, generation: number): {rounds: number; result: Map<string, TopicPartitions[]>} {
  let current = members
  for (let round = 1; round <= 5; round++) {
    const result = assignor.assign(current, counts)
    assertNoDirectMoves(current, result)
    const next = current.map((m) => ({...m, ownedPartitions: result.get(m.memberId)!, generationId: generation + round}))
    const unchanged = current.every((m) => names(m.ownedPartitions).sort().join() === names(result.get(m.memberId)!).sort().join())
    if (unchanged) return {rounds: round, result}
    current = next
  }
  throw new Error('no stable assignment after 5 rounds')
}

/**
 * A partition never goes straight from one member that owns it to another in one generation (owners
 * being members of the highest generation; a partition two of them claim has no owner).
 */
function assertNoDirectMoves(members: MemberSubscription[], result: Map<string, TopicPartitions[]>): void {
  const maxGeneration = Math.max(-1, ...members.map((m) => m.generationId))
  const owner = new Map<string, string>()
  const twice = new Set<string>()
  for (const m of members) {
    if (m.generationId !== maxGeneration) continue
    for (const name of names(m.ownedPartitions)) {
      if (owner.has(name)) twice.add(name)
      owner.set(name, m.memberId)
    }
  }
  for (const name of twice) owner.delete(name)
  for (const [memberId, topics] of result) {
    for (const name of names(topics)) {
      const before = owner.get(name)
      expect(before === undefined || before === memberId, `${name} moved from ${before} to ${memberId} in one generation`).to.equal(true)
    }
  }
}

function counts(result: Map<string, TopicPartitions[]>): number[] {
  return [...result.values()].map((topics) => names(topics).length)
}

describe('cooperative-sticky assignor', () => {
  it('spreads a new group evenly over its members', () => {
    const result = assignor.assign([member('a', ['t']), member('b', ['t']), member('c', ['t'])], new Map([['t', 7]]))
    expect(counts(result).sort()).to.deep.equal([2, 2, 3])
    expect(names([...result.values()].flat()).sort()).to.deep.equal(['t-0', 't-1', 't-2', 't-3', 't-4', 't-5', 't-6'])
  })

  it('keeps owned partitions where they are when the group is already balanced', () => {
    const members = [member('a', ['t'], ['t-5', 't-1'], 4), member('b', ['t'], ['t-0', 't-2'], 4), member('c', ['t'], ['t-3', 't-4'], 4)]
    const result = assignor.assign(members, new Map([['t', 6]]))
    expect(plain(result)).to.deep.equal({a: ['t-1', 't-5'], b: ['t-0', 't-2'], c: ['t-3', 't-4']})
  })

  it('hands a joining member partitions in two generations: revoked first, then assigned', () => {
    const counts6 = new Map([['t', 6]])
    const before = [member('a', ['t'], ['t-0', 't-1', 't-2'], 7), member('b', ['t'], ['t-3', 't-4', 't-5'], 7), member('c', ['t'])]
    const first = assignor.assign(before, counts6)
    // a and b each give up one partition; nobody gets it yet; nothing else moves
    expect(names(first.get('c')!)).to.deep.equal([])
    expect(names(first.get('a')!).length).to.equal(2)
    expect(names(first.get('b')!).length).to.equal(2)
    for (const name of [...names(first.get('a')!), ...names(first.get('b')!)]) expect(['t-0', 't-1', 't-2', 't-3', 't-4', 't-5']).to.include(name)
    expect(names(first.get('a')!).every((n) => ['t-0', 't-1', 't-2'].includes(n))).to.equal(true)
    const after = before.map((m) => ({...m, ownedPartitions: first.get(m.memberId)!, generationId: 8}))
    const second = assignor.assign(after, counts6)
    expect(names(second.get('a')!)).to.deep.equal(names(first.get('a')!))
    expect(names(second.get('b')!)).to.deep.equal(names(first.get('b')!))
    expect(names(second.get('c')!).length).to.equal(2)
  })

  it('gives a departed member\'s partitions to the others at once (nobody has to revoke them)', () => {
    const members = [member('a', ['t'], ['t-0', 't-1'], 3), member('b', ['t'], ['t-2', 't-3'], 3)]
    const result = assignor.assign(members, new Map([['t', 6]]))
    expect(plain(result)).to.deep.equal({a: ['t-0', 't-1', 't-4'], b: ['t-2', 't-3', 't-5']})
  })

  it('ignores partitions claimed by a member of an older generation', () => {
    const members = [member('a', ['t'], ['t-0', 't-1'], 5), member('b', ['t'], ['t-1', 't-2', 't-3'], 4)]
    const result = assignor.assign(members, new Map([['t', 4]]))
    expect(names(result.get('a')!)).to.deep.equal(['t-0', 't-1'])
    expect(names(result.get('b')!)).to.deep.equal(['t-2', 't-3'])
  })

  it('treats a partition claimed twice in one generation as owned by neither', () => {
    const members = [member('a', ['t'], ['t-0', 't-1'], 5), member('b', ['t'], ['t-1'], 5)]
    const result = assignor.assign(members, new Map([['t', 3]]))
    const all = [...names(result.get('a')!), ...names(result.get('b')!)].sort()
    expect(all).to.deep.equal(['t-0', 't-1', 't-2'])
    expect(names(result.get('a')!)).to.include('t-0')
  })

  it('gives partitions only to subscribers and balances members of different subscriptions', () => {
    const members = [member('a', ['x', 'y']), member('b', ['x']), member('c', ['y'])]
    const result = assignor.assign(members, new Map([['x', 4], ['y', 4]]))
    expect(names(result.get('b')!).every((n) => n.startsWith('x-'))).to.equal(true)
    expect(names(result.get('c')!).every((n) => n.startsWith('y-'))).to.equal(true)
    expect(Math.max(...counts(result)) - Math.min(...counts(result))).to.be.at.most(1)
    expect(counts(result).reduce((s, n) => s + n, 0)).to.equal(8)
  })

  it('drops owned partitions of topics a member no longer subscribes to, or that no longer exist', () => {
    const members = [member('a', ['t'], ['t-0', 'old-0', 't-9'], 2), member('b', ['t'], ['t-1'], 2)]
    const result = assignor.assign(members, new Map([['t', 2]]))
    expect(plain(result)).to.deep.equal({a: ['t-0'], b: ['t-1']})
  })

  it('puts the generation in its user data for subscriptions before v2', () => {
    expect(assignor.subscriptionUserData(9)!.toString('hex')).to.equal('00000009')
    expect(assignor.subscriptionUserData(-1)!.toString('hex')).to.equal('ffffffff')
  })

  it('reaches a balanced, complete assignment for random groups without moving a partition directly', () => {
    let seed = 42
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let trial = 0; trial < 200; trial++) {
      const topics = ['t0', 't1', 't2'].slice(0, 1 + random(3))
      const partitionCounts = new Map(topics.map((t) => [t, 1 + random(8)]))
      const memberCount = 1 + random(6)
      const all = topics.flatMap((t) => Array.from({length: partitionCounts.get(t)!}, (_, p) => `${t}-${p}`))
      const members = Array.from({length: memberCount}, (_, i) => {
        const owned = all.filter(() => random(memberCount + 1) === 0)
        return member(`m${i}`, topics, owned, 10 + random(2))
      })
      const {result} = settle(members, partitionCounts, 20)
      const given = [...result.values()].flatMap(names)
      expect(new Set(given).size, `trial ${trial}`).to.equal(given.length)
      expect(given.sort(), `trial ${trial}`).to.deep.equal([...all].sort())
      expect(Math.max(...counts(result)) - Math.min(...counts(result)), `trial ${trial}`).to.be.at.most(1)
    }
  })
})
