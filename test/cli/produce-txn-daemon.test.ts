// `weir produce` against a real daemon (its InitProducerId, sequence checks and transaction coordinator):
// idempotent by default, transactions read back whole by read_committed consumers, the open transaction
// aborted on SIGTERM, and an older producer of the same transactional id fenced.
import {expect} from 'chai'
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {KafkaClient} from '../../src/client/index.js'
import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {waitFor} from '../client/wait-for.js'
import {type ProcessResult, cliEnvironment, expectOneErrorLine, runCli} from './weir-process.js'

const runner = join(dirname(fileURLToPath(import.meta.url)), 'weir-from-build.js')
const lines = (from: number, to: number): string => Array.from({length: to - from + 1}, (_, i) => `${from + i}\n`).join('')

describe('weir produce against a daemon: idempotence and transactions', function () {
  this.timeout(120_000)
  const scratch = mkdtempSync(join(tmpdir(), 'weir-produce-txn-daemon-'))
  const env = cliEnvironment(scratch)
  let daemon: TestDaemon
  const children: ChildProcessWithoutNullStreams[] = []

  function weir(args: string[], input?: string): ProcessResult {
    return runCli(runner, [...args, '--socket', daemon.socket], env, input)
  }

  /** A produce left running with its stdin open. */
  function produceOpen(args: string[]): {child: ChildProcessWithoutNullStreams; done: Promise<ProcessResult>} {
    const child = spawn(process.execPath, [runner, 'produce', ...args, '--socket', daemon.socket], {env})
    children.push(child)
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const done = new Promise<ProcessResult>((resolve) => child.on('close', (status) => resolve({status, stdout: '', stderr, stdoutBytes: Buffer.alloc(0)})))
    return {child, done}
  }

  function consumed(topic: string, level: 'read_committed' | 'read_uncommitted'): string[] {
    const result = weir(['consume', topic, '--from-beginning', '--exit-at-end', '--isolation-level', level])
    expect(result.status, result.stderr).to.equal(0)
    return result.stdout.split('\n').filter((l) => l !== '')
  }

  before(async () => {
    daemon = await startTestDaemon()
  })
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL')
  })
  after(async () => {
    await daemon?.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  it('is idempotent by default: the partition knows the producer, whose sequence covers every record', async () => {
    expect(weir(['topics', 'create', 'idem', '--partitions', '1']).status).to.equal(0)
    const result = weir(['produce', 'idem'], lines(1, 20_000))
    expect(result.status, result.stderr).to.equal(0)
    expect(consumed('idem', 'read_uncommitted')).to.have.length(20_000)
    const client = await KafkaClient.connect({socket: daemon.socket})
    try {
      const [partition] = await client.admin().describeProducers('idem', [0])
      expect(partition!.activeProducers).to.have.length(1)
      expect(partition!.activeProducers[0]!.lastSequence).to.equal(19_999)
    } finally {
      await client.close()
    }
  })

  it('writes transactions that read_committed consumers read whole', async () => {
    expect(weir(['topics', 'create', 'tx-all', '--partitions', '2']).status).to.equal(0)
    const result = weir(['produce', 'tx-all', '--transactional-id', 'all', '--transaction-size', '1000'], lines(1, 2500))
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stderr).to.equal('Produced 2500 records to tx-all in 3 transactions.\n')
    expect(consumed('tx-all', 'read_committed').map(Number).sort((a, b) => a - b)).to.deep.equal(Array.from({length: 2500}, (_, i) => i + 1))
  })

  it('aborts the open transaction on SIGTERM (exit 143): read_committed sees only the committed one', async () => {
    expect(weir(['topics', 'create', 'tx-term', '--partitions', '1']).status).to.equal(0)
    const running = produceOpen(['tx-term', '--transactional-id', 'term', '--transaction-size', '10'])
    running.child.stdin.write(lines(1, 15))
    await waitFor(() => consumed('tx-term', 'read_uncommitted').length === 15, 'fifteen records written', 60_000)
    expect(consumed('tx-term', 'read_committed')).to.deep.equal(lines(1, 10).trim().split('\n'))
    running.child.kill('SIGTERM')
    const result = await running.done
    expect(result.status, result.stderr).to.equal(143)
    expect(result.stderr).to.equal('Produced 10 records to tx-term in 1 transaction; the open transaction was aborted.\n')
    expect(consumed('tx-term', 'read_committed')).to.deep.equal(lines(1, 10).trim().split('\n'))
    expect(consumed('tx-term', 'read_uncommitted')).to.have.length(15) // aborted records stay, never a marker
  })

  it('fences an older producer of the same transactional id: it ends with one error line, its open transaction aborted', async () => {
    expect(weir(['topics', 'create', 'tx-fence', '--partitions', '1']).status).to.equal(0)
    const older = produceOpen(['tx-fence', '--transactional-id', 'fence', '--transaction-size', '100'])
    older.child.stdin.write(lines(1, 5))
    await waitFor(() => consumed('tx-fence', 'read_uncommitted').length === 5, 'the older producer\'s records', 60_000)
    const newer = weir(['produce', 'tx-fence', '--transactional-id', 'fence'], lines(6, 7))
    expect(newer.status, newer.stderr).to.equal(0)
    older.child.stdin.end(lines(8, 8))
    const result = await older.done
    expect(expectOneErrorLine(result, 1)).to.match(/PRODUCER_FENCED|INVALID_PRODUCER_EPOCH/)
    expect(consumed('tx-fence', 'read_committed')).to.deep.equal(['6', '7'])
  })
})
