/**
 * `weir transactions list | describe | describe-producers` as a user runs them, against the fake cluster
 * with three brokers over TCP (--bootstrap-server) whose transaction APIs are test/client/admin-transactions-fake.ts.
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {fakeTransactions, type FakeTransactions} from '../client/admin-transactions-fake.js'
import {FakeCluster} from '../client/fake-cluster.js'
import {fakeGroups} from '../client/fake-group-admin-apis.js'
import {runCliAsync} from './group-cli-runner.js'
import {type ProcessResult, cliEnvironment, expectOneErrorLine} from './weir-process.js'

const STARTED = Date.UTC(2024, 4, 1, 12, 0, 0)

describe('weir transactions against a three-broker cluster', function () {
  this.timeout(60_000)
  const scratch = mkdtempSync(join(tmpdir(), 'weir-transactions-cli-'))
  const env = cliEnvironment(scratch)
  let fake: FakeCluster
  let transactions: FakeTransactions

  function weir(...args: string[]): Promise<ProcessResult> {
    const address = fake.nodes[0]!.address as {port: number}
    return runCliAsync([...args, '--bootstrap-server', `127.0.0.1:${address.port}`], env)
  }

  beforeEach(async () => {
    fake = await FakeCluster.start({transport: 'tcp', nodes: 3})
    const groups = fakeGroups(fake)
    transactions = fakeTransactions(fake, groups)
    groups.moveCoordinator('orders-loader', 2)
    groups.moveCoordinator('billing', 3)
    transactions.add({transactionalId: 'orders-loader', producerId: 4001, producerEpoch: 5, state: 'Ongoing', timeoutMs: 60_000, startTimeMs: STARTED,
      partitions: [{topic: 'orders', partition: 1}, {topic: 'orders', partition: 0}]})
    transactions.add({transactionalId: 'billing', producerId: 4002, producerEpoch: 0, state: 'CompleteAbort'})
    fake.createTopic('orders', 2)
    transactions.setProducers('orders', 1, [
      {producerId: 4001, producerEpoch: 5, lastSequence: 99, lastTimestamp: STARTED + 1500, coordinatorEpoch: 3, currentTxnStartOffset: 1200},
      {producerId: 17, producerEpoch: 0, lastSequence: 4, lastTimestamp: -1, coordinatorEpoch: -1, currentTxnStartOffset: -1},
    ])
  })
  afterEach(async () => {
    await fake.stop()
  })
  after(() => rmSync(scratch, {recursive: true, force: true}))

  it('lists the transactional ids of every broker, filtered by state in any case', async () => {
    const result = await weir('transactions', 'list')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stdout).to.equal([
      'TRANSACTIONAL-ID  COORDINATOR  PRODUCER-ID  STATE',
      'billing           3            4002         CompleteAbort',
      'orders-loader     2            4001         Ongoing',
      '',
    ].join('\n'))
    const json = await weir('transactions', 'list', '--state', 'ongoing', '--json')
    expect(JSON.parse(json.stdout)).to.deep.equal([{transactionalId: 'orders-loader', coordinator: 2, producerId: 4001, state: 'Ongoing'}])
    const none = await weir('transactions', 'list', '--state', 'PrepareCommit')
    expect(none.status, none.stderr).to.equal(0)
    expect(none.stdout).to.equal('')
    expect(expectOneErrorLine(await weir('transactions', 'list', '--state', 'asleep'), 2)).to.match(/unknown transaction state 'asleep'/)
  })

  it('describes a transactional id at its coordinator', async () => {
    const result = await weir('transactions', 'describe', 'orders-loader')
    expect(result.status, result.stderr).to.equal(0)
    const [header, row, ...rest] = result.stdout.split('\n')
    expect(header!.split(/\s{2,}/)).to.deep.equal(
      ['COORDINATOR', 'TRANSACTIONAL-ID', 'PRODUCER-ID', 'EPOCH', 'STATE', 'TIMEOUT-MS', 'START-TIME', 'DURATION-MS', 'PARTITIONS'])
    const cells = row!.split(/\s{2,}/)
    expect(cells.slice(0, 7)).to.deep.equal(['2', 'orders-loader', '4001', '5', 'Ongoing', '60000', '2024-05-01T12:00:00.000Z'])
    expect(Number(cells[7])).to.be.greaterThan(0)
    expect(cells[8]).to.equal('orders-0,orders-1')
    expect(rest).to.deep.equal([''])
    const json = JSON.parse((await weir('transactions', 'describe', 'billing', '--json')).stdout)
    expect(json).to.deep.equal({transactionalId: 'billing', coordinator: 3, producerId: 4002, producerEpoch: 0, state: 'CompleteAbort',
      timeoutMs: 60_000, startTimeMs: null, durationMs: null, partitions: []})
    const idle = await weir('transactions', 'describe', 'billing')
    expect(idle.stdout.split('\n')[1]!.split(/\s{2,}/)).to.deep.equal(['3', 'billing', '4002', '0', 'CompleteAbort', '60000', '-', '-', '-'])
  })

  it('an unknown transactional id is one error line', async () => {
    const line = expectOneErrorLine(await weir('transactions', 'describe', 'nobody'), 1)
    expect(line).to.match(/transactional id 'nobody' does not exist/)
    const json = await weir('transactions', 'describe', 'nobody', '--json')
    expect(json.status).to.equal(1)
    expect(JSON.parse(json.stdout).error.code).to.equal('WEIR_ERR_UNKNOWN_TRANSACTIONAL_ID')
  })

  it('describes the active producers of a partition at its leader', async () => {
    const result = await weir('transactions', 'describe-producers', '--topic', 'orders', '--partition', '1')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stdout).to.equal([
      'PRODUCER-ID  EPOCH  LATEST-COORDINATOR-EPOCH  LAST-SEQUENCE  LAST-TIMESTAMP            CURRENT-TRANSACTION-START-OFFSET',
      '17           0      -1                        4              -                         -',
      '4001         5      3                         99             2024-05-01T12:00:01.500Z  1200',
      '',
    ].join('\n'))
    const json = JSON.parse((await weir('transactions', 'describe-producers', '--topic', 'orders', '--partition', '0', '--json')).stdout)
    expect(json).to.deep.equal({topic: 'orders', partition: 0, producers: []})
  })

  it('describe-producers names a missing topic or partition, and a broker error, in one line', async () => {
    expect(expectOneErrorLine(await weir('transactions', 'describe-producers', '--topic', 'nope', '--partition', '0'), 1)).to.match(/topic 'nope' does not exist/)
    expect(expectOneErrorLine(await weir('transactions', 'describe-producers', '--topic', 'orders', '--partition', '7'), 2)).to.match(/no partition 7/)
    fake.intercept(ApiKey.DescribeProducers, (request) => ({throttleTimeMs: 0, topics: request.topics.map((t) => ({name: t.name,
      partitions: t.partitionIndexes.map((partitionIndex) => ({partitionIndex, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: null, activeProducers: []}))}))}))
    expect(expectOneErrorLine(await weir('transactions', 'describe-producers', '--topic', 'orders', '--partition', '0'), 1)).to.match(/orders\/0/)
  })
})
