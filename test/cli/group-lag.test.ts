import {expect} from 'chai'
import {groupLag, lagOf, offsetRows, type PartitionBounds} from '../../src/cli/group-lag.js'
import {description, member} from './group-fixtures.js'

function bounds(entries: Record<string, [number, number][]>): Map<string, Map<number, PartitionBounds>> {
  return new Map(Object.entries(entries).map(([topic, list]) => [topic, new Map(list.map(([start, end], partition) => [partition, {start, end}]))]))
}

describe('group lag', () => {
  describe('lagOf', () => {
    it('counts from the commit to the log end', () => {
      expect(lagOf(10, {start: 0, end: 15})).to.equal(5)
      expect(lagOf(15, {start: 0, end: 15})).to.equal(0)
    })

    it('never counts records below the log start (gone to retention or trimming)', () => {
      expect(lagOf(3, {start: 10, end: 15})).to.equal(5)
      expect(lagOf(0, {start: 15, end: 15})).to.equal(0)
    })

    it('is unknown without a commit or without the partition, and never negative', () => {
      expect(lagOf(null, {start: 0, end: 15})).to.equal(null)
      expect(lagOf(4, null)).to.equal(null)
      expect(lagOf(20, {start: 0, end: 15})).to.equal(0)
    })
  })

  describe('offsetRows', () => {
    it('joins assignments, commits and log bounds, sorted by topic and partition; members without partitions last', () => {
      const d = description({members: [member('m2', [{topic: 't', partitions: [1]}]), member('m1', [{topic: 't', partitions: [0]}]), member('idle')]})
      const offsets = [
        {topic: 't', partition: 0, offset: 7, leaderEpoch: -1, metadata: ''},
        {topic: 'a', partition: 0, offset: 2, leaderEpoch: -1, metadata: ''},
      ]
      const rows = offsetRows(d, offsets, bounds({t: [[0, 10], [5, 9]], a: [[0, 2]]}))
      expect(rows.map((r) => [r.topic, r.partition, r.currentOffset, r.logEndOffset, r.lag, r.consumerId, r.clientId])).to.deep.equal([
        ['a', 0, 2, 2, 0, null, null],
        ['t', 0, 7, 10, 3, 'm1', 'c-m1'],
        ['t', 1, null, 9, null, 'm2', 'c-m2'],
        [null, null, null, null, null, 'idle', 'c-idle'],
      ])
      expect(rows[2]!.logStartOffset).to.equal(5)
    })

    it('keeps commits for a topic that no longer exists, with unknown ends', () => {
      const rows = offsetRows(description({state: 'Empty'}), [{topic: 'gone', partition: 3, offset: 9, leaderEpoch: -1, metadata: ''}], new Map())
      expect(rows).to.deep.equal([{group: 'g', topic: 'gone', partition: 3, currentOffset: 9, logStartOffset: null, logEndOffset: null, lag: null,
        consumerId: null, host: null, clientId: null}])
    })
  })

  describe('groupLag', () => {
    it('sums per topic and for the group, counting partitions without a commit apart', () => {
      const d = description({members: [member('m', [{topic: 't', partitions: [0, 1, 2]}, {topic: 'u', partitions: [0]}])]})
      const offsets = [0, 1].map((partition) => ({topic: 't', partition, offset: 1, leaderEpoch: -1, metadata: ''}))
      const rows = offsetRows(d, offsets, bounds({t: [[0, 5], [0, 3], [0, 8]], u: [[0, 4]]}))
      expect(groupLag('g', rows)).to.deep.equal({
        group: 'g',
        lag: 6,
        topics: [{topic: 't', lag: 6, partitions: 3, uncommitted: 1}, {topic: 'u', lag: null, partitions: 1, uncommitted: 1}],
      })
    })

    it('is unknown for a group that has committed nothing', () => {
      const d = description({members: [member('m', [{topic: 't', partitions: [0]}])]})
      expect(groupLag('g', offsetRows(d, [], bounds({t: [[0, 5]]}))).lag).to.equal(null)
    })
  })
})
