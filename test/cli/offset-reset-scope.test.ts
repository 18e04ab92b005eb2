import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {groupSelection, parseTopicScope, resetScope, scopePartitions} from '../../src/cli/offset-reset-scope.js'


const counts = (topic: string): number => ({orders: 3, audit: 1} as Record<string, number>)[topic]!

describe('offset reset scope', () => {
  it('reads --topic as a whole topic or listed partitions', () => {
    expect(parseTopicScope('orders')).to.deep.equal({topic: 'orders', partitions: null})
    expect(parseTopicScope('orders:2,0,2')).to.deep.equal({topic: 'orders', partitions: [0, 2]})
    expect(() => parseTopicScope('orders:x')).to.throw(UsageError, "invalid partition 'x' in --topic orders:x")
    expect(() => parseTopicScope('orders:')).to.throw(UsageError, "invalid partition '' in --topic orders:")
    expect(() => parseTopicScope(':1')).to.throw(UsageError, 'needs a topic name')
  })

  it('needs --topic or --all-topics, but not with --from-file', () => {
    expect(resetScope({'all-topics': true}, {kind: 'earliest'})).to.deep.equal({kind: 'all-topics'})
    expect(resetScope({topic: ['orders:0', 'orders:1', 'audit', 'audit:0']}, {kind: 'earliest'})).to.deep.equal(
      {kind: 'topics', topics: [{topic: 'orders', partitions: [0, 1]}, {topic: 'audit', partitions: null}]})
    expect(resetScope({}, {kind: 'file', path: 'f'})).to.deep.equal({kind: 'file'})
    expect(() => resetScope({}, {kind: 'latest'})).to.throw(UsageError, '--all-topics')
    expect(() => resetScope({topic: ['a'], 'all-topics': true}, {kind: 'latest'})).to.throw(UsageError, 'give --topic or --all-topics, not both')
  })

  it('needs --group or --all-groups', () => {
    expect(groupSelection({group: ['a', 'b', 'a']})).to.deep.equal({kind: 'named', groups: ['a', 'b']})
    expect(groupSelection({'all-groups': true})).to.deep.equal({kind: 'all'})
    expect(() => groupSelection({})).to.throw(UsageError, '--all-groups')
    expect(() => groupSelection({group: ['a', '']})).to.throw(UsageError, '--group needs a group id')
    expect(() => groupSelection({group: ['a'], 'all-groups': true})).to.throw(UsageError, 'give --group or --all-groups, not both')
  })

  it('selects partitions sorted by topic and partition', () => {
    const committed = [{topic: 'orders', partition: 2}, {topic: 'audit', partition: 0}]
    expect(scopePartitions({kind: 'all-topics'}, committed, counts, null)).to.deep.equal([{topic: 'audit', partition: 0}, {topic: 'orders', partition: 2}])
    expect(scopePartitions({kind: 'topics', topics: [{topic: 'orders', partitions: null}, {topic: 'audit', partitions: [0]}]}, committed, counts, null))
      .to.deep.equal([{topic: 'audit', partition: 0}, {topic: 'orders', partition: 0}, {topic: 'orders', partition: 1}, {topic: 'orders', partition: 2}])
  })

  it('takes the file\'s partitions, narrowed by --topic when given', () => {
    const file = [{topic: 'orders', partition: 1}, {topic: 'audit', partition: 0}, {topic: 'orders', partition: 0}]
    expect(scopePartitions({kind: 'file'}, [], counts, file)).to.deep.equal([{topic: 'audit', partition: 0}, {topic: 'orders', partition: 0}, {topic: 'orders', partition: 1}])
    expect(scopePartitions({kind: 'topics', topics: [{topic: 'orders', partitions: [1]}]}, [], counts, file)).to.deep.equal([{topic: 'orders', partition: 1}])
    expect(scopePartitions({kind: 'all-topics'}, [], counts, file)).to.have.length(3)
  })
})
