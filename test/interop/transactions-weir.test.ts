// `weir produce --transactional-id` read by real clients: Weir's own transactional batches and
// markers, as confluent-kafka (librdkafka 2.0.2) and kafkajs 2.2.4 read them.
//   1. The input in transactions of 4 records, all committed at the end of the input: read_committed
//      readers see every record, in order.
//   2. A run interrupted (SIGINT) while a transaction is open, its records already in the log: the
//      command aborts the transaction and exits 130; read_committed readers never see those
//      records, read_uncommitted ones do, and what comes after is read by both.
import {expect} from 'chai'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {kafkajsCreateTopics, kafkajsReadUntil, kafkajsSend} from './kafkajs-txn.js'
import {LineProcess, type TxnRecord, confluentRead, valuesByPartition} from './transactions-drivers.js'

const here = dirname(fileURLToPath(import.meta.url))
const weirFromBuild = join(here, '..', 'cli', 'weir-from-build.js')
const WAIT_MS = 60_000

function lines(phase: string, count: number): string[] {
  return Array.from({length: count}, (_, i) => `${phase}-${i}`)
}

describe('weir produce transactions read by real clients', function () {
  this.timeout(240_000)
  let daemon: TestDaemon

  before(async () => {
    daemon = await startTestDaemon({autoCreateTopics: false})
    await kafkajsCreateTopics(daemon.bootstrap, {'weir-txn': 1, 'weir-abort': 1})
  })

  after(async () => {
    await daemon?.stop()
  })

  it('commits every transaction of its input', async () => {
    const input = lines('c', 10)
    const producer = LineProcess.start('weir produce --transactional-id', process.execPath, [weirFromBuild, 'produce', 'weir-txn',
      '--transactional-id', 'weir-commits', '--transaction-size', '4', '--socket', daemon.socket])
    producer.write(input.join('\n'))
    expect(await producer.finish(), producer.errors).to.equal(0)

    expect(valuesByPartition(await confluentRead(daemon.bootstrap, 'read_committed', ['weir-txn']))).to.deep.equal({'weir-txn/0': input})
    const kafkajsRead = await kafkajsReadUntil(daemon.bootstrap, {group: 'weir-txn-reader', topics: ['weir-txn'], readUncommitted: false,
      timeoutMs: WAIT_MS}, (records) => records.length >= input.length)
    expect(valuesByPartition(kafkajsRead)).to.deep.equal({'weir-txn/0': input})
  })

  it('aborts the open transaction on SIGINT', async () => {
    const open = lines('open', 5)
    const producer = LineProcess.start('weir produce --transactional-id', process.execPath, [weirFromBuild, 'produce', 'weir-abort',
      '--transactional-id', 'weir-aborts', '--transaction-size', '100', '--socket', daemon.socket])
    try {
      producer.write(open.join('\n'))
      // The records reach the log inside the open transaction before the interrupt.
      await waitForUncommitted(daemon, open.length)
      expect(await producer.signal('SIGINT'), producer.errors).to.equal(130)
    } finally {
      await producer.kill()
    }
    const after: TxnRecord[] = lines('after', 3).map((value) => ({topic: 'weir-abort', partition: 0, value}))
    await kafkajsSend(daemon.bootstrap, [after], {idempotent: false})
    const afterValues = after.map((record) => record.value)

    expect(valuesByPartition(await confluentRead(daemon.bootstrap, 'read_committed', ['weir-abort']))).to.deep.equal({'weir-abort/0': afterValues})
    expect(valuesByPartition(await confluentRead(daemon.bootstrap, 'read_uncommitted', ['weir-abort'])))
      .to.deep.equal({'weir-abort/0': [...open, ...afterValues]})
    const kafkajsRead = await kafkajsReadUntil(daemon.bootstrap, {group: 'weir-abort-reader', topics: ['weir-abort'], readUncommitted: false,
      timeoutMs: WAIT_MS}, (records) => records.length >= afterValues.length)
    expect(valuesByPartition(kafkajsRead)).to.deep.equal({'weir-abort/0': afterValues})
  })
})

async function waitForUncommitted(daemon: TestDaemon, count: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while ((await confluentRead(daemon.bootstrap, 'read_uncommitted', ['weir-abort'])).length < count) {
    if (Date.now() > deadline) throw new Error(`the open transaction's ${count} records did not reach the log within ${WAIT_MS} ms`)
  }
}
