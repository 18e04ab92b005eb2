// `weir produce` as a process against the in-process fake cluster (its transaction coordinator is
// test/client/fake-txn-apis.ts): idempotent by default, --no-idempotence and acks turning it off, and
// --transactional-id writing the input in transactions, aborting the open one on an error or a signal.
import {expect} from 'chai'
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {ApiKey, ErrorCode, readBatchHeader} from '../../src/protocol/index.js'
import {FakeCluster} from '../client/fake-cluster.js'
import {fakeTxns} from '../client/fake-txn-apis.js'
import {waitFor} from '../client/wait-for.js'
import {cliEnvironment, expectOneErrorLine, type ProcessResult} from './weir-process.js'

const entry = join(dirname(fileURLToPath(import.meta.url)), 'weir-from-build.js')

interface Running {
  child: ChildProcessWithoutNullStreams
  done: Promise<ProcessResult>
}

function start(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [entry, ...args], {env})
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const done = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status) => {
      clearTimeout(timer)
      const stdoutBytes = Buffer.concat(out)
      resolve({status, stdout: stdoutBytes.toString(), stderr: Buffer.concat(err).toString(), stdoutBytes})
    })
  })
  return {child, done}
}

function run(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<ProcessResult> {
  const running = start(args, env)
  running.child.stdin.end(input)
  return running.done
}

const lines = (from: number, to: number): string => Array.from({length: to - from + 1}, (_, i) => `${from + i}\n`).join('')

describe('weir produce: idempotence and transactions (process, fake cluster)', function () {
  this.timeout(90_000)
  let fake: FakeCluster
  let scratch: string
  let env: NodeJS.ProcessEnv
  let socket: string

  beforeEach(async () => {
    fake = await FakeCluster.start()
    socket = (fake.clientOptions as {socket: string}).socket
    scratch = mkdtempSync(join(tmpdir(), 'weir-produce-txn-'))
    env = cliEnvironment(scratch)
    fake.createTopic('t', 1)
  })
  afterEach(async () => {
    await fake.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  const headers = (): ReturnType<typeof readBatchHeader>[] => fake.partition('t', 0).batches.map((b) => readBatchHeader(b))

  it('is idempotent by default, and not with --no-idempotence or --acks 1', async () => {
    const result = await run(['produce', 't', '--socket', socket], env, lines(1, 3))
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stderr).to.equal('Produced 3 records to t.\n')
    expect(fake.requestsOf(ApiKey.InitProducerId)).to.have.length(1)
    expect(headers().map((h) => [h.producerId, h.baseSequence])).to.deep.equal([[1000, 0]])
    for (const flags of [['--no-idempotence'], ['--acks', '1']]) {
      const plain = await run(['produce', 't', '--socket', socket, ...flags], env, lines(4, 4))
      expect(plain.status, plain.stderr).to.equal(0)
    }
    expect(fake.requestsOf(ApiKey.InitProducerId)).to.have.length(1)
    expect(headers().map((h) => h.producerId)).to.deep.equal([1000, -1, -1])
  })

  it('writes the input in transactions of --transaction-size records, committing the last at the end', async () => {
    const result = await run(['produce', 't', '--socket', socket, '--transactional-id', 'tx', '--transaction-size', '3'], env, lines(1, 7))
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stderr).to.equal('Produced 7 records to t in 3 transactions.\n')
    expect(fakeTxns(fake).markers.map(([, type]) => type)).to.deep.equal(['COMMIT', 'COMMIT', 'COMMIT'])
    // each transaction's records, then its marker
    const shape = headers().map((h) => (h.isControl ? 'marker' : h.recordCount))
    expect(shape.join(' ')).to.match(/^(?:(?:\d+ )+marker ?){3}$/)
    const counts = shape.join(' ').split('marker').filter((part) => part.trim() !== '')
      .map((part) => part.trim().split(' ').reduce((sum, n) => sum + Number(n), 0))
    expect(counts).to.deep.equal([3, 3, 1])
    expect(headers().every((h) => h.isTransactional)).to.equal(true)
  })

  for (const [signal, status] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`aborts the open transaction on ${signal} and exits ${status}, keeping the committed one`, async () => {
      const running = start(['produce', 't', '--socket', socket, '--transactional-id', 'tx', '--transaction-size', '3'], env)
      running.child.stdin.write(lines(1, 5))
      // the first transaction committed and the next one's records written
      await waitFor(() => fakeTxns(fake).markers.length === 1 && fake.partition('t', 0).highWatermark >= 6, 'a commit and two more records', 30_000)
      running.child.kill(signal)
      const result = await running.done
      expect(result.status, result.stderr).to.equal(status)
      expect(result.stderr).to.equal('Produced 3 records to t in 1 transaction; the open transaction was aborted.\n')
      expect(fakeTxns(fake).markers.map(([, type]) => type)).to.deep.equal(['COMMIT', 'ABORT'])
    })
  }

  it('stops retrying InitProducerId on SIGTERM and exits 143', async () => {
    fake.intercept(ApiKey.InitProducerId, () => ({throttleTimeMs: 0, errorCode: ErrorCode.CONCURRENT_TRANSACTIONS, producerId: -1, producerEpoch: -1}))
    const running = start(['produce', 't', '--socket', socket, '--transactional-id', 'tx'], env)
    await waitFor(() => fake.requestsOf(ApiKey.InitProducerId).length >= 2, 'InitProducerId retried', 30_000)
    running.child.kill('SIGTERM')
    const result = await running.done
    expect(result.status, result.stderr).to.equal(143)
    expect(result.stderr).to.equal('Produced 0 records to t in 0 transactions.\n')
  })

  it('on SIGINT during a commit that gets no answer, gives up the abort after a short deadline with one line, exit 130', async () => {
    fake.intercept(ApiKey.EndTxn, () => 'no-response')
    const running = start(['produce', 't', '--socket', socket, '--transactional-id', 'tx', '--transaction-size', '3'], env)
    running.child.stdin.write(lines(1, 4))
    await waitFor(() => fake.requestsOf(ApiKey.EndTxn).length === 1, 'the commit\'s EndTxn', 30_000)
    running.child.kill('SIGINT')
    const result = await running.done
    expect(result.status, result.stderr).to.equal(130)
    expect(result.stderr).to.equal('Produced 0 records to t in 0 transactions; the open transaction could not be aborted; the server aborts it after its timeout.\n')
    expect(fakeTxns(fake).markers).to.deep.equal([])
  })

  it('exits at once on a second signal', async () => {
    fake.intercept(ApiKey.EndTxn, () => 'no-response')
    const running = start(['produce', 't', '--socket', socket, '--transactional-id', 'tx', '--transaction-size', '3'], env)
    running.child.stdin.write(lines(1, 4))
    await waitFor(() => fake.requestsOf(ApiKey.EndTxn).length === 1, 'the commit\'s EndTxn', 30_000)
    running.child.kill('SIGINT')
    running.child.kill('SIGTERM') // two different signals are both delivered (the same one twice may merge)
    const result = await running.done
    expect(result.status, result.stderr).to.be.oneOf([130, 143]) // the status of whichever came first
    expect(result.stderr).to.equal('') // not after the abort's deadline
  })

  it('aborts the open transaction on a bad input line and reports the line, exit 1', async () => {
    const input = 'k:a\nk:b\nno separator\n'
    const result = await run(['produce', 't', '--socket', socket, '--key-separator', ':', '--transactional-id', 'tx'], env, input)
    expect(expectOneErrorLine(result, 1)).to.match(/line 3/)
    expect(fakeTxns(fake).markers.map(([, type]) => type)).to.not.include('COMMIT')
    const data = headers().filter((h) => !h.isControl)
    if (data.length > 0) expect(headers().at(-1)!.isControl).to.equal(true) // written, then aborted
  })

  it('refuses flags against each other as usage errors', async () => {
    for (const flags of [['--transactional-id', 'x', '--acks', '1'], ['--transactional-id', 'x', '--no-idempotence'],
      ['--idempotence', '--acks', '0'], ['--transaction-size', '5']]) {
      const result = await run(['produce', 't', '--socket', socket, ...flags], env, '')
      expect(result.status, `${flags.join(' ')}: ${result.stderr}`).to.equal(2)
      expect(result.stderr.split('\n').filter((l) => l !== '')).to.have.length(1)
    }
  })
})
