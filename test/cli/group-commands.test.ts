/**
 * The consumer-groups commands as a user runs them, against the fake cluster with three brokers over
 * TCP (--bootstrap-server): each group has its own coordinator, ListGroups goes to every broker.
 * The CLI is a child process run asynchronously, so the fake cluster in this process can answer it.
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {encodeAssignment, encodeSubscription} from '../../src/protocol/index.js'
import {FakeCluster} from '../client/fake-cluster.js'
import {fakeGroups, type FakeGroupMember, type FakeGroups} from '../client/fake-group-admin-apis.js'
import {runCliAsync} from './group-cli-runner.js'
import {type ProcessResult, cliEnvironment, expectOneErrorLine} from './weir-process.js'

function member(memberId: string, topics: string[], assigned: {topic: string; partitions: number[]}[]): FakeGroupMember {
  return {memberId, groupInstanceId: null, clientId: 'app', clientHost: '/10.0.0.7',
    metadata: encodeSubscription({topics}), assignment: encodeAssignment({assignedPartitions: assigned})}
}

describe('weir consumer-groups against a three-broker cluster', function () {
  this.timeout(60_000)
  const scratch = mkdtempSync(join(tmpdir(), 'weir-groups-cli-'))
  const env = cliEnvironment(scratch)
  let fake: FakeCluster
  let groups: FakeGroups

  function weir(...args: string[]): Promise<ProcessResult> {
    const address = fake.nodes[0]!.address as {port: number}
    return runCliAsync([...args, '--bootstrap-server', `127.0.0.1:${address.port}`], env)
  }

  beforeEach(async () => {
    fake = await FakeCluster.start({transport: 'tcp', nodes: 3})
    groups = fakeGroups(fake)
    const orders = fake.createTopic('orders', 2)
    orders.partitions[0]!.highWatermark = 15
    orders.partitions[1]!.highWatermark = 40
    orders.partitions[1]!.logStartOffset = 30
    groups.add('orders-app', {state: 'Stable', protocolType: 'consumer', protocol: 'range', members: [
      member('app-1', ['orders'], [{topic: 'orders', partitions: [0, 1]}]),
      member('app-2', ['orders'], []),
    ]})
    groups.commit('orders-app', 'orders', 0, 10)
    groups.commit('orders-app', 'orders', 1, 12)
    groups.add('batch-job')
    groups.commit('batch-job', 'orders', 0, 15)
  })

  afterEach(async () => {
    await fake.stop()
  })

  after(() => rmSync(scratch, {recursive: true, force: true}))

  it('lists the groups of every broker', async () => {
    const result = await weir('consumer-groups', 'list')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stdout).to.equal([
      'GROUP       STATE   PROTOCOL-TYPE  MEMBERS',
      'batch-job   Empty   -              0',
      'orders-app  Stable  consumer       2',
      '',
    ].join('\n'))
    const json = await weir('consumer-groups', 'list', '--state', 'stable', '--json')
    expect(JSON.parse(json.stdout)).to.deep.equal([{group: 'orders-app', state: 'Stable', protocolType: 'consumer', members: 2}])
    expectOneErrorLine(await weir('consumer-groups', 'list', '--state', 'asleep'), 2)
  })

  it('describes offsets and lag, never counting records below the log start', async () => {
    const result = await weir('consumer-groups', 'describe', 'orders-app')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stderr).to.equal('')
    expect(result.stdout).to.equal([
      'GROUP       TOPIC   PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID  HOST       CLIENT-ID',
      'orders-app  orders  0          10              15              5    app-1        /10.0.0.7  app',
      'orders-app  orders  1          12              40              10   app-1        /10.0.0.7  app',
      'orders-app  -       -          -               -               -    app-2        /10.0.0.7  app',
      '',
      'Total lag of group orders-app: 15',
      '',
    ].join('\n'))
  })

  it('says a group has no active members on stderr and still shows its offsets', async () => {
    const result = await weir('consumer-groups', 'describe', 'batch-job')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stderr).to.equal("Consumer group 'batch-job' has no active members.\n")
    expect(result.stdout.split('\n')[1]).to.equal('batch-job  orders  0          15              15              0    -            -     -')
  })

  it('fails on a group that does not exist, after showing the others', async () => {
    expect(expectOneErrorLine(await weir('consumer-groups', 'describe', 'ghost'), 1))
      .to.equal("Error: Consumer group 'ghost' does not exist. List groups with: weir consumer-groups list")
    const mixed = await weir('consumer-groups', 'describe', 'ghost', 'orders-app', '--state')
    expect(mixed.status).to.equal(1)
    expect(mixed.stdout).to.match(/^GROUP {7}COORDINATOR \(ID\) +ASSIGNMENT-STRATEGY  STATE   #MEMBERS\norders-app  127\.0\.0\.1:\d+ \(\d\) +range +Stable  2\n$/)
    expect(mixed.stderr).to.contain("Consumer group 'ghost' does not exist.")
  })

  it('describes members and every group as JSON', async () => {
    const members = await weir('consumer-groups', 'describe', 'orders-app', '--members')
    expect(members.stdout.split('\n')[1]).to.equal('orders-app  app-1        /10.0.0.7  app        2            orders(0,1)')
    const json = JSON.parse((await weir('consumer-groups', 'describe', '--all-groups', '--json')).stdout)
    expect(json.groups.map((g: {group: string; totalLag: number}) => [g.group, g.totalLag])).to.deep.equal([['batch-job', 0], ['orders-app', 15]])
    expect(json.groups[1].coordinator.id).to.equal(groups.coordinatorOf('orders-app'))
  })

  it('refuses usage errors with exit 2', async () => {
    expectOneErrorLine(await weir('consumer-groups', 'describe'), 2)
    expectOneErrorLine(await weir('consumer-groups', 'describe', 'g', '--all-groups'), 2)
    expectOneErrorLine(await weir('consumer-groups', 'describe', 'g', '--members', '--state'), 2)
    expectOneErrorLine(await weir('consumer-groups', 'describe', 'g', '--watch', '0'), 2)
    expectOneErrorLine(await weir('consumer-groups', 'delete', 'batch-job'), 2)
  })

  it('deletes an empty group and refuses one with members in Kafka\'s words', async () => {
    const deleted = await weir('consumer-groups', 'delete', 'batch-job', '--yes')
    expect(deleted.status, deleted.stderr).to.equal(0)
    expect(deleted.stdout).to.equal("Deletion of requested consumer groups ('batch-job') was successful.\n")
    expect(groups.groups.has('batch-job')).to.equal(false)
    expect(expectOneErrorLine(await weir('consumer-groups', 'delete', 'orders-app', '--yes'), 1)).to.equal(
      "Error: Consumer group 'orders-app' could not be deleted: The group is not empty (NON_EMPTY_GROUP). " +
      'Stop its consumers first; see who they are with: weir consumer-groups describe orders-app --members')
  })

  it('deletes offsets per partition and refuses a topic the group consumes', async () => {
    fake.createTopic('old', 2)
    groups.commit('batch-job', 'old', 1, 3)
    const result = await weir('consumer-groups', 'delete-offsets', 'batch-job', '--topic', 'old')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stdout).to.equal('TOPIC  PARTITION  STATUS\nold    0          Successful\nold    1          Successful\n')
    expect(groups.groups.get('batch-job')!.offsets.get('old')!.size).to.equal(0)
    const refused = await weir('consumer-groups', 'delete-offsets', 'orders-app', '--topic', 'orders:1')
    expect(refused.status).to.equal(1)
    expect(refused.stdout).to.equal('TOPIC   PARTITION  STATUS\norders  1          The consumer group is actively subscribed to the topic (GROUP_SUBSCRIBED_TO_TOPIC)\n')
    expect(refused.stderr).to.match(/^Error: could not delete the offsets of 1 of 1 partitions of group 'orders-app'/)
    expect(expectOneErrorLine(await weir('consumer-groups', 'delete-offsets', 'ghost', '--topic', 'orders'), 1))
      .to.match(/^Error: Consumer group 'ghost' does not exist\./)
  })
})
