import {expect} from 'chai'

import {formatDuration} from '../../src/cli/duration.js'

describe('formatDuration', () => {
  it('shows the two largest units', () => {
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000)).to.equal('3d 4h')
    expect(formatDuration(5 * 60_000 + 2000)).to.equal('5m 2s')
    expect(formatDuration(7000)).to.equal('7s')
  })

  it('drops a zero second unit', () => {
    expect(formatDuration(2 * 3_600_000 + 30_000)).to.equal('2h')
  })

  it('shows 0s for less than a second or a clock that went back', () => {
    expect(formatDuration(999)).to.equal('0s')
    expect(formatDuration(-5)).to.equal('0s')
  })
})
