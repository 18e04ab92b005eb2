import {expect} from 'chai'
import {RangeAssignor, type MemberSubscription, type TopicPartitions} from '../../src/client/assignors/index.js'

function member(memberId: string, topics: string[], groupInstanceId: string | null = null): MemberSubscription {
  return {memberId, groupInstanceId, topics, ownedPartitions: [], generationId: -1}
}

function plain(result: Map<string, TopicPartitions[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [memberId, topics] of result) out[memberId] = topics.flatMap(({topic, partitions}) => partitions.map((p) => `${topic}-${p}`))
  return out
}

describe('range assignor', () => {
  const assignor = new RangeAssignor()

  it('cuts each topic into ranges, the first members taking the remainder (the Javadoc example)', () => {
    const result = assignor.assign([member('C1', ['t0', 't1']), member('C0', ['t0', 't1'])], new Map([['t0', 3], ['t1', 3]]))
    expect(plain(result)).to.deep.equal({C1: ['t0-2', 't1-2'], C0: ['t0-0', 't0-1', 't1-0', 't1-1']})
  })

  it('divides a topic among its subscribers only, and leaves a member of no topic with nothing', () => {
    const members = [member('a', ['t0']), member('b', ['t0', 't1']), member('c', ['t1']), member('d', ['gone'])]
    const result = assignor.assign(members, new Map([['t0', 4], ['t1', 3]]))
    expect(plain(result)).to.deep.equal({a: ['t0-0', 't0-1'], b: ['t0-2', 't0-3', 't1-0', 't1-1'], c: ['t1-2'], d: []})
  })

  it('orders static members by instance id before dynamic ones by member id, as Java does', () => {
    const members = [member('a', ['t']), member('z', ['t'], 'instance-2'), member('y', ['t'], 'instance-1')]
    const result = assignor.assign(members, new Map([['t', 3]]))
    expect(plain(result)).to.deep.equal({a: ['t-2'], z: ['t-1'], y: ['t-0']})
  })

  it('gives members beyond the partition count nothing', () => {
    const result = assignor.assign([member('a', ['t']), member('b', ['t']), member('c', ['t'])], new Map([['t', 2]]))
    expect(plain(result)).to.deep.equal({a: ['t-0'], b: ['t-1'], c: []})
  })

  it('ignores what members owned before (eager: every partition is given up in a rebalance)', () => {
    const owner = {...member('b', ['t']), ownedPartitions: [{topic: 't', partitions: [0, 1]}], generationId: 3}
    const result = assignor.assign([member('a', ['t']), owner], new Map([['t', 2]]))
    expect(plain(result)).to.deep.equal({a: ['t-0'], b: ['t-1']})
    expect(assignor.rebalanceProtocol).to.equal('eager')
    expect(assignor.subscriptionUserData()).to.equal(null)
  })
})
