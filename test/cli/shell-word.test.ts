import {expect} from 'chai'

import {shellWord} from '../../src/cli/shell-word.js'

describe('shellWord', () => {
  it('leaves plain paths alone', () => {
    expect(shellWord('/tmp/weir-1.2/data')).to.equal('/tmp/weir-1.2/data')
  })

  it('quotes paths with spaces and quotes', () => {
    expect(shellWord('/tmp/my data')).to.equal("'/tmp/my data'")
    expect(shellWord("it's")).to.equal("'it'\\''s'")
  })
})
