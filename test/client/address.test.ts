import {expect} from 'chai'
import {formatAddress, parseHostPort} from '../../src/client/address.js'
import {WeirError} from '../../src/client/errors.js'

describe('broker addresses', () => {
  it('parses host:port, bracketed and bare IPv6', () => {
    expect(parseHostPort('localhost:9093')).to.deep.equal({kind: 'tcp', host: 'localhost', port: 9093})
    expect(parseHostPort('[::1]:19092')).to.deep.equal({kind: 'tcp', host: '::1', port: 19092})
    expect(parseHostPort('fe80::1:19092')).to.deep.equal({kind: 'tcp', host: 'fe80::1', port: 19092})
  })

  for (const bad of ['localhost', 'localhost:', ':9092', 'host:0', 'host:70000', 'host:9x']) {
    it(`refuses "${bad}"`, () => {
      expect(() => parseHostPort(bad)).to.throw(WeirError, `invalid broker address "${bad}": expected host:port`)
    })
  }

  it('formats addresses back, bracketing IPv6', () => {
    expect(formatAddress({kind: 'tcp', host: '::1', port: 1})).to.equal('[::1]:1')
    expect(formatAddress({kind: 'tcp', host: 'a', port: 2})).to.equal('a:2')
    expect(formatAddress({kind: 'unix', path: '/x/weir.sock'})).to.equal('/x/weir.sock')
  })
})
