/**
 * `weir consumer-groups reset-offsets` as a user runs it, against a real daemon on a temp data directory
 * and a free port: offsets committed with the client's Admin, reset by the CLI (from the build this file
 * was compiled into), read back with the Admin. A group with a member is held Stable by a raw JoinGroup
 * and SyncGroup, so the refusal does not depend on any consumer implementation.
 */
import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {Connection} from '../../src/client/connection.js'
import {KafkaClient} from '../../src/client/index.js'
import {negotiateVersions} from '../../src/client/versions.js'
import {ApiKey, CONSUMER_PROTOCOL_TYPE, ErrorCode, encodeAssignment, encodeSubscription} from '../../src/protocol/index.js'
import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {type ProcessResult, cliEnvironment, expectOneErrorLine, runCli} from './weir-process.js'

const runner = join(dirname(fileURLToPath(import.meta.url)), 'weir-from-build.js')
const scratch = mkdtempSync(join(tmpdir(), 'weir-reset-offsets-'))
const env = cliEnvironment(scratch)
/** Records of orders/0 are written 1 s apart from this time, those of orders/1 too. */
const base = Date.UTC(2024, 4, 1, 12)

describe('weir consumer-groups reset-offsets against a daemon', function () {
  this.timeout(120_000)
  let daemon: TestDaemon
  let client: KafkaClient

  function weir(args: string[], input?: string): ProcessResult {
    return runCli(runner, [...args, '--socket', daemon.socket], env, input)
  }

  function reset(...args: string[]): ProcessResult {
    return weir(['consumer-groups', 'reset-offsets', ...args])
  }

  async function commit(group: string, offsets: [string, number, number][]): Promise<void> {
    const answers = await client.admin().alterGroupOffsets(group, offsets.map(([topic, partition, offset]) => ({topic, partition, offset})))
    expect(answers.every((answer) => answer.errorCode === 0), JSON.stringify(answers)).to.equal(true)
  }

  /** The group's committed offsets as `topic/partition=offset`, sorted. */
  async function committed(group: string): Promise<string[]> {
    return (await client.admin().listGroupOffsets(group)).map((o) => `${o.topic}/${o.partition}=${o.offset}`).sort()
  }

  function produceAt(topic: string, partition: number, count: number): void {
    const lines = Array.from({length: count}, (_, i) => JSON.stringify({key: null, value: `r${i}`, timestamp: base + 1000 * i, headers: []})).join('\n') + '\n'
    const produced = weir(['produce', topic, '--json', '--partition', String(partition), '-q'], lines)
    expect(produced.status, produced.stderr).to.equal(0)
  }

  before(async () => {
    daemon = await startTestDaemon({configs: {'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000'}})
    client = await KafkaClient.connect({socket: daemon.socket, clientId: 'reset-offsets-test'})
    expect(weir(['topics', 'create', 'orders', '--partitions', '2']).status).to.equal(0)
    expect(weir(['topics', 'create', 'audit', '--partitions', '1']).status).to.equal(0)
    produceAt('orders', 0, 10)
    produceAt('orders', 1, 4)
    produceAt('audit', 0, 3)
  })

  after(async () => {
    await client?.close()
    await daemon?.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  it('prints the plan without changing anything unless --execute is given', async () => {
    await commit('dry', [['orders', 0, 6], ['orders', 1, 2]])
    const dry = reset('--group', 'dry', '--topic', 'orders', '--to-earliest')
    expect(dry.status, dry.stderr).to.equal(0)
    expect(dry.stdout.split('\n')).to.deep.equal([
      'GROUP  TOPIC   PARTITION  NEW-OFFSET',
      'dry    orders  0          0',
      'dry    orders  1          0',
      '',
    ])
    expect(dry.stderr).to.include('Dry run: nothing was committed')
    expect(await committed('dry')).to.deep.equal(['orders/0=6', 'orders/1=2'])

    const executed = reset('--group', 'dry', '--topic', 'orders:1', '--to-latest', '--execute')
    expect(executed.status, executed.stderr).to.equal(0)
    expect(executed.stdout).to.equal('GROUP  TOPIC   PARTITION  NEW-OFFSET\ndry    orders  1          4\n')
    expect(executed.stderr).to.equal('')
    expect(await committed('dry')).to.deep.equal(['orders/0=6', 'orders/1=4'])
  })

  it('shifts committed offsets and clamps what falls outside the log, with a warning', async () => {
    await commit('shift', [['orders', 0, 8], ['orders', 1, 1]])
    const shifted = reset('--group', 'shift', '--all-topics', '--shift-by', '-3', '--execute')
    expect(shifted.status, shifted.stderr).to.equal(0)
    expect(shifted.stderr).to.include("Warning: new offset -2 for orders/1 of group 'shift' is below its log start offset; it will be set to 0.")
    expect(await committed('shift')).to.deep.equal(['orders/0=5', 'orders/1=0'])

    const planned = JSON.parse(reset('--group', 'shift', '--topic', 'orders:0', '--to-offset', '99', '--json').stdout)
    expect(planned.executed).to.equal(false)
    expect(planned.warnings).to.deep.equal(["new offset 99 for orders/0 of group 'shift' is past its log end offset; it will be set to 10."])
    const past = reset('--group', 'shift', '--topic', 'orders:0', '--to-offset', '99', '--execute')
    expect(past.status, past.stderr).to.equal(0)
    expect(await committed('shift')).to.deep.equal(['orders/0=10', 'orders/1=0'])
  })

  it('moves to a time, as Kafka reads --to-datetime, and by a duration', async () => {
    const timed = reset('--group', 'timed', '--topic', 'orders', '--to-datetime', '2024-05-01T12:00:02.500', '--execute')
    expect(timed.status, timed.stderr).to.equal(0)
    expect(await committed('timed')).to.deep.equal(['orders/0=3', 'orders/1=3'])
    // Every record is years old: a day back from now finds none, so the log end.
    const recent = reset('--group', 'timed', '--topic', 'orders', '--by-duration', 'P1D', '--execute')
    expect(recent.status, recent.stderr).to.equal(0)
    expect(await committed('timed')).to.deep.equal(['orders/0=10', 'orders/1=4'])
  })

  it('keeps committed offsets with --to-current and uses the log end without one', async () => {
    await commit('current', [['orders', 0, 7]])
    const current = reset('--group', 'current', '--topic', 'orders', '--to-current', '--json')
    expect(current.status, current.stderr).to.equal(0)
    expect(JSON.parse(current.stdout)).to.deep.equal({executed: false, offsets: [
      {group: 'current', topic: 'orders', partition: 0, offset: 7, currentOffset: 7, error: null},
      {group: 'current', topic: 'orders', partition: 1, offset: 4, currentOffset: null, error: null},
    ], warnings: []})
  })

  it('exports Kafka\'s CSV and reads it back from a file and from stdin', async () => {
    await commit('saved', [['orders', 0, 9], ['audit', 0, 2]])
    const exported = reset('--group', 'saved', '--all-topics', '--to-current', '--export')
    expect(exported.status, exported.stderr).to.equal(0)
    expect(exported.stdout).to.equal('audit,0,2\norders,0,9\n')
    const file = join(scratch, 'saved.csv')
    writeFileSync(file, exported.stdout)

    await commit('saved', [['orders', 0, 1], ['audit', 0, 0]])
    const restored = reset('--group', 'saved', '--from-file', file, '--execute')
    expect(restored.status, restored.stderr).to.equal(0)
    expect(await committed('saved')).to.deep.equal(['audit/0=2', 'orders/0=9'])

    const piped = weir(['consumer-groups', 'reset-offsets', '--group', 'saved', '--from-file', '-', '--topic', 'orders', '--execute'], 'orders,0,4\naudit,0,0\n')
    expect(piped.status, piped.stderr).to.equal(0)
    expect(await committed('saved')).to.deep.equal(['audit/0=2', 'orders/0=4'])
  })

  it('writes the group column for several groups, and reads it back', async () => {
    await commit('multi-a', [['audit', 0, 1]])
    await commit('multi-b', [['audit', 0, 2]])
    const exported = reset('--group', 'multi-a', '--group', 'multi-b', '--all-topics', '--to-earliest', '--export')
    expect(exported.status, exported.stderr).to.equal(0)
    expect(exported.stdout).to.equal('multi-a,audit,0,0\nmulti-b,audit,0,0\n')
    const file = join(scratch, 'multi.csv')
    writeFileSync(file, 'multi-a,audit,0,3\nmulti-b,audit,0,1\n')
    const restored = reset('--group', 'multi-a', '--group', 'multi-b', '--from-file', file, '--execute')
    expect(restored.status, restored.stderr).to.equal(0)
    expect(await committed('multi-a')).to.deep.equal(['audit/0=3'])
    expect(await committed('multi-b')).to.deep.equal(['audit/0=1'])
    expect(readFileSync(file, 'utf8')).to.include('multi-a')
  })

  it('gives a new group offsets, and works over TCP with --bootstrap-server', async () => {
    const result = runCli(runner, ['consumer-groups', 'reset-offsets', '--group', 'fresh', '--topic', 'audit', '--to-offset', '1', '--execute',
      '--bootstrap-server', daemon.bootstrap], env)
    expect(result.status, result.stderr).to.equal(0)
    expect(await committed('fresh')).to.deep.equal(['audit/0=1'])
  })

  it('refuses a group with an active member in Kafka\'s words, and changes nothing', async () => {
    await commit('live', [['orders', 0, 5]])
    const member = await joinGroup(daemon.socket, 'live', 'orders')
    try {
      const refused = reset('--group', 'live', '--topic', 'orders', '--to-earliest', '--execute')
      expect(expectOneErrorLine(refused, 1)).to.match(/^Error: Assignments can only be reset if the group 'live' is inactive, but the current state is Stable\./)
      expect(await committed('live')).to.deep.equal(['orders/0=5'])
    } finally {
      await member.leave()
    }
    const afterLeave = reset('--group', 'live', '--topic', 'orders', '--to-earliest', '--execute')
    expect(afterLeave.status, afterLeave.stderr).to.equal(0)
    expect(await committed('live')).to.deep.equal(['orders/0=0', 'orders/1=0'])
  })

  it('moves where weir consume --group goes on', async () => {
    const first = weir(['consume', 'audit', '--group', 'readers', '--from-beginning', '--exit-at-end', '-q'])
    expect(first.status, first.stderr).to.equal(0)
    expect(first.stdout).to.equal('r0\nr1\nr2\n')
    expect(await committed('readers')).to.deep.equal(['audit/0=3'])
    const rewound = reset('--group', 'readers', '--all-topics', '--shift-by', '-2', '--execute')
    expect(rewound.status, rewound.stderr).to.equal(0)
    const again = weir(['consume', 'audit', '--group', 'readers', '--exit-at-end', '-q'])
    expect(again.status, again.stderr).to.equal(0)
    expect(again.stdout).to.equal('r1\nr2\n')
  })

  it('resets every consumer group with --all-groups, the group column in its CSV', () => {
    const exported = reset('--all-groups', '--all-topics', '--to-current', '--export')
    expect(exported.status, exported.stderr).to.equal(0)
    const lines = exported.stdout.trimEnd().split('\n')
    expect(lines).to.include.members(['live,orders,0,0', 'live,orders,1,0', 'multi-a,audit,0,3', 'saved,orders,0,4', 'readers,audit,0,3'])
    expect(lines.every((line) => line.split(',').length === 4)).to.equal(true)
  })

  it('says what is wrong with a command line in one line', () => {
    expect(expectOneErrorLine(reset('--group', 'g', '--topic', 'orders'), 2)).to.include('say where to move the offsets')
    expect(expectOneErrorLine(reset('--group', 'g', '--to-latest'), 2)).to.include('--all-topics')
    expect(expectOneErrorLine(reset('--topic', 'orders', '--to-latest'), 2)).to.include('--all-groups')
    expect(expectOneErrorLine(reset('--group', 'g', '--topic', 'orders', '--to-latest', '--to-earliest'), 2)).to.include('give only one of')
    expect(expectOneErrorLine(reset('--group', 'g', '--topic', 'orders', '--to-datetime', 'noon'), 2)).to.include('--to-datetime')
    expect(expectOneErrorLine(reset('--group', 'g', '--topic', 'orders:7', '--to-latest'), 2)).to.include('topic orders has no partition 7 (it has 2)')
    expect(expectOneErrorLine(reset('--group', 'g', '--topic', 'orders', '--to-latest', '--execute', '--dry-run'), 2)).to.include('--dry-run')
    expect(expectOneErrorLine(reset('--group', 'g', '--topic', 'nope', '--to-latest'), 1)).to.include("topic 'nope' does not exist")
    expect(expectOneErrorLine(reset('--group', 'g', '--topic', 'orders', '--shift-by', '1'), 1)).to.include('no committed offset')
    expect(expectOneErrorLine(reset('--group', 'g', '--from-file', join(scratch, 'missing.csv')), 1)).to.include('missing.csv')
  })
})

/** A member of `group` held Stable by JoinGroup and SyncGroup (no heartbeats: the session outlasts the test). */
async function joinGroup(socket: string, group: string, topic: string): Promise<{leave(): Promise<void>}> {
  const connection = await Connection.open({address: {kind: 'unix', path: socket}, clientId: 'reset-offsets-member', requestTimeoutMs: 30_000})
  const versions = await negotiateVersions(connection)
  const join = async (memberId: string) => connection.request(ApiKey.JoinGroup, versions.version(ApiKey.JoinGroup), {
    groupId: group, sessionTimeoutMs: 60_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, reason: null,
    protocolType: CONSUMER_PROTOCOL_TYPE, protocols: [{name: 'range', metadata: encodeSubscription({topics: [topic]})}],
  })
  let joined = await join('')
  if (joined.errorCode === ErrorCode.MEMBER_ID_REQUIRED) joined = await join(joined.memberId)
  expect(joined.errorCode).to.equal(0)
  const synced = await connection.request(ApiKey.SyncGroup, versions.version(ApiKey.SyncGroup), {
    groupId: group, generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null,
    protocolType: CONSUMER_PROTOCOL_TYPE, protocolName: 'range',
    assignments: [{memberId: joined.memberId, assignment: encodeAssignment({assignedPartitions: [{topic, partitions: [0, 1]}]})}],
  })
  expect(synced.errorCode).to.equal(0)
  return {
    async leave() {
      try {
        const left = await connection.request(ApiKey.LeaveGroup, versions.version(ApiKey.LeaveGroup), {
          groupId: group, memberId: joined.memberId, members: [{memberId: joined.memberId, groupInstanceId: null, reason: null}],
        })
        expect(left.errorCode).to.equal(0)
      } finally {
        connection.close()
      }
    },
  }
}
