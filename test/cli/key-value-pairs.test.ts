import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {parseBooleanProperty, parseKeyValue, parseKeyValueList, requireKnownKeys} from '../../src/cli/key-value-pairs.js'

describe('key-value pairs', () => {
  it('splits at the first equals sign', () => {
    expect(parseKeyValue('a=b=c', 'config')).to.deep.equal(['a', 'b=c'])
    expect(parseKeyValue('a=', 'config')).to.deep.equal(['a', ''])
  })

  it('rejects text without a key', () => {
    expect(() => parseKeyValue('novalue', 'config')).to.throw(UsageError, /--config expects key=value/)
    expect(() => parseKeyValue('=v', 'config')).to.throw(UsageError)
  })

  it('collects a list, the last of a repeated key winning', () => {
    expect(parseKeyValueList(['a=1', 'b=2', 'a=3'], 'config')).to.deep.equal({a: '3', b: '2'})
    expect(parseKeyValueList(undefined, 'config')).to.deep.equal({})
  })

  it('names the supported keys when one is unknown', () => {
    expect(() => requireKnownKeys({'parse.kye': 'true'}, ['parse.key'], 'property'))
      .to.throw(UsageError, /unknown --property 'parse.kye' \(supported: parse.key\)/)
    expect(() => requireKnownKeys({'parse.key': 'true'}, ['parse.key'], 'property')).not.to.throw()
  })

  it('reads Kafka booleans case-insensitively and rejects others', () => {
    expect(parseBooleanProperty('TRUE', 'k')).to.equal(true)
    expect(parseBooleanProperty('false', 'k')).to.equal(false)
    expect(() => parseBooleanProperty('yes', 'k')).to.throw(UsageError)
  })
})
