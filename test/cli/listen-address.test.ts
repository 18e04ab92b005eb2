import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {DEFAULT_LISTEN, parseListenAddress, tcpListener} from '../../src/cli/listen-address.js'

describe('listen addresses', () => {
  it('parses HOST:PORT and bracketed IPv6', () => {
    expect(parseListenAddress('0.0.0.0:19092')).to.deep.equal({host: '0.0.0.0', port: 19_092})
    expect(parseListenAddress('[::1]:0')).to.deep.equal({host: '::1', port: 0})
  })

  it('rejects a missing host or port, bad ports and bare IPv6', () => {
    for (const bad of ['9092', ':9092', 'host:', 'host:99999', 'host:x', '::1:9092']) {
      expect(() => parseListenAddress(bad), bad).to.throw(UsageError)
    }
  })

  it('defaults to loopback on 9092, --port changes the port, --no-tcp turns TCP off', () => {
    expect(tcpListener({tcp: true}, {})).to.deep.equal(DEFAULT_LISTEN)
    expect(DEFAULT_LISTEN).to.deep.equal({host: '127.0.0.1', port: 9092})
    expect(tcpListener({tcp: true, port: 0}, {})).to.deep.equal({host: '127.0.0.1', port: 0})
    expect(tcpListener({tcp: true, listen: '10.0.0.1:9093'}, {})).to.deep.equal({host: '10.0.0.1', port: 9093})
    expect(tcpListener({tcp: false, port: 5}, {})).to.equal(null)
  })

  it('takes $WEIR_LISTEN when --listen is not given', () => {
    const env = {WEIR_LISTEN: '127.0.0.1:0'}
    expect(tcpListener({tcp: true}, env)).to.deep.equal({host: '127.0.0.1', port: 0})
    expect(tcpListener({tcp: true, listen: '10.0.0.1:1'}, env)).to.deep.equal({host: '10.0.0.1', port: 1})
    expect(tcpListener({tcp: true, port: 7}, env)).to.deep.equal({host: '127.0.0.1', port: 7})
    expect(tcpListener({tcp: true}, {WEIR_LISTEN: ''})).to.deep.equal(DEFAULT_LISTEN)
    expect(tcpListener({tcp: false}, env)).to.equal(null)
  })
})
