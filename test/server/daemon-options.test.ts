import {expect} from 'chai'
import {daemonArgs, parseDaemonArgs, type DaemonOptions} from '../../src/server/daemon-options.js'
import {DaemonUsageError} from '../../src/server/errors.js'

describe('daemon options', () => {
  it('parses what daemonArgs writes', () => {
    const options: DaemonOptions[] = [
      {dataDir: '/tmp/a', tcp: {host: '127.0.0.1', port: 0}, autoCreateTopics: true, defaultPartitions: 1},
      {dataDir: '/tmp/b', tcp: null, autoCreateTopics: false, defaultPartitions: 12},
      {dataDir: '/tmp/c', tcp: null, configs: {'log.retention.hours': '2', 'cleanup.policy.x': 'a=b'}},
    ]
    for (const opts of options) expect(parseDaemonArgs(daemonArgs(opts))).to.deep.equal(opts)
  })

  it('defaults to 127.0.0.1:9092, leaving broker configs to server.properties and the defaults', () => {
    expect(parseDaemonArgs(['--data-dir', '/tmp/x'])).to.deep.equal({dataDir: '/tmp/x', tcp: {host: '127.0.0.1', port: 9092}})
  })

  it('reads repeated --config KEY=VALUE, the last of a key winning, values kept as given', () => {
    expect(parseDaemonArgs(['--data-dir', '/x', '--config', 'a=1', '--config', 'b= x=y', '--config', 'a=2']).configs)
      .to.deep.equal({a: '2', b: ' x=y'})
  })

  for (const bad of [['--port', '70000'], ['--port', 'x'], ['--default-partitions', '0'], ['--no-tcp', '--port', '1'], ['--what'], ['extra'],
    ['--config', 'novalue'], ['--config', '=1'], ['--auto-create-topics', '--no-auto-create-topics']]) {
    it(`refuses ${bad.join(' ')}`, () => {
      expect(() => parseDaemonArgs(bad)).to.throw(DaemonUsageError)
    })
  }
})
