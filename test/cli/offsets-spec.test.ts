import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {parseOffsetSpec, parseUntilSpec, startSpec} from '../../src/cli/offsets-spec.js'

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0)

describe('offset specs', () => {
  it('reads earliest, latest, kcat\'s beginning/end and numbers', () => {
    expect(parseOffsetSpec('earliest', NOW)).to.deep.equal({kind: 'earliest'})
    expect(parseOffsetSpec('BEGINNING', NOW)).to.deep.equal({kind: 'earliest'})
    expect(parseOffsetSpec('latest', NOW)).to.deep.equal({kind: 'latest'})
    expect(parseOffsetSpec('end', NOW)).to.deep.equal({kind: 'latest'})
    expect(parseOffsetSpec('0', NOW)).to.deep.equal({kind: 'offset', offset: 0})
    expect(parseOffsetSpec('123456789', NOW)).to.deep.equal({kind: 'offset', offset: 123_456_789})
  })

  it('reads -N as N records before the end', () => {
    expect(parseOffsetSpec('-10', NOW)).to.deep.equal({kind: 'before-end', count: 10})
    expect(parseOffsetSpec('-0', NOW)).to.deep.equal({kind: 'before-end', count: 0})
  })

  it('reads @ times: epoch ms, ISO-8601, durations from now, and kcat\'s s@', () => {
    expect(parseOffsetSpec('@1700000000000', NOW)).to.deep.equal({kind: 'time', timestamp: 1_700_000_000_000})
    expect(parseOffsetSpec('s@1700000000000', NOW)).to.deep.equal({kind: 'time', timestamp: 1_700_000_000_000})
    expect(parseOffsetSpec('@2024-05-01T10:00:00Z', NOW)).to.deep.equal({kind: 'time', timestamp: Date.UTC(2024, 4, 1, 10)})
    expect(parseOffsetSpec('@-1h', NOW)).to.deep.equal({kind: 'time', timestamp: NOW - 3_600_000})
    expect(parseOffsetSpec('@-1h30m', NOW)).to.deep.equal({kind: 'time', timestamp: NOW - 5_400_000})
  })

  it('rejects fractional, unknown and malformed offsets with one usage error naming the flag', () => {
    for (const bad of ['1.5', 'soon', '', '99999999999999999999', '@', '@yesterday', '@-1w', '@2024-13-01', '--1', 's@']) {
      expect(() => parseOffsetSpec(bad, NOW), bad).to.throw(UsageError, `--offset must be N, -N, earliest, latest, @TIME or @-DURATION, got '${bad}'`)
    }
  })

  it('takes the forms of --offset for --until, but not -N, and kcat\'s e@', () => {
    expect(parseUntilSpec('latest', NOW)).to.deep.equal({kind: 'latest'})
    expect(parseUntilSpec('42', NOW)).to.deep.equal({kind: 'offset', offset: 42})
    expect(parseUntilSpec('@-5m', NOW)).to.deep.equal({kind: 'time', timestamp: NOW - 300_000})
    expect(parseUntilSpec('e@1700000000000', NOW)).to.deep.equal({kind: 'time', timestamp: 1_700_000_000_000})
    expect(() => parseUntilSpec('-5', NOW)).to.throw(UsageError, "--until must be N, earliest, latest, @TIME or @-DURATION, got '-5'")
    expect(() => parseUntilSpec('x', NOW)).to.throw(UsageError, '--until')
  })

  it('usage errors are exit status 2 and say what a time looks like', () => {
    try {
      parseOffsetSpec('@noon', NOW)
      expect.fail('parsed')
    } catch (error) {
      expect((error as UsageError).exit).to.equal(2)
      expect((error as UsageError).hint).to.include('-1h')
    }
  })

  it('starts at the end by default, at the beginning with --from-beginning, else at --offset', () => {
    expect(startSpec({}, NOW)).to.deep.equal({kind: 'latest'})
    expect(startSpec({fromBeginning: true}, NOW)).to.deep.equal({kind: 'earliest'})
    expect(startSpec({offset: '7'}, NOW)).to.deep.equal({kind: 'offset', offset: 7})
  })
})
