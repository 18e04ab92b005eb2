import {hostname} from 'node:os'
import {expect} from 'chai'
import {advertisedAddress, formatTcpAddress} from '../../src/server/listeners.js'

describe('listener addresses', () => {
  it('advertises the bound address, or the host name for a wildcard bind', () => {
    expect(advertisedAddress({host: '127.0.0.1', port: 9092})).to.deep.equal({host: '127.0.0.1', port: 9092})
    expect(advertisedAddress({host: '0.0.0.0', port: 9092})).to.deep.equal({host: hostname(), port: 9092})
    expect(advertisedAddress({host: '::', port: 1})).to.deep.equal({host: hostname(), port: 1})
  })

  it('writes IPv6 hosts in brackets', () => {
    expect(formatTcpAddress({host: '::1', port: 9092})).to.equal('[::1]:9092')
    expect(formatTcpAddress({host: '127.0.0.1', port: 9092})).to.equal('127.0.0.1:9092')
  })
})
