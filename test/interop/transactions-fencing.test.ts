// The transaction coordinator's guards, with confluent-kafka (librdkafka 2.0.2) producers:
//   1. a second producer with the same transactional id fences the first: its init_transactions
//      aborts the first one's open transaction, and the first one's commit then fails with a fatal
//      error; the second one's transaction commits, and read_committed readers see only its records;
//   2. a producer killed (SIGKILL) inside a transaction leaves it open until the daemon aborts it on
//      its timeout (transaction.timeout.ms 2000 here): read_committed readers are held at its first
//      offset until then and afterwards read past it without its records.
// `weir transactions describe` and `list` show both transactional ids as the clients left them.
import {expect} from 'chai'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {kafkajsCreateTopics, kafkajsSend} from './kafkajs-txn.js'
import {ConfluentTransactions, type TxnRecord, confluentRead, valuesByPartition, weirRead, weirTransactions} from './transactions-drivers.js'

const TIMEOUT_WAIT_MS = 120_000

function records(topic: string, phase: string): TxnRecord[] {
  return Array.from({length: 6}, (_, i) => ({topic, partition: i % 2, value: `${phase}-${i}`}))
}

function view(topic: string, ...rounds: TxnRecord[][]): Record<string, string[]> {
  const result: Record<string, string[]> = {[`${topic}/0`]: [], [`${topic}/1`]: []}
  for (const record of rounds.flat()) result[`${record.topic}/${record.partition}`]!.push(record.value)
  return result
}

describe('transactional producers fenced and timed out', function () {
  this.timeout(300_000)
  let daemon: TestDaemon

  before(async () => {
    daemon = await startTestDaemon({autoCreateTopics: false})
    await kafkajsCreateTopics(daemon.bootstrap, {fenced: 2, 'timed-out': 2})
  })

  after(async () => {
    await daemon?.stop()
  })

  it('a second producer with the same transactional id fences the first', async () => {
    const first = await ConfluentTransactions.start(daemon.bootstrap, 'fence-me')
    let second: ConfluentTransactions | undefined
    try {
      const [old, current] = [records('fenced', 'old'), records('fenced', 'new')]
      await first.run('begin')
      await first.send(old)
      await first.run('flush')
      second = await ConfluentTransactions.start(daemon.bootstrap, 'fence-me')
      const answer = await first.attempt({op: 'commit'})
      expect(answer, 'the fenced producer\'s commit').to.include({event: 'error', fatal: true})
      await second.run('begin')
      await second.send(current)
      await second.run('commit')

      expect(valuesByPartition(await confluentRead(daemon.bootstrap, 'read_committed', ['fenced']))).to.deep.equal(view('fenced', current))
      expect(valuesByPartition(await confluentRead(daemon.bootstrap, 'read_uncommitted', ['fenced']))).to.deep.equal(view('fenced', old, current))
      const described = await weirTransactions(daemon.socket, ['describe', 'fence-me']) as {state: string; producerEpoch: number; timeoutMs: number}
      expect(described).to.include({state: 'CompleteCommit', timeoutMs: 60_000})
      expect(described.producerEpoch, 'bumped past the fenced instance\'s epoch 0').to.be.greaterThan(0)
      await second.close()
    } finally {
      await first.kill()
      await second?.kill()
    }
  })

  it('a transaction left open by a killed producer is aborted on its timeout', async () => {
    const producer = await ConfluentTransactions.start(daemon.bootstrap, 'times-out', 2000)
    const [before, open, after] = [records('timed-out', 'before'), records('timed-out', 'open'), records('timed-out', 'after')]
    await kafkajsSend(daemon.bootstrap, [before], {idempotent: false})
    try {
      await producer.run('begin')
      await producer.send(open)
      await producer.run('flush')
    } finally {
      await producer.kill()
    }
    await kafkajsSend(daemon.bootstrap, [after], {idempotent: false})

    // Until the daemon aborts it, the open transaction holds read_committed readers at its start.
    const deadline = Date.now() + TIMEOUT_WAIT_MS
    let committed = valuesByPartition(await confluentRead(daemon.bootstrap, 'read_committed', ['timed-out']))
    while (JSON.stringify(committed) !== JSON.stringify(view('timed-out', before, after)) && Date.now() < deadline) {
      expect(committed, 'held at the open transaction').to.deep.equal(view('timed-out', before))
      committed = valuesByPartition(await confluentRead(daemon.bootstrap, 'read_committed', ['timed-out']))
    }
    expect(committed, 'read_committed once the transaction timed out').to.deep.equal(view('timed-out', before, after))
    expect(valuesByPartition(await weirRead(daemon.socket, 'read_committed', 'timed-out')), 'weir consume read_committed')
      .to.deep.equal(view('timed-out', before, after))
    expect(valuesByPartition(await confluentRead(daemon.bootstrap, 'read_uncommitted', ['timed-out']))).to.deep.equal(view('timed-out', before, open, after))
    const described = await weirTransactions(daemon.socket, ['describe', 'times-out']) as {state: string; producerId: number; timeoutMs: number}
    expect(described).to.deep.include({state: 'CompleteAbort', timeoutMs: 2000, partitions: []})
    const listed = await weirTransactions(daemon.socket, ['list']) as {transactionalId: string; producerId: number; state: string}[]
    expect(listed.find((entry) => entry.transactionalId === 'times-out')).to.include({producerId: described.producerId, state: 'CompleteAbort'})

    // The transactional id is usable again: a new producer starts and commits.
    const next = await ConfluentTransactions.start(daemon.bootstrap, 'times-out')
    try {
      await next.run('begin')
      await next.send(records('timed-out', 'next'))
      await next.run('commit')
      await next.close()
    } finally {
      await next.kill()
    }
  })
})
