// Exactly once through a consume-transform-produce loop of confluent-kafka (librdkafka 2.0.2): it
// reads an input topic read_committed in a consumer group, writes "<value>|out" to an output topic
// and commits its input offsets with send_offsets_to_transaction in the same transaction. The loop
// is killed with SIGKILL again and again and started again with the same transactional id, which
// fences the dead instance and aborts what it left open; the group resumes from the offsets of the
// last committed transaction. Kills come at random moments while it works (inside a transaction,
// while committing, between transactions) and, in between, at chosen points: inside a transaction
// whose records are in the log, and inside one whose offsets are pending too. Input keeps arriving
// between kills. In the end a read_committed reader finds every input exactly once in the output
// topic, the group's offsets are at the end of the input, and the output log holds the aborted
// records of the transactions killed at the chosen points (read_uncommitted sees more). The loop
// flushes each transaction's records before sending its offsets, so a random kill from then until
// the commit also leaves aborted records (in two runs, one random kill of four did).
import {expect} from 'chai'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {kafkajsClient} from './kafkajs-driver.js'
import {kafkajsCreateTopics, kafkajsSend} from './kafkajs-txn.js'
import {type LineProcess, type TransformHang, type TransformSettings, type TxnRecord, confluentRead, startTransform} from './transactions-drivers.js'

const PARTITIONS = 3
/** Where each incarnation is killed: at a random moment while it works, or at a chosen point. */
const KILLS: ('random' | TransformHang)[] = ['random', {after: 2, at: 'produced'}, 'random', {after: 1, at: 'offsets'}, 'random', 'random',
  {after: 0, at: 'offsets'}]
/** Input records written before each incarnation: enough work that a random kill finds it busy. */
const ROUND = 3000
/** Records per transaction at most: many transactions per incarnation, so kills land inside them. */
const BATCH = 25
/** A killed member stays in the group until its session (6 s) times out; then the group rebalances. */
const PROGRESS_TIMEOUT_MS = 120_000
const MAX_KILL_DELAY_MS = 400

function committedEvents(transform: LineProcess): number {
  return transform.lines.filter((line) => line.includes('"committed"')).length
}

describe('consume-transform-produce with confluent-kafka, killed at random points', function () {
  this.timeout(900_000)
  let daemon: TestDaemon

  before(async () => {
    daemon = await startTestDaemon({autoCreateTopics: false,
      configs: {'group.min.session.timeout.ms': '1000', 'group.initial.rebalance.delay.ms': '0'}})
    await kafkajsCreateTopics(daemon.bootstrap, {'ctp-in': PARTITIONS, 'ctp-out': PARTITIONS})
  })

  after(async () => {
    await daemon?.stop()
  })

  it('leaves each input exactly once in the output topic', async () => {
    const settings: TransformSettings = {bootstrap: daemon.bootstrap, input: 'ctp-in', output: 'ctp-out', group: 'ctp',
      transactionalId: 'ctp-transform', batch: BATCH}
    const inputs: string[] = []
    const writeRound = async (round: number) => {
      const records = Array.from({length: ROUND}, (_, i): TxnRecord =>
        ({topic: 'ctp-in', partition: i % PARTITIONS, key: `k${i}`, value: `in-${round}-${i}`}))
      await kafkajsSend(daemon.bootstrap, [records], {idempotent: false})
      inputs.push(...records.map((record) => record.value))
    }
    const delays: number[] = []
    let transform: LineProcess | undefined
    try {
      for (const [round, kill] of KILLS.entries()) {
        await writeRound(round)
        if (kill === 'random') {
          transform = startTransform(settings)
          // Some progress first (the group formed, a transaction committed), then a random moment.
          await transform.waitForLine((line) => line.includes('"committed"'), PROGRESS_TIMEOUT_MS)
          const delay = Math.floor(Math.random() * MAX_KILL_DELAY_MS)
          delays.push(delay)
          await new Promise((resolve) => setTimeout(resolve, delay))
        } else {
          transform = startTransform(settings, kill)
          await transform.waitForLine((line) => line.includes('"hanging"'), PROGRESS_TIMEOUT_MS)
        }
        await transform.kill()
      }
      await writeRound(KILLS.length)
      transform = startTransform(settings)
      const expectedCount = inputs.length
      let output: string[] = []
      const deadline = Date.now() + PROGRESS_TIMEOUT_MS
      while (output.length < expectedCount && Date.now() < deadline) {
        await transform.waitForLine(() => committedEvents(transform!) > 0, PROGRESS_TIMEOUT_MS)
        output = (await confluentRead(daemon.bootstrap, 'read_committed', ['ctp-out'])).map((record) => record.value!.toString())
      }
      expect(await transform.finish(), transform.errors).to.equal(0)

      const context = `kill delays ${delays.join(',')} ms`
      const repeated = output.filter((value, i) => output.indexOf(value) !== i)
      expect(repeated.slice(0, 10), `outputs written twice (${context})`).to.deep.equal([])
      expect([...output].sort(), `every input once (${context})`).to.deep.equal(inputs.map((value) => `${value}|out`).sort())
      const everything = await confluentRead(daemon.bootstrap, 'read_uncommitted', ['ctp-out'])
      expect(everything.length, 'aborted records of the transactions killed at chosen points').to.be.greaterThan(output.length)
      const admin = kafkajsClient(daemon.bootstrap).admin()
      await admin.connect()
      try {
        const [group] = await admin.fetchOffsets({groupId: 'ctp', topics: ['ctp-in']})
        const ends = await admin.fetchTopicOffsets('ctp-in')
        const toMap = (list: {partition: number; offset: string}[]) => Object.fromEntries(list.map((p) => [p.partition, p.offset]))
        expect(toMap(group!.partitions), 'committed offsets at the end of the input').to.deep.equal(toMap(ends))
      } finally {
        await admin.disconnect()
      }
    } finally {
      await transform?.kill()
    }
  })
})
