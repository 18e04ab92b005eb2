import {expect} from 'chai'

import {corruptionLines, daemonLines, statusLines} from '../../src/cli/daemon-status-format.js'

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

describe('daemon status corruption lines', () => {
  const record = {updatedAt: 1, corruptions: [{topic: 'orders', partition: 2, offset: 17, reason: 'bad-crc'}, {topic: 'a', partition: 0, offset: 0, reason: 'missing'}]}

  it('counts the corrupt batches and gives each its own line: topic-partition, offset, reason', () => {
    const lines = statusLines(info, 1_000_000, [], record)
    expect(lines).to.include('corrupt:  2 batches not served (details in server.log)')
    expect(lines.slice(-2)).to.deep.equal(['CORRUPT orders-2 at offset 17: bad-crc', 'CORRUPT a-0 at offset 0: missing'])
    expect(corruptionLines(record.corruptions)).to.deep.equal(lines.slice(-2))
  })

  it('says none were found, or that the daemon published no list', () => {
    expect(statusLines(info, 1_000_000, [], {updatedAt: 1, corruptions: []})).to.include('corrupt:  none found')
    expect(statusLines(info, 1_000_000, [], null)).to.include('corrupt:  unknown: the daemon published no list')
  })
})
