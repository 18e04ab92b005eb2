// Transactions with real clients against one Weir daemon on TCP.
//   1. A confluent-kafka (librdkafka 2.0.2) transactional producer commits and aborts transactions
//      over two topics (four partitions), between records of a plain kafkajs producer; one
//      transaction stays open. While it is open, read_committed readers (confluent-kafka, `weir
//      consume --isolation-level read_committed`) stop before it — at the last stable offset, so
//      plain records written after it are held back too — and read_uncommitted readers see all.
//      Once it commits, read_committed readers (confluent-kafka, kafkajs, weir) see exactly the
//      committed and plain records, read_uncommitted ones (the same three) every record; no reader
//      ever shows a control record (every value is known, in offset order per partition).
//   2. kafkajs 2.2.4 transactions: commit, abort, and sendOffsets inside a committed and an
//      aborted transaction; confluent-kafka and kafkajs read_committed readers see the committed
//      records only, and the group's committed offset is the committed transaction's.
import {expect} from 'chai'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {kafkajsClient} from './kafkajs-driver.js'
import {kafkajsCreateTopics, kafkajsReadUntil, kafkajsSend, kafkajsTransactions} from './kafkajs-txn.js'
import {ConfluentTransactions, type Isolation, type TxnRecord, confluentRead, valuesByPartition, weirRead} from './transactions-drivers.js'
import type {ReadRecord} from './records.js'

const TOPICS = {a: 'eos-a', b: 'eos-b'}
const PARTITIONS: Record<string, number> = {[TOPICS.a]: 3, [TOPICS.b]: 1}
const READ_TIMEOUT_MS = 90_000

/** One record to every partition of both topics, values `<phase>-<topic>-<partition>-<i>`. */
function roundOf(phase: string, perPartition: number): TxnRecord[] {
  const records: TxnRecord[] = []
  for (const [topic, partitions] of Object.entries(PARTITIONS)) {
    for (let partition = 0; partition < partitions; partition++) {
      for (let i = 0; i < perPartition; i++) records.push({topic, partition, key: `k${i}`, value: `${phase}-${topic}-${partition}-${i}`})
    }
  }
  return records
}

/** What a reader should see: the values of `rounds`, per partition, in the order they were written. */
function expected(rounds: TxnRecord[][]): Record<string, string[]> {
  const view: Record<string, string[]> = {}
  for (const round of rounds) for (const record of round) (view[`${record.topic}/${record.partition}`] ??= []).push(record.value)
  return Object.fromEntries(Object.entries(view).sort(([a], [b]) => a.localeCompare(b)))
}

/** read_committed or read_uncommitted, through confluent-kafka and weir consume, one topic at a time for weir. */
async function readBoth(daemon: TestDaemon, isolation: Isolation): Promise<{confluent: ReadRecord[]; weir: ReadRecord[]}> {
  const topics = Object.keys(PARTITIONS)
  const confluent = await confluentRead(daemon.bootstrap, isolation, topics)
  const weir = (await Promise.all(topics.map((topic) => weirRead(daemon.socket, isolation, topic)))).flat()
  return {confluent, weir}
}

/** True once a record with each of `values` was read. */
function sawAll(values: string[]): (records: ReadRecord[]) => boolean {
  return (records) => {
    const seen = new Set(records.map((record) => record.value?.toString()))
    return values.every((value) => seen.has(value))
  }
}

describe('transactions with real clients', function () {
  this.timeout(300_000)
  let daemon: TestDaemon

  before(async () => {
    daemon = await startTestDaemon({autoCreateTopics: false})
    await kafkajsCreateTopics(daemon.bootstrap, {...PARTITIONS, 'kjs-in': 2, 'kjs-out': 2})
  })

  after(async () => {
    await daemon?.stop()
  })

  it('confluent-kafka commits and aborts; read_committed readers see committed records only, read_uncommitted all', async () => {
    const producer = await ConfluentTransactions.start(daemon.bootstrap, 'confluent-eos')
    const plain = (phase: string) => roundOf(phase, 2)
    const inTransaction = async (records: TxnRecord[], end: 'commit' | 'abort' | 'open') => {
      await producer.run('begin')
      await producer.send(records)
      await producer.run('flush')
      if (end !== 'open') await producer.run(end)
    }
    const [t1, t2, t3, t4, t5] = ['t1', 't2', 't3', 't4', 't5'].map((phase) => roundOf(phase, 5)) as TxnRecord[][]
    const [p1, p2, p3, p4] = ['p1', 'p2', 'p3', 'p4'].map(plain) as TxnRecord[][]
    try {
      await inTransaction(t1!, 'commit')
      await kafkajsSend(daemon.bootstrap, [p1!], {idempotent: false})
      await inTransaction(t2!, 'abort')
      await inTransaction(t3!, 'commit')
      await kafkajsSend(daemon.bootstrap, [p2!], {idempotent: false})
      await inTransaction(t4!, 'abort')
      await inTransaction(t5!, 'open')
      await kafkajsSend(daemon.bootstrap, [p3!], {idempotent: false})

      const open = {committed: await readBoth(daemon, 'read_committed'), uncommitted: await readBoth(daemon, 'read_uncommitted')}
      const stable = expected([t1!, p1!, t3!, p2!])
      expect(valuesByPartition(open.committed.confluent), 'confluent-kafka read_committed, t5 open').to.deep.equal(stable)
      expect(valuesByPartition(open.committed.weir), 'weir consume read_committed, t5 open').to.deep.equal(stable)
      const everything = expected([t1!, p1!, t2!, t3!, p2!, t4!, t5!, p3!])
      expect(valuesByPartition(open.uncommitted.confluent), 'confluent-kafka read_uncommitted, t5 open').to.deep.equal(everything)
      expect(valuesByPartition(open.uncommitted.weir), 'weir consume read_uncommitted, t5 open').to.deep.equal(everything)

      await producer.run('commit')
      await kafkajsSend(daemon.bootstrap, [p4!], {idempotent: false})
      const committed = expected([t1!, p1!, t3!, p2!, t5!, p3!, p4!])
      const all = expected([t1!, p1!, t2!, t3!, p2!, t4!, t5!, p3!, p4!])
      const done = {committed: await readBoth(daemon, 'read_committed'), uncommitted: await readBoth(daemon, 'read_uncommitted')}
      expect(valuesByPartition(done.committed.confluent), 'confluent-kafka read_committed').to.deep.equal(committed)
      expect(valuesByPartition(done.committed.weir), 'weir consume read_committed').to.deep.equal(committed)
      expect(valuesByPartition(done.uncommitted.confluent), 'confluent-kafka read_uncommitted').to.deep.equal(all)
      expect(valuesByPartition(done.uncommitted.weir), 'weir consume read_uncommitted').to.deep.equal(all)

      // kafkajs has no end-of-partition signal: it reads until the last plain round (written after
      // everything else) is in, and must then hold exactly what the other readers hold.
      const topics = Object.keys(PARTITIONS)
      const lastValues = p4!.map((record) => record.value)
      const kafkajsCommitted = await kafkajsReadUntil(daemon.bootstrap, {group: 'kjs-committed', topics, readUncommitted: false,
        timeoutMs: READ_TIMEOUT_MS}, sawAll(lastValues))
      expect(valuesByPartition(kafkajsCommitted), 'kafkajs read_committed').to.deep.equal(committed)
      const kafkajsAll = await kafkajsReadUntil(daemon.bootstrap, {group: 'kjs-uncommitted', topics, readUncommitted: true,
        timeoutMs: READ_TIMEOUT_MS}, sawAll(lastValues))
      expect(valuesByPartition(kafkajsAll), 'kafkajs read_uncommitted').to.deep.equal(all)
      await producer.close()
    } finally {
      await producer.kill()
    }
  })

  it('kafkajs transactions commit, abort and commit offsets with sendOffsets', async () => {
    const round = (phase: string) => [0, 1].flatMap((partition) =>
      [0, 1, 2].map((i): TxnRecord => ({topic: 'kjs-out', partition, value: `${phase}-${partition}-${i}`})))
    const offsets = (offset: string) => ({group: 'kjs-transform', topic: 'kjs-in',
      partitions: [{partition: 0, offset}, {partition: 1, offset}]})
    const [c1, a1, c2, a2] = [round('c1'), round('a1'), round('c2'), round('a2')]
    await kafkajsTransactions(daemon.bootstrap, 'kafkajs-eos', [
      {records: c1, end: 'commit'},
      {records: a1, end: 'abort'},
      {records: c2, end: 'commit', offsets: offsets('7')},
      {records: a2, end: 'abort', offsets: offsets('9')},
    ])
    const fence = round('last')
    await kafkajsSend(daemon.bootstrap, [fence], {idempotent: false})

    const committed = {'kjs-out/0': [], 'kjs-out/1': []} as Record<string, string[]>
    for (const record of [...c1, ...c2, ...fence]) committed[`${record.topic}/${record.partition}`]!.push(record.value)
    expect(valuesByPartition(await confluentRead(daemon.bootstrap, 'read_committed', ['kjs-out'])), 'confluent-kafka read_committed').to.deep.equal(committed)
    const kafkajsRead = await kafkajsReadUntil(daemon.bootstrap, {group: 'kjs-reader', topics: ['kjs-out'], readUncommitted: false,
      timeoutMs: READ_TIMEOUT_MS}, sawAll(fence.map((record) => record.value)))
    expect(valuesByPartition(kafkajsRead), 'kafkajs read_committed').to.deep.equal(committed)

    const admin = kafkajsClient(daemon.bootstrap).admin()
    await admin.connect()
    try {
      const [fetched] = await admin.fetchOffsets({groupId: 'kjs-transform', topics: ['kjs-in']})
      const byPartition = fetched!.partitions.map(({partition, offset}) => [partition, offset]).sort()
      expect(byPartition, 'the committed transaction\'s offsets, not the aborted one\'s').to.deep.equal([[0, '7'], [1, '7']])
    } finally {
      await admin.disconnect()
    }
  })
})
