import {expect} from 'chai'

import {CliError, UsageError} from '../../src/cli/cli-errors.js'
import type {OffsetLookup} from '../../src/cli/partition-positions.js'
import {trimTableLines, trimTargets, trimmedPartitions, trimmedRecords} from '../../src/cli/topic-trim.js'
import {ErrorCode} from '../../src/protocol/index.js'

/** Partition 0 holds offsets 2..9 with timestamps 100 * offset; partition 1 holds 0..3. */
const lookup: OffsetLookup = {
  async listOffsets(_topic, partitions, spec) {
    return new Map(partitions.map((p) => [p, typeof spec === 'number' ? (spec <= 900 && p === 0 ? Math.max(2, Math.ceil(spec / 100)) : -1) : 0]))
  },
}
const bounds = {start: new Map([[0, 2], [1, 0]]), end: new Map([[0, 10], [1, 4]])}

describe('topic trim', () => {
  it('keeps the first record at or after a time, every record going when none is', async () => {
    expect([...await trimTargets(lookup, 't', bounds, {kind: 'time', timestamp: 450})]).to.deep.equal([[0, 5], [1, 4]])
  })

  it('keeps the last N records, or none with end; an offset below the log start changes nothing', async () => {
    expect([...await trimTargets(lookup, 't', bounds, {kind: 'before-end', count: 3})]).to.deep.equal([[0, 7], [1, 1]])
    expect([...await trimTargets(lookup, 't', bounds, {kind: 'latest'})]).to.deep.equal([[0, 10], [1, 4]])
    expect([...await trimTargets(lookup, 't', bounds, {kind: 'offset', offset: 1})]).to.deep.equal([[0, 2], [1, 1]])
  })

  it('refuses an offset past a partition\'s end before deleting anything', async () => {
    const failure = await trimTargets(lookup, 't', bounds, {kind: 'offset', offset: 5}).catch((error: unknown) => error)
    expect(failure).to.be.instanceOf(CliError).and.not.be.instanceOf(UsageError)
    expect((failure as CliError).exit).to.equal(1)
    expect((failure as Error).message).to.equal('t/1 ends at offset 4, before 5')
  })

  it('words what goes for the question', () => {
    expect(trimmedRecords({kind: 'offset', offset: 7})).to.equal('the records before offset 7')
    expect(trimmedRecords({kind: 'before-end', count: 3})).to.equal('all but the last 3 records')
    expect(trimmedRecords({kind: 'latest'})).to.equal('every record')
    expect(trimmedRecords({kind: 'time', timestamp: Date.UTC(2024, 4, 1)})).to.equal('the records before 2024-05-01T00:00:00.000Z')
  })

  it('prints rpk\'s table, with an ERROR column only when a partition failed', () => {
    const ok = trimmedPartitions([{partition: 0, errorCode: 0, lowWatermark: 5}], bounds)
    expect(trimTableLines('t', ok)).to.deep.equal(['TOPIC  PARTITION  PRIOR-START-OFFSET  NEW-START-OFFSET', 't      0          2                   5'])
    const mixed = trimmedPartitions([{partition: 0, errorCode: 0, lowWatermark: 5}, {partition: 1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, lowWatermark: -1}], bounds)
    expect(mixed[1]).to.deep.equal({partition: 1, priorStartOffset: 0, newStartOffset: null, error: 'OFFSET_OUT_OF_RANGE'})
    expect(trimTableLines('t', mixed)[2]).to.equal('t      1          0                   -                 OFFSET_OUT_OF_RANGE')
  })
})
