import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {parseResetDatetime, parseResetDuration, parseResetSpec} from '../../src/cli/offset-reset-spec.js'

const now = Date.UTC(2024, 4, 1, 12)


describe('offset reset specifications', () => {
  it('takes exactly one of Kafka\'s reset flags', () => {
    expect(parseResetSpec({'to-earliest': true}, now)).to.deep.equal({kind: 'earliest'})
    expect(parseResetSpec({'to-latest': true, 'to-earliest': false}, now)).to.deep.equal({kind: 'latest'})
    expect(parseResetSpec({'to-current': true}, now)).to.deep.equal({kind: 'current'})
    expect(parseResetSpec({'to-offset': '42'}, now)).to.deep.equal({kind: 'offset', offset: 42})
    expect(parseResetSpec({'shift-by': '-5'}, now)).to.deep.equal({kind: 'shift', by: -5})
    expect(parseResetSpec({'shift-by': '+7'}, now)).to.deep.equal({kind: 'shift', by: 7})
    expect(parseResetSpec({'from-file': 'plan.csv'}, now)).to.deep.equal({kind: 'file', path: 'plan.csv'})
    expect(parseResetSpec({'by-duration': 'PT1H'}, now)).to.deep.equal({kind: 'time', timestamp: now - 3_600_000})
    expect(parseResetSpec({'to-datetime': '2024-05-01T10:00:00.000'}, now)).to.deep.equal({kind: 'time', timestamp: Date.UTC(2024, 4, 1, 10)})
    expect(() => parseResetSpec({}, now)).to.throw(UsageError, 'say where to move the offsets')
    expect(() => parseResetSpec({'to-earliest': true, 'to-offset': '3'}, now)).to.throw(UsageError, 'give only one of --to-earliest and --to-offset')
  })

  it('refuses offsets and shifts that are not whole numbers', () => {
    expect(() => parseResetSpec({'to-offset': '-1'}, now)).to.throw(UsageError, "--to-offset must be an offset (a whole number, 0 or more), got '-1'")
    expect(() => parseResetSpec({'to-offset': '1.5'}, now)).to.throw(UsageError, 'got \'1.5\'')
    expect(() => parseResetSpec({'to-offset': '99999999999999999999'}, now)).to.throw(UsageError, '--to-offset')
    expect(() => parseResetSpec({'shift-by': 'ten'}, now)).to.throw(UsageError, "--shift-by must be a whole number such as 10 or -10, got 'ten'")
  })

  it('reads Kafka\'s datetime as UTC unless it names a zone, in every zone form Kafka accepts', () => {
    const ten = Date.UTC(2024, 4, 1, 10)
    expect(parseResetDatetime('2024-05-01T10:00:00.000', now)).to.equal(ten)
    expect(parseResetDatetime('2024-05-01T10:00:00.000Z', now)).to.equal(ten)
    expect(parseResetDatetime('2024-05-01T12:00:00.000+02:00', now)).to.equal(ten)
    expect(parseResetDatetime('2024-05-01T12:00:00.000+0200', now)).to.equal(ten)
    expect(parseResetDatetime('2024-05-01T12:00:00.000+02', now)).to.equal(ten)
    expect(parseResetDatetime('2024-05-01T05:30:00-04:30', now)).to.equal(ten)
    expect(parseResetDatetime('2024-05-01T10:00', now)).to.equal(ten)
    expect(parseResetDatetime('2024-05-01', now)).to.equal(Date.UTC(2024, 4, 1))
  })

  it('also takes epoch ms and a duration back from now as the time', () => {
    expect(parseResetDatetime('1714557600000', now)).to.equal(1714557600000)
    expect(parseResetDatetime('-1h', now)).to.equal(now - 3_600_000)
  })

  it('refuses times that are not times', () => {
    expect(() => parseResetDatetime('yesterday', now)).to.throw(UsageError, "got 'yesterday'")
    expect(() => parseResetDatetime('2024-13-01T00:00:00.000', now)).to.throw(UsageError, '--to-datetime')
    expect(() => parseResetDatetime('2024-05-01T25:00:00', now)).to.throw(UsageError, '--to-datetime')
  })

  it('reads Java durations and the CLI\'s own durations', () => {
    expect(parseResetDuration('PT0.5S')).to.equal(500)
    expect(parseResetDuration('P1DT2H3M4.005S')).to.equal(((24 + 2) * 60 + 3) * 60_000 + 4005)
    expect(parseResetDuration('P2D')).to.equal(2 * 86_400_000)
    expect(parseResetDuration('pt15m')).to.equal(15 * 60_000)
    expect(parseResetDuration('1h30m')).to.equal(90 * 60_000)
    expect(parseResetDuration('2d')).to.equal(2 * 86_400_000)
    for (const bad of ['P', 'PT', 'P1DT', '1x', '-1h', 'PT-1H', '']) {
      expect(() => parseResetDuration(bad), bad).to.throw(UsageError, '--by-duration')
    }
  })
})
