import {expect} from 'chai'

import {formatKeyValues, formatTable} from '../../src/cli/table.js'

describe('table layouts', () => {
  it('aligns columns under a header, two spaces apart, without trailing blanks', () => {
    expect(formatTable(['TOPIC', 'PARTITIONS'], [['orders', '3'], ['a', '12']])).to.deep.equal([
      'TOPIC   PARTITIONS',
      'orders  3',
      'a       12',
    ])
  })

  it('works without a header and with ragged rows', () => {
    expect(formatTable(null, [['x', 'y', 'z'], ['long']])).to.deep.equal(['x     y  z', 'long'])
  })

  it('aligns key: value pairs', () => {
    expect(formatKeyValues([['pid', '12'], ['data dir', '/d']])).to.deep.equal(['pid:      12', 'data dir: /d'])
  })

  it('returns nothing for no rows', () => {
    expect(formatTable(null, [])).to.deep.equal([])
  })
})
