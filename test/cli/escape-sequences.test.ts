import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {unescapeBytes} from '../../src/cli/escape-sequences.js'

describe('unescapeBytes', () => {
  it('turns \\n \\t \\r \\0 and \\\\ into their bytes', () => {
    expect(unescapeBytes('a\\nb\\tc\\rd\\0e\\\\f', 'x')).to.deep.equal(Buffer.from('a\nb\tc\rd\0e\\f', 'latin1'))
  })

  it('turns \\xNN into that byte', () => {
    expect(unescapeBytes('\\x01\\xfF', 'x')).to.deep.equal(Buffer.from([0x01, 0xff]))
  })

  it('rejects \\x without two hex digits', () => {
    expect(() => unescapeBytes('\\xg1', 'sep')).to.throw(UsageError, /sep/)
    expect(() => unescapeBytes('\\x1', 'sep')).to.throw(UsageError)
  })

  it('leaves other backslashes and a trailing backslash alone', () => {
    expect(unescapeBytes('C:\\dir\\', 'x').toString()).to.equal('C:\\dir\\')
  })

  it('encodes non-ASCII text as UTF-8', () => {
    expect(unescapeBytes('→', 'x')).to.deep.equal(Buffer.from('→', 'utf8'))
  })
})
