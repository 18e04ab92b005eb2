// `weir consume --group` as a process, against the in-process fake cluster (its group coordinator is
// test/client/fake-group-membership-apis.ts), so the CLI runs asynchronously beside it.
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {KafkaClient} from '../../src/client/index.js'
import {ApiKey} from '../../src/protocol/index.js'
import {append} from '../client/consumer-fixtures.js'
import {FakeCluster} from '../client/fake-cluster.js'
import {fakeGroups} from '../client/fake-group-admin-apis.js'
import {cliEnvironment, expectOneErrorLine, type ProcessResult} from './weir-process.js'

const entry = join(dirname(fileURLToPath(import.meta.url)), 'weir-from-build.js')

function run(args: string[], env: NodeJS.ProcessEnv): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry, ...args], {env, stdio: ['ignore', 'pipe', 'pipe']})
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      const stdoutBytes = Buffer.concat(out)
      resolve({status, stdout: stdoutBytes.toString(), stderr: Buffer.concat(err).toString(), stdoutBytes})
    })
  })
}

describe('weir consume --group (process, fake cluster)', function () {
  this.timeout(90_000)
  let fake: FakeCluster
  let scratch: string
  let env: NodeJS.ProcessEnv
  let socket: string

  beforeEach(async () => {
    fake = await FakeCluster.start()
    socket = (fake.clientOptions as {socket: string}).socket
    scratch = mkdtempSync(join(tmpdir(), 'weir-consume-group-'))
    env = cliEnvironment(scratch)
    fake.createTopic('t', 2)
    await append(fake, 't', 0, ['a0', 'a1'])
    await append(fake, 't', 1, ['b0'])
  })
  afterEach(async () => {
    await fake.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  it('reads every partition to its end, commits what it wrote, and --from-beginning does not override the commit', async () => {
    const first = await run(['consume', 't', '--socket', socket, '--group', 'g', '--from-beginning', '--exit-at-end'], env)
    expect(first.status, first.stderr).to.equal(0)
    expect(first.stdout.split('\n').filter((l) => l !== '').sort()).to.deep.equal(['a0', 'a1', 'b0'])
    expect(first.stderr).to.equal('Processed a total of 3 messages\n')
    const offsets = fakeGroups(fake).groups.get('g')!.offsets.get('t')!
    expect([offsets.get(0)!.offset, offsets.get(1)!.offset]).to.deep.equal([2, 1])

    await append(fake, 't', 1, ['b1'])
    const second = await run(['consume', 't', '--socket', socket, '--group', 'g', '--from-beginning', '--exit-at-end'], env)
    expect(second.status, second.stderr).to.equal(0)
    expect(second.stdout).to.equal('b1\n')
  })

  it('commits what --max-messages let through, so the next member goes on from there', async () => {
    const first = await run(['consume', 't', '--socket', socket, '--group', 'g', '--from-beginning', '--max-messages', '1',
      '--consumer-property', 'partition.assignment.strategy=cooperative-sticky'], env)
    expect(first.status, first.stderr).to.equal(0)
    const second = await run(['consume', 't', '--socket', socket, '--group', 'g', '--from-beginning', '--exit-at-end'], env)
    expect(second.status, second.stderr).to.equal(0)
    expect([...first.stdout.split('\n'), ...second.stdout.split('\n')].filter((l) => l !== '').sort()).to.deep.equal(['a0', 'a1', 'b0'])
  })

  it('notes the join and the assignment on stderr with --verbose, keeping stdout for records', async () => {
    const result = await run(['consume', 't', '--socket', socket, '--group', 'g', '--from-beginning', '--exit-at-end', '--verbose'], env)
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stderr).to.match(/^Joined group g: generation 1, member weir-cli-[0-9a-f-]+, assignor range \(leader\)\.$/m)
    expect(result.stderr).to.match(/^Assigned t \[0, 1\]\.$/m)
    expect(result.stdout.split('\n').filter((l) => l !== '')).to.have.length(3)
  })

  it('with cooperative-sticky, a newcomer to a running group stays for the handover before --exit-at-end', async () => {
    const client = await KafkaClient.connect({...fake.clientOptions, clientId: 'resident'})
    const resident = client.groupConsumer({groupId: 'g', topics: ['t'], offsetReset: 'earliest', assignors: ['cooperative-sticky'],
      heartbeatIntervalMs: 100, sessionTimeoutMs: 10_000})
    try {
      // the resident reads everything and reports nothing processed: it commits where it started
      void (async () => {
        for await (const batch of resident.batches()) void batch
      })().catch(() => undefined)
      const owned = async (): Promise<void> => {
        while (resident.assignment().flatMap((tp) => tp.partitions).length < 2) await new Promise((resolve) => setTimeout(resolve, 10))
      }
      await owned()
      const newcomer = await run(['consume', 't', '--socket', socket, '--group', 'g', '--from-beginning', '--exit-at-end',
        '--consumer-property', 'partition.assignment.strategy=cooperative-sticky', '--consumer-property', 'heartbeat.interval.ms=1500'], env)
      expect(newcomer.status, newcomer.stderr).to.equal(0)
      // it stayed for the round that handed one partition over, and read it from where the resident started
      const lines = newcomer.stdout.split('\n').filter((l) => l !== '')
      expect([['a0', 'a1'], ['b0']]).to.deep.include(lines)
    } finally {
      await resident.close()
      await client.close()
    }
  })

  it('a member that read nothing commits where it started, so the next one prints what was produced in between', async () => {
    const first = await run(['consume', 't', '--socket', socket, '--group', 'g', '--exit-at-end'], env)
    expect(first.status, first.stderr).to.equal(0)
    expect(first.stdout).to.equal('')
    await append(fake, 't', 0, ['a2'])
    await append(fake, 't', 1, ['b1'])
    const second = await run(['consume', 't', '--socket', socket, '--group', 'g', '--exit-at-end'], env)
    expect(second.status, second.stderr).to.equal(0)
    expect(second.stdout.split('\n').filter((l) => l !== '').sort()).to.deep.equal(['a2', 'b1'])
  })

  it('ends with one error line (exit 1) once the coordinator has not answered for session.timeout.ms', async () => {
    fake.intercept(ApiKey.Heartbeat, () => 'no-response')
    const result = await run(['consume', 't', '--socket', socket, '--group', 'g', '--consumer-property', 'session.timeout.ms=1500',
      '--consumer-property', 'heartbeat.interval.ms=100'], env)
    const line = expectOneErrorLine(result, 1)
    expect(line).to.match(/the coordinator of group g has not answered for longer than session\.timeout\.ms \(1500 ms\)/)
  })

  it('refuses a heartbeat.interval.ms that is not below session.timeout.ms as a usage error', async () => {
    const same = expectOneErrorLine(await run(['consume', 't', '--socket', socket, '--group', 'g', '--consumer-property', 'session.timeout.ms=5000',
      '--consumer-property', 'heartbeat.interval.ms=5000'], env), 2)
    expect(same).to.match(/heartbeat.interval.ms \(5000\) must be lower than session.timeout.ms \(5000\)/)
    const aboveDefault = expectOneErrorLine(await run(['consume', 't', '--socket', socket, '--group', 'g', '--consumer-property',
      'heartbeat.interval.ms=45000'], env), 2)
    expect(aboveDefault).to.match(/must be lower than session.timeout.ms \(45000\)/)
  })

  it('refuses --partition with --group and unknown consumer properties as usage errors', async () => {
    expectOneErrorLine(await run(['consume', 't', '--socket', socket, '--group', 'g', '--partition', '0'], env), 2)
    const unknown = expectOneErrorLine(await run(['consume', 't', '--socket', socket, '--group', 'g', '--consumer-property', 'fetch.max.bytes=1'], env), 2)
    expect(unknown).to.match(/unknown --consumer-property 'fetch.max.bytes'/)
    const strategy = expectOneErrorLine(await run(['consume', 't', '--socket', socket, '--group', 'g', '--consumer-property',
      'partition.assignment.strategy=roundrobin'], env), 2)
    expect(strategy).to.match(/unknown partition.assignment.strategy 'roundrobin'/)
  })
})
