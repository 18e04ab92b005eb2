import {spawnSync} from 'node:child_process'
import {access, mkdtemp, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {ApiKey, ErrorCode, splitBatches} from '../../src/protocol/index.js'
import {DAEMON_MAIN} from '../../src/server/spawn-daemon.js'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'
import {batchOf, produceBody} from '../broker/broker-harness.js'
import {WireClient} from './wire-client.js'

const exists = (path: string) => access(path).then(() => true, () => false)

describe('daemon process', function () {
  this.timeout(60_000)
  let daemon: TestDaemon
  let dataDir: string
  const clients: WireClient[] = []
  const connect = async (to: string | number) => {
    const client = await WireClient.connect(to)
    clients.push(client)
    return client
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'weir-daemon-test-'))
    daemon = await startTestDaemon({dataDir, defaultPartitions: 2})
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close()
    await daemon.stop().catch(() => undefined)
    await rm(dataDir, {recursive: true, force: true})
  })

  it('listens on a 0600 socket in its 0700 data dir and on TCP, and records itself', async () => {
    expect((await stat(daemon.socket)).mode & 0o777).to.equal(0o600)
    expect((await stat(dataDir)).mode & 0o777).to.equal(0o700)
    const info = JSON.parse(await readFile(join(dataDir, 'server.json'), 'utf8'))
    expect(info).to.include({pid: daemon.pid, socket: daemon.socket, tcp: daemon.bootstrap, dataDir})
    expect((await readFile(join(dataDir, 'weir.pid'), 'utf8')).trim()).to.equal(String(daemon.pid))
    for (const to of [daemon.socket, daemon.port]) {
      const metadata = await (await connect(to)).request(ApiKey.Metadata, 1, {topics: null})
      expect(metadata.brokers).to.deep.equal([{nodeId: 1, host: '127.0.0.1', port: daemon.port, rack: null}])
    }
  })

  it('refuses a second daemon on the same data dir, naming the pid that holds it', () => {
    const second = spawnSync(process.execPath, [DAEMON_MAIN, '--data-dir', dataDir, '--port', '0'], {encoding: 'utf8'})
    expect(second.status).to.equal(1)
    expect(second.stderr.trim().split('\n')).to.have.length(1)
    expect(second.stderr).to.contain(`pid ${daemon.pid}`)
  })

  it('refuses to start on an emptied cluster.json with one line naming the file', async () => {
    await daemon.stop()
    const clusterFile = join(dataDir, 'cluster.json')
    const kept = await readFile(clusterFile, 'utf8')
    await writeFile(clusterFile, '')
    const refused = spawnSync(process.execPath, [DAEMON_MAIN, '--data-dir', dataDir, '--port', '0'], {encoding: 'utf8'})
    expect(refused.status).to.equal(1)
    expect(refused.stderr.trim().split('\n')).to.have.length(1)
    expect(refused.stderr).to.contain(clusterFile).and.contain('empty')
    await writeFile(clusterFile, kept)
    await daemon.restart()
  })

  it('on SIGTERM removes its socket, pid file and server.json', async () => {
    await daemon.stop()
    for (const file of [daemon.socket, join(dataDir, 'weir.pid'), join(dataDir, 'server.json'), join(dataDir, '.lock')]) {
      expect(await exists(file), file).to.equal(false)
    }
    await daemon.restart()
  })

  it('stops gracefully on a SIGTERM sent the moment it reports itself ready', async () => {
    // The signal handlers are installed before server.json is written; a SIGTERM in a gap between
    // the two would end the daemon by the default action (exit by signal, no clean shutdown).
    for (let cycle = 0; cycle < 5; cycle++) {
      await daemon.stop()
      await daemon.restart()
    }
  })

  it('closes only the connection that sent bad bytes, and keeps serving', async () => {
    const good = await connect(daemon.port)
    const badSize = await connect(daemon.port)
    const badHeader = await connect(daemon.port)
    badSize.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xf0, 1, 2, 3]))
    badHeader.sendRaw(Buffer.from([0, 0, 0, 3, 0, 99, 1]))
    await Promise.all([badSize.closed, badHeader.closed])
    expect((await good.request(ApiKey.ApiVersions, 3, {clientSoftwareName: 'x', clientSoftwareVersion: '1'})).errorCode).to.equal(0)
    const log = await readFile(join(dataDir, 'server.log'), 'utf8')
    expect(log).to.match(/closing connection: negative frame size/)
    expect(log).to.match(/closing connection: malformed request header/)
  })

  it('keeps acks=1 records through kill -9 and a restart', async () => {
    const client = await connect(daemon.socket)
    await client.request(ApiKey.CreateTopics, 4, {topics: [{name: 'crash', numPartitions: 1, replicationFactor: 1, assignments: [], configs: []}], timeoutMs: 1000})
    for (const value of ['one', 'two', 'three']) {
      const response = await client.request(ApiKey.Produce, 7, produceBody('crash', 0, await batchOf([value]), 1))
      expect(response.responses[0].partitionResponses[0].errorCode).to.equal(0)
    }
    await daemon.kill9()
    await daemon.restart()
    const after = await connect(daemon.socket)
    const fetched = await after.request(ApiKey.Fetch, 11, {maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0,
      sessionId: 0, sessionEpoch: -1, topics: [{topic: 'crash', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20}]}],
      forgottenTopicsData: [], rackId: ''})
    const partition = fetched.responses[0].partitions[0]
    expect(partition).to.include({errorCode: 0, highWatermark: 3})
    expect(splitBatches(partition.records as Buffer)).to.have.length(3)
  })

  it('answers in request order on a connection with a pending long poll, other connections unblocked', async () => {
    const polling = await connect(daemon.socket)
    const other = await connect(daemon.socket)
    await other.request(ApiKey.Metadata, 1, {topics: [{name: 'quiet'}]})
    const order: string[] = []
    const fetch = polling.request(ApiKey.Fetch, 11, {maxWaitMs: 30_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0,
      sessionId: 0, sessionEpoch: -1, topics: [{topic: 'quiet', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20}]}],
      forgottenTopicsData: [], rackId: ''}).then(r => { order.push('fetch'); return r })
    const behind = polling.request(ApiKey.ApiVersions, 0, {}).then(() => { order.push('apiVersions') })
    const produced = await other.request(ApiKey.Produce, 7, produceBody('quiet', 0, await batchOf(['wake']), 1))
    expect(produced.responses[0].partitionResponses[0].errorCode).to.equal(0)
    await Promise.all([fetch, behind])
    expect(order).to.deep.equal(['fetch', 'apiVersions'])
    expect((await fetch).responses[0].partitions[0].highWatermark).to.equal(1)
  })

  it('serves pipelined CreateTopics, Metadata and Produce on one connection one after another', async () => {
    const client = await connect(daemon.socket)
    const batch = await batchOf(['first'])
    const created = client.request(ApiKey.CreateTopics, 4, {topics: [{name: 'piped', numPartitions: 1, replicationFactor: 1,
      assignments: [], configs: []}], timeoutMs: 1000, validateOnly: false})
    const described = client.request(ApiKey.Metadata, 4, {topics: [{name: 'piped'}], allowAutoTopicCreation: false})
    const produced = client.request(ApiKey.Produce, 7, produceBody('piped', 0, batch, 1))
    expect((await created).topics[0].errorCode).to.equal(0)
    expect((await described).topics[0].errorCode).to.equal(0)
    expect((await produced).responses[0].partitionResponses[0].errorCode).to.equal(0)
  })

  it('answers a pending long poll when stopped gracefully', async () => {
    const polling = await connect(daemon.socket)
    await polling.request(ApiKey.Metadata, 1, {topics: [{name: 'idle'}]})
    const fetch = polling.request(ApiKey.Fetch, 11, {maxWaitMs: 30_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0,
      sessionId: 0, sessionEpoch: -1, topics: [{topic: 'idle', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20}]}],
      forgottenTopicsData: [], rackId: ''})
    await daemon.stop()
    const partition = (await fetch).responses[0].partitions[0]
    expect(partition.errorCode).to.equal(ErrorCode.NONE)
    expect((partition.records as Buffer).length).to.equal(0)
    await polling.closed
    await daemon.restart()
  })
})
