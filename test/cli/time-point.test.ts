import {expect} from 'chai'

import {parseIsoTime, parseTimePoint} from '../../src/cli/time-point.js'

const NOW = 1_714_564_800_000

describe('time points', () => {
  it('reads epoch milliseconds as they are', () => {
    expect(parseTimePoint('0', NOW)).to.equal(0)
    expect(parseTimePoint('1700000000000', NOW)).to.equal(1_700_000_000_000)
    expect(parseTimePoint('99999999999999999999', NOW)).to.equal(null)
  })

  it('reads durations before and after now, in d, h, m and s, alone or combined', () => {
    expect(parseTimePoint('-1h', NOW)).to.equal(NOW - 3_600_000)
    expect(parseTimePoint('-2d', NOW)).to.equal(NOW - 2 * 86_400_000)
    expect(parseTimePoint('-30m', NOW)).to.equal(NOW - 1_800_000)
    expect(parseTimePoint('-90s', NOW)).to.equal(NOW - 90_000)
    expect(parseTimePoint('+10m', NOW)).to.equal(NOW + 600_000)
    expect(parseTimePoint('-1d2h3m4s', NOW)).to.equal(NOW - (86_400_000 + 7_200_000 + 180_000 + 4000))
  })

  it('refuses durations without a sign, a unit or a number', () => {
    for (const bad of ['1h', '-h', '-1', '-1w', '-1h-', '-1.5h', '- 1h']) expect(parseTimePoint(bad, NOW), bad).to.equal(null)
  })

  it('reads ISO-8601 with a zone as that instant', () => {
    expect(parseIsoTime('2024-05-01T12:00:00Z')).to.equal(Date.UTC(2024, 4, 1, 12))
    expect(parseIsoTime('2024-05-01T12:00:00.5Z')).to.equal(Date.UTC(2024, 4, 1, 12, 0, 0, 500))
    expect(parseIsoTime('2024-05-01T12:00:00.123456Z')).to.equal(Date.UTC(2024, 4, 1, 12, 0, 0, 123))
    expect(parseIsoTime('2024-05-01T14:00+02:00')).to.equal(Date.UTC(2024, 4, 1, 12))
    expect(parseIsoTime('2024-05-01 12:00z')).to.equal(Date.UTC(2024, 4, 1, 12))
  })

  it('reads ISO-8601 without a zone as UTC, a date alone as midnight UTC, as Kafka\'s tools do', () => {
    expect(parseIsoTime('2024-05-01T12:30')).to.equal(Date.UTC(2024, 4, 1, 12, 30))
    expect(parseIsoTime('2024-05-01')).to.equal(Date.UTC(2024, 4, 1))
  })

  it('refuses dates and times that do not exist instead of rolling them over', () => {
    for (const bad of ['2024-02-30', '2023-02-29T00:00Z', '2024-13-01', '2024-00-10', '2024-05-01T24:00', '2024-05-01T12:60', '2024-5-1', '12:00']) {
      expect(parseIsoTime(bad), bad).to.equal(null)
    }
    expect(parseIsoTime('2024-02-29')).to.be.a('number')
  })
})
