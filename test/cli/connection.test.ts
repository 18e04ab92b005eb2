import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {connectionTarget, serverList} from '../../src/cli/connection.js'

const socketFor = (dataDir: string | undefined): string => `${dataDir ?? '/home/default'}/weir.sock`

describe('connectionTarget', () => {
  it('uses the default data dir\'s socket when nothing is given', () => {
    expect(connectionTarget({}, {}, socketFor)).to.deep.equal({kind: 'socket', path: '/home/default/weir.sock'})
  })

  it('prefers --socket, then --bootstrap-server, then --data-dir', () => {
    expect(connectionTarget({socket: '/s'}, {}, socketFor)).to.deep.equal({kind: 'socket', path: '/s'})
    expect(connectionTarget({'bootstrap-server': 'a:1,b:2'}, {}, socketFor)).to.deep.equal({kind: 'bootstrap', servers: ['a:1', 'b:2']})
    expect(connectionTarget({'data-dir': '/d'}, {}, socketFor)).to.deep.equal({kind: 'socket', path: '/d/weir.sock', dataDirFlag: '/d'})
  })

  it('lets flags beat WEIR_BOOTSTRAP_SERVER, which beats the default socket', () => {
    const env = {WEIR_BOOTSTRAP_SERVER: 'k:9092'}
    expect(connectionTarget({}, env, socketFor)).to.deep.equal({kind: 'bootstrap', servers: ['k:9092']})
    expect(connectionTarget({'data-dir': '/d'}, env, socketFor).kind).to.equal('socket')
    expect(connectionTarget({}, {WEIR_BOOTSTRAP_SERVER: ' '}, socketFor).kind).to.equal('socket')
  })

  it('refuses two connection flags at once', () => {
    expect(() => connectionTarget({socket: '/s', 'data-dir': '/d'}, {}, socketFor)).to.throw(UsageError)
  })

  it('splits server lists on commas, ignoring blanks, and needs one server', () => {
    expect(serverList(' a:1 , ,b:2 ')).to.deep.equal(['a:1', 'b:2'])
    expect(() => serverList(' , ')).to.throw(UsageError)
  })

  it('refuses a malformed address as a usage error (exit 2)', () => {
    for (const bad of ['127.0.0.1', '127.0.0.1:99999', ':9092', 'host:port']) {
      expect(() => serverList(bad), bad).to.throw(UsageError, /invalid broker address/)
    }
  })
})
