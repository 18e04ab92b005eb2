/**
 * weir consumer-groups against a real daemon, with a real Kafka client in the group: a kafkajs
 * consumer (in this process, so the CLI runs asynchronously and its heartbeats go on) joins, reads
 * and commits; the CLI lists, describes, watches and deletes. HOME is a temp directory, the daemon a
 * temp data directory on a free port.
 */
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Consumer} from 'kafkajs'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {waitFor} from '../client/wait-for.js'
import {runCliAsync, runner} from './group-cli-runner.js'
import {type ProcessResult, cliEnvironment, expectOneErrorLine} from './weir-process.js'

const require = createRequire(import.meta.url)
// kafkajs is CommonJS with its own typings.
const kafkajs = require('kafkajs') as typeof import('kafkajs')

describe('weir consumer-groups against a daemon', function () {
  this.timeout(180_000)
  const scratch = mkdtempSync(join(tmpdir(), 'weir-groups-process-'))
  const env = cliEnvironment(scratch)
  let daemon: TestDaemon
  let consumer: Consumer | null = null
  let consumed = 0

  function weir(...args: string[]): Promise<ProcessResult> {
    return runCliAsync([...args, '--socket', daemon.socket], env)
  }

  async function produce(topic: string, count: number, partition: number): Promise<void> {
    const child = spawn(process.execPath, [runner, 'produce', topic, '--partition', String(partition), '-q', '--socket', daemon.socket], {env, stdio: ['pipe', 'ignore', 'pipe']})
    child.stdin.end(Array.from({length: count}, (_, i) => `r${i}`).join('\n') + '\n')
    const status = await new Promise((resolve) => child.on('close', resolve))
    expect(status).to.equal(0)
  }

  /** A kafkajs member of `group` reading `topic` from the beginning, committing after every record. */
  async function joinGroup(group: string, topic: string): Promise<Consumer> {
    const kafka = new kafkajs.Kafka({clientId: 'lag-reader', brokers: [daemon.bootstrap], logLevel: kafkajs.logLevel.NOTHING})
    const member = kafka.consumer({groupId: group, sessionTimeout: 6000, heartbeatInterval: 500})
    await member.connect()
    await member.subscribe({topic, fromBeginning: true})
    await member.run({autoCommitThreshold: 1, eachMessage: async () => void consumed++})
    return member
  }

  async function describeJson(group: string): Promise<{state: string; totalLag: number | null; members: unknown[]}> {
    const result = await weir('consumer-groups', 'describe', group, '--json')
    expect(result.status, result.stderr).to.equal(0)
    return JSON.parse(result.stdout).groups[0]
  }

  before(async () => {
    daemon = await startTestDaemon({configs: {'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000'}})
    expect((await weir('topics', 'create', 'orders', '--partitions', '2')).status).to.equal(0)
    await produce('orders', 6, 0)
    await produce('orders', 4, 1)
  })

  after(async () => {
    await consumer?.disconnect().catch(() => undefined)
    await daemon?.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  it('shows a live group: list, lag 0 once everything is read and committed, members, state', async () => {
    consumer = await joinGroup('app', 'orders')
    await waitFor(() => consumed === 10, 'the consumer to read every record', 60_000)
    const deadline = Date.now() + 30_000
    let lag: number | null = null
    while (Date.now() < deadline) {
      const described = await describeJson('app')
      lag = described.totalLag
      if (described.state === 'Stable' && lag === 0) break
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    expect(lag).to.equal(0)

    const list = await weir('consumer-groups', 'list')
    expect(list.stdout).to.match(/^GROUP +STATE +PROTOCOL-TYPE +MEMBERS\napp +Stable +consumer +1\n$/)

    const offsets = await weir('consumer-groups', 'describe', 'app')
    expect(offsets.status, offsets.stderr).to.equal(0)
    const lines = offsets.stdout.split('\n')
    expect(lines[0]).to.match(/^GROUP +TOPIC +PARTITION +CURRENT-OFFSET +LOG-END-OFFSET +LAG +CONSUMER-ID +HOST +CLIENT-ID$/)
    expect(lines[1]).to.match(/^app +orders +0 +6 +6 +0 +lag-reader-\S+ +\/127\.0\.0\.1 +lag-reader$/)
    expect(lines[2]).to.match(/^app +orders +1 +4 +4 +0 +lag-reader-\S+ +\/127\.0\.0\.1 +lag-reader$/)
    expect(lines.slice(3)).to.deep.equal(['', 'Total lag of group app: 0', ''])

    const members = await weir('consumer-groups', 'describe', 'app', '--members')
    expect(members.stdout.split('\n')[1]).to.match(/^app +lag-reader-\S+ +\/127\.0\.0\.1 +lag-reader +2 +orders\(0,1\)$/)
    const state = await weir('consumer-groups', 'describe', 'app', '--state')
    expect(state.stdout.split('\n')[1]).to.match(/^app +127\.0\.0\.1:\d+ \(\d+\) +RoundRobinAssigner +Stable +1$/)
  })

  it('refuses to delete the group or its offsets of a consumed topic while it has members', async () => {
    expect(expectOneErrorLine(await weir('consumer-groups', 'delete', 'app', '--yes'), 1)).to.contain('The group is not empty (NON_EMPTY_GROUP)')
    const refused = await weir('consumer-groups', 'delete-offsets', 'app', '--topic', 'orders')
    expect(refused.status).to.equal(1)
    expect(refused.stdout).to.contain('GROUP_SUBSCRIBED_TO_TOPIC')
  })

  it('counts lag after the group stops, from the log start where trimming passed the commit', async () => {
    await consumer!.disconnect()
    consumer = null
    await produce('orders', 5, 0)
    await produce('orders', 3, 1)
    expect((await weir('topics', 'trim', 'orders', '--partition', '1', '--before', '6', '--yes')).status).to.equal(0)
    const result = await weir('consumer-groups', 'describe', 'app')
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stderr).to.equal("Consumer group 'app' has no active members.\n")
    const lines = result.stdout.split('\n')
    expect(lines[1]).to.match(/^app +orders +0 +6 +11 +5 +- +- +-$/)
    // Committed 4, but the log now starts at 6: the 2 records trimmed away are not lag.
    expect(lines[2]).to.match(/^app +orders +1 +4 +7 +1 +- +- +-$/)
    expect(lines.slice(3)).to.deep.equal(['', 'Total lag of group app: 6', ''])
    expect((await describeJson('app')).totalLag).to.equal(6)
  })

  it('prints the view once per interval with --watch when stdout is not a terminal', async () => {
    const child = spawn(process.execPath, [runner, 'consumer-groups', 'describe', 'app', '--watch', '0.5', '--socket', daemon.socket], {env})
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()))
    try {
      await waitFor(() => (out.match(/Total lag of group app: 6/g) ?? []).length >= 2, 'two views', 30_000)
    } finally {
      child.kill('SIGTERM')
    }
    await new Promise((resolve) => child.once('close', resolve))
    expect(out).to.match(/^Every 0\.5s: weir consumer-groups describe app --watch 0\.5 --socket \S+ {2}\d\d:\d\d:\d\d\n\n/)
  })

  it('deletes the offsets of a topic, then the group', async () => {
    const offsets = await weir('consumer-groups', 'delete-offsets', 'app', '--topic', 'orders:1')
    expect(offsets.status, offsets.stderr).to.equal(0)
    expect(offsets.stdout).to.equal('TOPIC   PARTITION  STATUS\norders  1          Successful\n')
    // Nobody is assigned partition 1 and nothing is committed for it any more: it has no row.
    const left = (await weir('consumer-groups', 'describe', 'app')).stdout.split('\n')
    expect(left[1]).to.match(/^app +orders +0 +6 +11 +5 +- +- +-$/)
    expect(left.slice(2)).to.deep.equal(['', 'Total lag of group app: 5', ''])
    const deleted = await weir('consumer-groups', 'delete', 'app', '--yes')
    expect(deleted.status, deleted.stderr).to.equal(0)
    expect(deleted.stdout).to.equal("Deletion of requested consumer groups ('app') was successful.\n")
    expect(expectOneErrorLine(await weir('consumer-groups', 'describe', 'app'), 1)).to.match(/^Error: Consumer group 'app' does not exist\./)
    expect((await weir('consumer-groups', 'list')).stdout).to.equal('')
  })
})
