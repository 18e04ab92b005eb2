// `weir consume --isolation-level` as a process, against the in-process fake cluster answering
// read_committed as a broker does (test/client/consumer-txn-fixtures.ts): committed records only, up to
// the last stable offset, in assign and group mode; every data record under read_uncommitted; never a marker.
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {ApiKey} from '../../src/protocol/index.js'
import {append} from '../client/consumer-fixtures.js'
import {appendMarker, appendTransactional, serveReadCommitted} from '../client/consumer-txn-fixtures.js'
import {FakeCluster} from '../client/fake-cluster.js'
import {runCliAsync} from './group-cli-runner.js'
import {cliEnvironment, expectOneErrorLine, type ProcessResult} from './weir-process.js'

describe('weir consume --isolation-level (process, fake cluster)', function () {
  this.timeout(90_000)
  let fake: FakeCluster
  let scratch: string
  let env: NodeJS.ProcessEnv

  function weir(...args: string[]): Promise<ProcessResult> {
    return runCliAsync([...args, '--socket', (fake.clientOptions as {socket: string}).socket], env)
  }

  beforeEach(async () => {
    fake = await FakeCluster.start()
    scratch = mkdtempSync(join(tmpdir(), 'weir-consume-txn-'))
    env = cliEnvironment(scratch)
    fake.createTopic('t', 2)
    serveReadCommitted(fake)
    // Partition 0: plain a; P1 commits b; P2 aborts x; then P3's transaction stays open over c (plain).
    await append(fake, 't', 0, ['a'])
    await appendTransactional(fake, 't', 0, ['b'], {producerId: 1})
    await appendTransactional(fake, 't', 0, ['x'], {producerId: 2})
    appendMarker(fake, 't', 0, 1, 'COMMIT')
    appendMarker(fake, 't', 0, 2, 'ABORT')
    await appendTransactional(fake, 't', 0, ['open'], {producerId: 3})
    await append(fake, 't', 0, ['c'])
    // Partition 1: a committed transaction.
    await appendTransactional(fake, 't', 1, ['p1'], {producerId: 4})
    appendMarker(fake, 't', 1, 4, 'COMMIT')
  })
  afterEach(async () => {
    await fake.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  const lines = (result: ProcessResult): string[] => result.stdout.split('\n').filter((l) => l !== '').sort()

  it('read_committed prints committed records only and --exit-at-end stops at the last stable offset', async () => {
    const result = await weir('consume', 't', '--from-beginning', '--exit-at-end', '--isolation-level', 'read_committed', '--format', '%p:%o:%s\\n')
    expect(result.status, result.stderr).to.equal(0)
    expect(lines(result)).to.deep.equal(['0:0:a', '0:1:b', '1:0:p1'])
    expect(result.stderr).to.equal('Processed a total of 3 messages\n')
    expect(fake.requestsOf(ApiKey.ListOffsets).some((r) => r.body.isolationLevel === 1)).to.equal(true)
    expect(fake.requestsOf(ApiKey.Fetch).every((r) => r.body.isolationLevel === 1)).to.equal(true)
  })

  it('read_uncommitted (the default) prints every data record, aborted and open ones too, and no marker', async () => {
    const result = await weir('consume', 't', '--from-beginning', '--exit-at-end', '--json')
    expect(result.status, result.stderr).to.equal(0)
    const records = result.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as {partition: number; offset: number; value: string})
    expect(records.map((r) => `${r.partition}:${r.offset}:${r.value}`).sort()).to.deep.equal(['0:0:a', '0:1:b', '0:2:x', '0:5:open', '0:6:c', '1:0:p1'])
    expect(fake.requestsOf(ApiKey.Fetch).every((r) => r.body.isolationLevel === 0)).to.equal(true)
  })

  it('read_committed starts "latest" at the last stable offset, so an open transaction is printed once it commits', async () => {
    const reading = weir('consume', 't', '--partition', '0', '--isolation-level', 'read_committed', '--max-messages', '2')
    // The consumer starts at offset 5 (the open transaction's first offset), not at the high watermark 7.
    const deadline = Date.now() + 30_000
    while (!fake.requestsOf(ApiKey.Fetch).some((r) => r.body.topics[0]?.partitions[0]?.fetchOffset === 5)) {
      if (Date.now() > deadline) throw new Error('the consumer never fetched from the last stable offset')
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    appendMarker(fake, 't', 0, 3, 'COMMIT')
    const result = await reading
    expect(result.status, result.stderr).to.equal(0)
    expect(result.stdout).to.equal('open\nc\n')
  })

  it('reads committed records only in group mode, and ends at the last stable offset', async () => {
    const result = await weir('consume', 't', '--group', 'g', '--from-beginning', '--exit-at-end', '--isolation-level', 'read_committed')
    expect(result.status, result.stderr).to.equal(0)
    expect(lines(result)).to.deep.equal(['a', 'b', 'p1'])
  })

  it('refuses an unknown isolation level as a usage error', async () => {
    const line = expectOneErrorLine(await weir('consume', 't', '--isolation-level', 'serializable'), 2)
    expect(line).to.match(/isolation-level/)
  })
})
