import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {ApiKey} from '../../src/protocol/index.js'
import {StartFailedError} from '../../src/server/errors.js'
import {spawnDaemon} from '../../src/server/spawn-daemon.js'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'
import {WireClient} from './wire-client.js'

describe('daemon with broker configs', function () {
  this.timeout(60_000)
  let dataDir: string
  let daemon: TestDaemon | undefined
  let client: WireClient | undefined

  beforeEach(async () => { dataDir = await mkdtemp(join(tmpdir(), 'weir-broker-config-daemon-')) })
  afterEach(async () => {
    client?.close()
    await daemon?.stop().catch(() => undefined)
    daemon = undefined
    await rm(dataDir, {recursive: true, force: true})
  })

  it('reads server.properties at start: topics get its defaults, DescribeConfigs shows them, unknown keys are logged', async () => {
    await writeFile(join(dataDir, 'server.properties'), '# as a Kafka broker would have it\nbroker.id=0\nlog.retention.hours=2\n'
      + 'log.segment.bytes=2097152\n')
    daemon = await startTestDaemon({dataDir})
    client = await WireClient.connect(daemon.socket)
    await client.request(ApiKey.CreateTopics, 7, {topics: [{name: 'orders', numPartitions: 1, replicationFactor: 1, assignments: [],
      configs: [{name: 'segment.bytes', value: '4194304'}]}], timeoutMs: 1000, validateOnly: false})
    const {results} = await client.request(ApiKey.DescribeConfigs, 4, {resources: [
      {resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms', 'segment.bytes', 'segment.ms']},
      {resourceType: 4, resourceName: '1', configurationKeys: ['log.retention.hours', 'log.segment.bytes']}], includeSynonyms: false})
    const values = results.map(result => result.configs.map(c => [c.name, c.value, c.configSource]))
    expect(values).to.deep.equal([
      [['retention.ms', '7200000', 4], ['segment.bytes', '4194304', 1], ['segment.ms', '604800000', 5]],
      [['log.retention.hours', '2', 4], ['log.segment.bytes', '2097152', 4]],
    ])
    const log = await readFile(join(dataDir, 'server.log'), 'utf8')
    expect(log).to.match(/server.properties line 2: unknown broker config "broker.id" is ignored/)
    expect(log).to.match(/broker configs: log.retention.hours=2 \(server.properties\), log.segment.bytes=2097152 \(server.properties\)/)
  })

  it('does not start with an unknown --config key, saying which', async () => {
    const failure = await spawnDaemon({dataDir, tcp: null, configs: {'log.retention.hour': '2'}}, {detached: false})
      .then(() => null, (error: unknown) => error)
    expect(failure).to.be.instanceOf(StartFailedError)
    expect((failure as Error).message).to.match(/exit code 2\): weir daemon: --config: unknown broker config "log.retention.hour"$/)
  })
})
