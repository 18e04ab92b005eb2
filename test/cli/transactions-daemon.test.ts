/**
 * read_committed consumption and `weir transactions` against a real daemon, with kafkajs transactional
 * producers writing the transactions: committed, aborted, and one left open, with plain records around.
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {Producer, Transaction} from 'kafkajs'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {runCliAsync} from './group-cli-runner.js'
import {type ProcessResult, cliEnvironment, expectOneErrorLine} from './weir-process.js'

const require = createRequire(import.meta.url)
// kafkajs is CommonJS with its own typings.
const kafkajs = require('kafkajs') as typeof import('kafkajs')

describe('weir transactions and consume --isolation-level against a daemon', function () {
  this.timeout(180_000)
  const scratch = mkdtempSync(join(tmpdir(), 'weir-transactions-daemon-'))
  const env = cliEnvironment(scratch)
  let daemon: TestDaemon
  const producers: Producer[] = []
  /** orders-open's transaction, left open by before() (offset 9: open1). */
  let openTransaction: Transaction

  function weir(...args: string[]): Promise<ProcessResult> {
    return runCliAsync([...args, '--socket', daemon.socket], env)
  }

  async function producer(transactionalId?: string): Promise<Producer> {
    const kafka = new kafkajs.Kafka({clientId: 'txn-writer', brokers: [daemon.bootstrap], logLevel: kafkajs.logLevel.NOTHING})
    const made = transactionalId === undefined
      ? kafka.producer()
      : kafka.producer({transactionalId, idempotent: true, maxInFlightRequests: 1})
    await made.connect()
    producers.push(made)
    return made
  }

  async function inTransaction(p: Producer, values: string[], end: 'commit' | 'abort' | 'open'): Promise<Transaction> {
    const transaction = await p.transaction()
    await transaction.send({topic: 'orders', messages: values.map((value) => ({value, partition: 0}))})
    if (end === 'commit') await transaction.commit()
    else if (end === 'abort') await transaction.abort()
    return transaction
  }

  const values = (result: ProcessResult): string[] => result.stdout.split('\n').filter((line) => line !== '')

  before(async () => {
    daemon = await startTestDaemon()
    const created = await weir('topics', 'create', 'orders', '--partitions', '1')
    expect(created.status, created.stderr).to.equal(0)
    const loader = await producer('orders-loader')
    const plain = await producer()
    await inTransaction(loader, ['c1', 'c2'], 'commit')
    await inTransaction(loader, ['x1', 'x2'], 'abort')
    await plain.send({topic: 'orders', messages: [{value: 'p1', partition: 0}]})
    await inTransaction(loader, ['c3'], 'commit')
    // Offsets: c1 c2 COMMIT x1 x2 ABORT p1 c3 COMMIT open1 p2.
    openTransaction = await inTransaction(await producer('orders-open'), ['open1'], 'open')
    await plain.send({topic: 'orders', messages: [{value: 'p2', partition: 0}]})
  })

  after(async () => {
    for (const p of producers) await p.disconnect().catch(() => undefined)
    await daemon?.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  it('read_committed prints the committed records up to the open transaction, read_uncommitted every data record', async () => {
    const committed = await weir('consume', 'orders', '--from-beginning', '--exit-at-end', '--isolation-level', 'read_committed')
    expect(committed.status, committed.stderr).to.equal(0)
    expect(values(committed)).to.deep.equal(['c1', 'c2', 'p1', 'c3'])
    const everything = await weir('consume', 'orders', '--from-beginning', '--exit-at-end')
    expect(everything.status, everything.stderr).to.equal(0)
    expect(values(everything)).to.deep.equal(['c1', 'c2', 'x1', 'x2', 'p1', 'c3', 'open1', 'p2'])
    const grouped = await weir('consume', 'orders', '--group', 'committed-readers', '--from-beginning', '--exit-at-end', '--isolation-level', 'read_committed')
    expect(grouped.status, grouped.stderr).to.equal(0)
    expect(values(grouped)).to.deep.equal(['c1', 'c2', 'p1', 'c3'])
  })

  it('lists and describes the transactional ids', async () => {
    const listed = await weir('transactions', 'list', '--json')
    expect(listed.status, listed.stderr).to.equal(0)
    const byId = new Map((JSON.parse(listed.stdout) as {transactionalId: string; state: string}[]).map((t) => [t.transactionalId, t.state]))
    expect(byId.get('orders-loader')).to.equal('CompleteCommit')
    expect(byId.get('orders-open')).to.equal('Ongoing')
    const ongoing = await weir('transactions', 'list', '--state', 'ongoing')
    expect(values(ongoing).slice(1).map((line) => line.split(/\s+/)[0])).to.deep.equal(['orders-open'])
    const described = JSON.parse((await weir('transactions', 'describe', 'orders-open', '--json')).stdout)
    expect(described.state).to.equal('Ongoing')
    expect(described.partitions).to.deep.equal([{topic: 'orders', partition: 0}])
    expect(described.startTimeMs).to.be.a('number')
    expectOneErrorLine(await weir('transactions', 'describe', 'nobody'), 1)
  })

  it('describes the producers of the partition, the open transaction with its start offset', async () => {
    const result = await weir('transactions', 'describe-producers', '--topic', 'orders', '--partition', '0', '--json')
    expect(result.status, result.stderr).to.equal(0)
    const {producers: active} = JSON.parse(result.stdout) as {producers: {currentTransactionStartOffset: number | null}[]}
    // orders-loader and orders-open (kafkajs's plain producer is not idempotent: it has no producer id).
    expect(active).to.have.length(2)
    expect(active.map((p) => p.currentTransactionStartOffset).filter((offset) => offset !== null)).to.deep.equal([9])
  })

  it('read_committed goes on past the transaction once it commits', async () => {
    const reading = weir('consume', 'orders', '--offset', '9', '--isolation-level', 'read_committed', '--max-messages', '2')
    await openTransaction.commit()
    const result = await reading
    expect(result.status, result.stderr).to.equal(0)
    expect(values(result)).to.deep.equal(['open1', 'p2'])
    const listed = JSON.parse((await weir('transactions', 'list', '--json')).stdout) as {transactionalId: string; state: string}[]
    expect(listed.find((t) => t.transactionalId === 'orders-open')!.state).to.equal('CompleteCommit')
  })
})
