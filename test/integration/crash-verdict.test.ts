// The crash tests' judge, on hand-made reads: each kind of finding is reported, and a sound read
// gives none.
import {expect} from 'chai'

import {type PartitionRead} from './crash-log-reader.js'
import {type Acknowledged} from './crash-producers.js'
import {judgeAcknowledged, judgeAgainstBefore, isClean} from './crash-verdict.js'

function readOf(values: string[], options: Partial<PartitionRead> = {}): PartitionRead {
  const records = values.map((value, offset) => ({offset, value, timestamp: 1000 + offset}))
  return {logStartOffset: 0, highWatermark: values.length, records, batches: [], corruptBatches: [], ...options}
}

const acked = (value: string, offset?: number): Acknowledged => ({value, offset, producer: 'p'})

describe('crash verdict', () => {
  it('finds nothing in a read that holds every acknowledged record at its offset, in order', () => {
    const verdict = judgeAcknowledged(readOf(['a', 'b', 'c', 'd']), [acked('a', 0), acked('c', 2), acked('b')], [['b', 'd']])
    expect(isClean(verdict)).to.equal(true)
  })

  it('reports a lost, a misplaced and a duplicated record, and a run out of order', () => {
    const verdict = judgeAcknowledged(readOf(['a', 'b', 'a', 'd']), [acked('x', 0), acked('b', 3), acked('d')], [['d', 'b']])
    expect(verdict.lost).to.have.length(1)
    expect(verdict.misplaced).to.have.length(1)
    expect(verdict.duplicates).to.have.length(1)
    expect(verdict.outOfOrder).to.have.length(1)
  })

  it('reports offsets no record holds, up to the high watermark', () => {
    const read = readOf(['a', 'b', 'c'])
    read.records.splice(1, 1)
    read.highWatermark = 5
    expect(judgeAcknowledged(read, [], []).holes).to.deep.equal([1, 3, 4])
  })

  it('reports a read that stopped early or a batch served with a bad CRC', () => {
    const read = readOf(['a'], {highWatermark: 3, stoppedAt: {offset: 1, reason: 'CORRUPT_MESSAGE'}, corruptBatches: [1]})
    expect(judgeAcknowledged(read, [], []).corrupt).to.have.length(2)
    expect(judgeAcknowledged(read, [], []).holes).to.deep.equal([])
  })

  it('after damage, wants the records below the surviving end unchanged and nothing new', () => {
    const before = readOf(['a', 'b', 'c', 'd']).records
    expect(isClean(judgeAgainstBefore(readOf(['a', 'b']), before, 2))).to.equal(true)
    expect(judgeAgainstBefore(readOf(['a']), before, 2).lost).to.have.length(1)
    expect(judgeAgainstBefore(readOf(['a', 'x']), before, 2).misplaced).to.have.length(2)
  })
})
