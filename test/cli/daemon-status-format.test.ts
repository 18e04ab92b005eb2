import {expect} from 'chai'

import {daemonLines, statusLines} from '../../src/cli/daemon-status-format.js'

const info = {pid: 4242, startedAt: 1_000_000, dataDir: '/home/u/.weir', socket: '/home/u/.weir/weir.sock', tcp: '127.0.0.1:9092', version: '0.1.0'}

describe('daemon status lines', () => {
  it('says where a started daemon is', () => {
    expect(daemonLines(info)).to.deep.equal([
      'pid:      4242',
      'version:  0.1.0',
      'data dir: /home/u/.weir',
      'socket:   /home/u/.weir/weir.sock',
      'tcp:      127.0.0.1:9092',
    ])
  })

  it('shows uptime, tcp off and the topics', () => {
    const lines = statusLines({...info, tcp: null}, 1_000_000 + 65_000, ['a', 'b'])
    expect(lines).to.include('status:   running')
    expect(lines).to.include('uptime:   1m 5s')
    expect(lines).to.include('tcp:      off')
    expect(lines).to.include('topics:   2 (a, b)')
  })

  it('says why topics are unknown', () => {
    expect(statusLines(info, 1_000_000, {error: 'timed out'})).to.include('topics:   unknown: timed out')
    expect(statusLines(info, 1_000_000, [])).to.include('topics:   0')
  })
})
