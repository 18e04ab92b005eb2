// `weir consume --group` processes against a real daemon (its group coordinator and committed offsets):
// a cooperative newcomer to a running group stays for the round that hands it partitions before
// --exit-at-end, and a member that read nothing commits where it started.
import {expect} from 'chai'
import {spawn, type ChildProcess} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {waitFor} from '../client/wait-for.js'
import {type ProcessResult, cliEnvironment, runCli} from './weir-process.js'

const runner = join(dirname(fileURLToPath(import.meta.url)), 'weir-from-build.js')
const COOPERATIVE = ['--consumer-property', 'partition.assignment.strategy=cooperative-sticky', '--consumer-property', 'heartbeat.interval.ms=1500',
  '--consumer-property', 'session.timeout.ms=6000']

describe('weir consume --group against a daemon', function () {
  this.timeout(120_000)
  const scratch = mkdtempSync(join(tmpdir(), 'weir-consume-group-daemon-'))
  const env = cliEnvironment(scratch)
  let daemon: TestDaemon
  const children: ChildProcess[] = []

  function weir(args: string[], input?: string): ProcessResult {
    return runCli(runner, [...args, '--socket', daemon.socket], env, input)
  }

  function produce(topic: string, partition: number, values: string[]): void {
    const produced = weir(['produce', topic, '--partition', String(partition), '-q'], values.map((v) => `${v}\n`).join(''))
    expect(produced.status, produced.stderr).to.equal(0)
  }

  before(async () => {
    daemon = await startTestDaemon({configs: {'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '1000'}})
  })

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL')
  })

  after(async () => {
    await daemon?.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  it('a cooperative newcomer to a running group is handed partitions before --exit-at-end ends it', async () => {
    expect(weir(['topics', 'create', 'handover', '--partitions', '2']).status).to.equal(0)
    produce('handover', 0, ['a0'])
    produce('handover', 1, ['b0'])
    const resident = spawn(process.execPath, [runner, 'consume', 'handover', '--group', 'h', '--from-beginning', '--socket', daemon.socket, ...COOPERATIVE],
      {env, stdio: ['ignore', 'pipe', 'ignore']})
    children.push(resident)
    let printed = ''
    resident.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    await waitFor(() => printed.split('\n').filter((l) => l !== '').length === 2, 'the resident member reading both partitions', 30_000)
    const newcomer = weir(['consume', 'handover', '--group', 'h', '--exit-at-end', '--verbose', ...COOPERATIVE])
    expect(newcomer.status, newcomer.stderr).to.equal(0)
    // the first round gives it nothing (the resident still holds its share); it stays for the next one
    expect(newcomer.stderr).to.match(/^Assigned handover \[[01]\]\.$/m)
  })

  it('a member that read nothing commits where it started, so the next one prints what was produced in between', () => {
    expect(weir(['topics', 'create', 'quiet', '--partitions', '2']).status).to.equal(0)
    produce('quiet', 0, ['old'])
    const first = weir(['consume', 'quiet', '--group', 'q', '--exit-at-end'])
    expect(first.status, first.stderr).to.equal(0)
    expect(first.stdout).to.equal('')
    produce('quiet', 0, ['new0'])
    produce('quiet', 1, ['new1'])
    const second = weir(['consume', 'quiet', '--group', 'q', '--exit-at-end'])
    expect(second.status, second.stderr).to.equal(0)
    expect(second.stdout.split('\n').filter((l) => l !== '').sort()).to.deep.equal(['new0', 'new1'])
    // every partition has a commit, at its end
    const described = weir(['consumer-groups', 'describe', 'q', '--json'])
    expect(described.status, described.stderr).to.equal(0)
    const lags = lagsIn(JSON.parse(described.stdout) as unknown)
    expect(lags.length).to.be.greaterThan(0)
    expect(lags.every((lag) => lag === 0), JSON.stringify(lags)).to.equal(true)
  })
})

/** Every `lag` field in a JSON value (rows, topic and group totals). */
function lagsIn(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(lagsIn)
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, inner]) => (key === 'lag' ? [inner] : lagsIn(inner)))
}
