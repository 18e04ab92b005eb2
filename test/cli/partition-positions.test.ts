import {expect} from 'chai'

import {type LogBounds, type OffsetLookup, logBounds, startPositions, stopPoints} from '../../src/cli/partition-positions.js'

const NOW = 1_000_000

/** Two partitions: 0 holds offsets 10..19 (times 1000, 1100, ...), 1 is empty at offset 5. */
class FakeLookup implements OffsetLookup {
  readonly asked: (string | number)[] = []

  async listOffsets(_topic: string, partitions: number[], spec: 'earliest' | 'latest' | number): Promise<Map<number, number>> {
    this.asked.push(spec)
    return new Map(partitions.map((p) => [p, this.offset(p, spec)]))
  }

  private offset(partition: number, spec: 'earliest' | 'latest' | number): number {
    if (partition === 1) return spec === 'earliest' || spec === 'latest' ? 5 : -1
    if (spec === 'earliest') return 10
    if (spec === 'latest') return 20
    if (spec > 1900) return -1
    return 10 + Math.max(0, Math.ceil((spec - 1000) / 100))
  }
}

describe('partition positions', () => {
  let lookup: FakeLookup
  let bounds: LogBounds

  beforeEach(async () => {
    lookup = new FakeLookup()
    bounds = await logBounds(lookup, 't', [0, 1])
  })

  it('reads each partition\'s log start and end', () => {
    expect([...bounds.start]).to.deep.equal([[0, 10], [1, 5]])
    expect([...bounds.end]).to.deep.equal([[0, 20], [1, 5]])
  })

  it('starts at the log start, the end, or N before the end (never below the log start)', async () => {
    expect([...(await startPositions(lookup, 't', bounds, {kind: 'earliest'})).positions]).to.deep.equal([[0, 10], [1, 5]])
    expect([...(await startPositions(lookup, 't', bounds, {kind: 'latest'})).positions]).to.deep.equal([[0, 20], [1, 5]])
    expect([...(await startPositions(lookup, 't', bounds, {kind: 'before-end', count: 3})).positions]).to.deep.equal([[0, 17], [1, 5]])
    expect([...(await startPositions(lookup, 't', bounds, {kind: 'before-end', count: 50})).positions]).to.deep.equal([[0, 10], [1, 5]])
  })

  it('starts a time at the first record at or after it, or at the end when there is none', async () => {
    const {positions, warnings} = await startPositions(lookup, 't', bounds, {kind: 'time', timestamp: 1250})
    expect([...positions]).to.deep.equal([[0, 13], [1, 5]])
    expect(warnings).to.deep.equal([])
    expect(lookup.asked.at(-1)).to.equal(1250)
    expect([...(await startPositions(lookup, 't', bounds, {kind: 'time', timestamp: 5000})).positions]).to.deep.equal([[0, 20], [1, 5]])
  })

  it('starts an offset outside the log at its nearest end, with a warning per partition moved', async () => {
    const {positions, warnings} = await startPositions(lookup, 't', bounds, {kind: 'offset', offset: 12})
    expect([...positions]).to.deep.equal([[0, 12], [1, 5]])
    expect(warnings).to.deep.equal(['t/1 has log start offset 5 and log end offset 5; reading from 5 instead of 12.'])
    const below = await startPositions(lookup, 't', bounds, {kind: 'offset', offset: 2})
    expect(below.positions.get(0)).to.equal(10)
    expect(below.warnings[0]).to.equal('t/0 has log start offset 10 and log end offset 20; reading from 10 instead of 2.')
  })

  it('stops at the log start, the end seen now, an offset, or a time', async () => {
    expect([...await stopPoints(lookup, 't', bounds, {kind: 'earliest'}, NOW)]).to.deep.equal([[0, {offset: 10, timestamp: null}], [1, {offset: 5, timestamp: null}]])
    expect([...await stopPoints(lookup, 't', bounds, {kind: 'latest'}, NOW)]).to.deep.equal([[0, {offset: 20, timestamp: null}], [1, {offset: 5, timestamp: null}]])
    expect([...await stopPoints(lookup, 't', bounds, {kind: 'offset', offset: 15}, NOW)]).to.deep.equal([[0, {offset: 15, timestamp: null}], [1, {offset: 15, timestamp: null}]])
    // Partition 1 has no record at or after the time yet: a time to come waits for a record to reach it,
    // a time gone by stops at the end as it is.
    expect([...await stopPoints(lookup, 't', bounds, {kind: 'time', timestamp: 1450}, 1000)]).to.deep.equal([
      [0, {offset: 15, timestamp: 1450}], [1, {offset: Infinity, timestamp: 1450}],
    ])
    expect([...await stopPoints(lookup, 't', bounds, {kind: 'time', timestamp: 1450}, NOW)]).to.deep.equal([
      [0, {offset: 15, timestamp: 1450}], [1, {offset: 5, timestamp: 1450}],
    ])
  })
})
