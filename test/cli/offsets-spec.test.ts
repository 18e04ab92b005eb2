import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {parseOffsetSpec, startOffset} from '../../src/cli/offsets-spec.js'

describe('offset specs', () => {
  it('reads earliest, latest, kcat\'s beginning/end and numbers', () => {
    expect(parseOffsetSpec('earliest')).to.equal('earliest')
    expect(parseOffsetSpec('BEGINNING')).to.equal('earliest')
    expect(parseOffsetSpec('latest')).to.equal('latest')
    expect(parseOffsetSpec('end')).to.equal('latest')
    expect(parseOffsetSpec('0')).to.equal(0)
    expect(parseOffsetSpec('123456789')).to.equal(123_456_789)
  })

  it('rejects negative, fractional and unknown offsets', () => {
    for (const bad of ['-1', '1.5', 'soon', '', '99999999999999999999']) {
      expect(() => parseOffsetSpec(bad), bad).to.throw(UsageError)
    }
  })

  it('starts at the end by default, at the beginning with --from-beginning, else at --offset', () => {
    expect(startOffset({})).to.equal('latest')
    expect(startOffset({fromBeginning: true})).to.equal('earliest')
    expect(startOffset({offset: '7'})).to.equal(7)
  })
})
