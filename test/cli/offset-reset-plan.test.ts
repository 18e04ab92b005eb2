import {expect} from 'chai'

import {CliError} from '../../src/cli/cli-errors.js'
import {type PartitionFacts, planGroupReset} from '../../src/cli/offset-reset-plan.js'
import type {TopicPartition} from '../../src/cli/offset-reset-scope.js'
import type {ResetSpec} from '../../src/cli/offset-reset-spec.js'

/** t/0 holds 10..19 with a commit at 15; t/1 holds 0..4 without a commit; t/2 is empty at 7. */
const facts: Record<number, PartitionFacts> = {
  0: {start: 10, end: 20, committed: 15, atTime: 12, requested: 25},
  1: {start: 0, end: 5, committed: null, atTime: -1, requested: 3},
  2: {start: 7, end: 7, committed: 3, atTime: -1, requested: 0},
}
const partitions: TopicPartition[] = [0, 1, 2].map((partition) => ({topic: 't', partition}))

function plan(spec: ResetSpec, only = partitions): {offsets: number[]; warnings: string[]} {
  const {offsets, warnings} = planGroupReset('g', spec, only, (tp) => facts[tp.partition]!)
  return {offsets: offsets.map((offset) => offset.offset), warnings}
}

describe('offset reset plan', () => {
  it('moves to the log start or end', () => {
    expect(plan({kind: 'earliest'})).to.deep.equal({offsets: [10, 0, 7], warnings: []})
    expect(plan({kind: 'latest'})).to.deep.equal({offsets: [20, 5, 7], warnings: []})
  })

  it('keeps committed offsets with --to-current, as they are, and uses the log end without one', () => {
    expect(plan({kind: 'current'})).to.deep.equal({offsets: [15, 5, 3], warnings: []})
  })

  it('moves to the first record at or after a time, the log end when none is that recent', () => {
    expect(plan({kind: 'time', timestamp: 1}).offsets).to.deep.equal([12, 5, 7])
  })

  it('clamps an offset into the log with a warning per moved partition', () => {
    const {offsets, warnings} = plan({kind: 'offset', offset: 12})
    expect(offsets).to.deep.equal([12, 5, 7])
    expect(warnings).to.deep.equal([
      "new offset 12 for t/1 of group 'g' is past its log end offset; it will be set to 5.",
      "new offset 12 for t/2 of group 'g' is past its log end offset; it will be set to 7.",
    ])
    expect(plan({kind: 'offset', offset: 3}, [partitions[0]!]).warnings).to.deep.equal(
      ["new offset 3 for t/0 of group 'g' is below its log start offset; it will be set to 10."])
  })

  it('shifts committed offsets within the log', () => {
    const only = [partitions[0]!, partitions[2]!]
    expect(plan({kind: 'shift', by: 2}, only).offsets).to.deep.equal([17, 7])
    expect(plan({kind: 'shift', by: -10}, only).offsets).to.deep.equal([10, 7])
    expect(plan({kind: 'shift', by: 100}, only).offsets).to.deep.equal([20, 7])
  })

  it('refuses to shift a partition without a committed offset', () => {
    expect(() => plan({kind: 'shift', by: 1})).to.throw(CliError, "cannot shift the offset of t/1 for group 'g': it has no committed offset")
  })

  it('clamps the offsets a file asks for', () => {
    const {offsets, warnings} = plan({kind: 'file', path: 'f'})
    expect(offsets).to.deep.equal([20, 3, 7])
    expect(warnings).to.have.length(2)
  })

  it('keeps the group, the partition and the committed offset on every row', () => {
    const {offsets} = planGroupReset('g', {kind: 'latest'}, [partitions[1]!, partitions[0]!], (tp) => facts[tp.partition]!)
    expect(offsets).to.deep.equal([
      {group: 'g', topic: 't', partition: 1, offset: 5, currentOffset: null},
      {group: 'g', topic: 't', partition: 0, offset: 20, currentOffset: 15},
    ])
  })
})
