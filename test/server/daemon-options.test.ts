import {expect} from 'chai'
import {daemonArgs, parseDaemonArgs, type DaemonOptions} from '../../src/server/daemon-options.js'
import {DaemonUsageError} from '../../src/server/errors.js'

describe('daemon options', () => {
  it('parses what daemonArgs writes', () => {
    const options: DaemonOptions[] = [
      {dataDir: '/tmp/a', tcp: {host: '127.0.0.1', port: 0}, autoCreateTopics: true, defaultPartitions: 1},
      {dataDir: '/tmp/b', tcp: null, autoCreateTopics: false, defaultPartitions: 12},
    ]
    for (const opts of options) expect(parseDaemonArgs(daemonArgs(opts))).to.deep.equal(opts)
  })

  it('defaults to 127.0.0.1:9092, auto-creation on, one partition', () => {
    expect(parseDaemonArgs(['--data-dir', '/tmp/x'])).to.deep.equal({dataDir: '/tmp/x',
      tcp: {host: '127.0.0.1', port: 9092}, autoCreateTopics: true, defaultPartitions: 1})
  })

  for (const bad of [['--port', '70000'], ['--port', 'x'], ['--default-partitions', '0'], ['--no-tcp', '--port', '1'], ['--what'], ['extra']]) {
    it(`refuses ${bad.join(' ')}`, () => {
      expect(() => parseDaemonArgs(bad)).to.throw(DaemonUsageError)
    })
  }
})
