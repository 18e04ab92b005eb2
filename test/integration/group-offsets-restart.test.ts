// Committed offsets survive daemon restarts: offsets committed over TCP (OffsetCommit as admin tools
// send it, generation -1 and no member) are read back with OffsetFetch after a graceful stop and
// after a kill -9 right after the commit was acknowledged (the commit is flushed before the answer),
// for several groups placed in different __consumer_offsets partitions; deleted offsets stay deleted.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {Connection} from '../../src/client/connection.js'
import {ApiKey, ErrorCode, consumerOffsetsPartition} from '../../src/protocol/index.js'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'

const PARTITIONS = 5
const GROUPS = ['restart-a', 'restart-b', 'restart-c']

describe('committed offsets across daemon restarts', function () {
  this.timeout(120_000)
  let dataDir: string
  let daemon: TestDaemon
  let connection: Connection | undefined

  const connect = async (): Promise<Connection> => {
    connection?.close()
    connection = await Connection.open({address: {kind: 'tcp', host: '127.0.0.1', port: daemon.port}, clientId: 'offsets-restart-test',
      requestTimeoutMs: 30_000})
    return connection
  }

  const commit = async (groupId: string, offsets: number[]): Promise<number[]> => {
    const response = await connection!.request(ApiKey.OffsetCommit, 8, {groupId, generationIdOrMemberEpoch: -1, memberId: '',
      groupInstanceId: null, retentionTimeMs: -1, topics: [{name: 'events', partitions: offsets.map((committedOffset, partitionIndex) =>
        ({partitionIndex, committedOffset, committedLeaderEpoch: 0, commitTimestamp: -1, committedMetadata: `meta-${committedOffset}`}))}]})
    return response.topics[0].partitions.map(p => p.errorCode)
  }

  const committed = async (groupId: string): Promise<string[]> => {
    const response = await connection!.request(ApiKey.OffsetFetch, 8, {groupId: '', topics: [], requireStable: false,
      groups: [{groupId, memberId: null, memberEpoch: -1, topics: null}]})
    return response.groups[0].topics.flatMap(t => t.partitions.map(p => `${t.name}-${p.partitionIndex}@${p.committedOffset} ${p.metadata}`))
  }

  before(async () => {
    // a data directory of our own: stop() would remove its own temp directory, and the restarts need it
    dataDir = await mkdtemp(join(tmpdir(), 'weir-offsets-restart-'))
    daemon = await startTestDaemon({dataDir, configs: {'offsets.topic.num.partitions': String(PARTITIONS)}})
    await connect()
    const created = await connection!.request(ApiKey.CreateTopics, 7, {topics: [{name: 'events', numPartitions: 3, replicationFactor: 1,
      assignments: [], configs: []}], timeoutMs: 5000, validateOnly: false})
    expect(created.topics[0].errorCode).to.equal(0)
  })

  after(async () => {
    connection?.close()
    await daemon?.stop()
    await rm(dataDir, {recursive: true, force: true})
  })

  it('places the test groups in more than one __consumer_offsets partition', () => {
    expect(new Set(GROUPS.map(g => consumerOffsetsPartition(g, PARTITIONS))).size).to.be.greaterThan(1)
  })

  it('keeps every committed offset over a graceful restart', async () => {
    for (const [i, group] of GROUPS.entries()) expect(await commit(group, [10 + i, 20 + i, 30 + i])).to.deep.equal([0, 0, 0])
    await daemon.stop()
    await daemon.restart()
    await connect()
    for (const [i, group] of GROUPS.entries()) {
      expect(await committed(group)).to.deep.equal([`events-0@${10 + i} meta-${10 + i}`, `events-1@${20 + i} meta-${20 + i}`,
        `events-2@${30 + i} meta-${30 + i}`])
    }
  })

  it('keeps an acknowledged commit over a kill -9 right after it, and deletions too', async () => {
    for (const [i, group] of GROUPS.entries()) expect(await commit(group, [100 + i, 200 + i, 300 + i])).to.deep.equal([0, 0, 0])
    const deleted = await connection!.request(ApiKey.OffsetDelete, 0, {groupId: 'restart-b', topics: [{name: 'events',
      partitions: [{partitionIndex: 1}]}]})
    expect(deleted.errorCode).to.equal(ErrorCode.NONE)
    expect(deleted.topics[0].partitions[0].errorCode).to.equal(ErrorCode.NONE)
    await daemon.kill9()
    await daemon.restart()
    await connect()
    expect(await committed('restart-a')).to.deep.equal(['events-0@100 meta-100', 'events-1@200 meta-200', 'events-2@300 meta-300'])
    expect(await committed('restart-b')).to.deep.equal(['events-0@101 meta-101', 'events-2@301 meta-301'])
    expect(await committed('restart-c')).to.deep.equal(['events-0@102 meta-102', 'events-1@202 meta-202', 'events-2@302 meta-302'])
  })

  it('keeps the last of many acknowledged commits over a kill -9', async () => {
    for (let round = 0; round < 50; round++) expect(await commit('restart-a', [round, round, round])).to.deep.equal([0, 0, 0])
    await daemon.kill9()
    await daemon.restart()
    await connect()
    expect(await committed('restart-a')).to.deep.equal(['events-0@49 meta-49', 'events-1@49 meta-49', 'events-2@49 meta-49'])
  })
})
