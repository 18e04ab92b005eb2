// Idempotent producers with real clients against a Weir daemon on TCP.
//   1. confluent-kafka (librdkafka 2.0.2) with enable.idempotence=true and acks=all writes unique
//      values to one partition at a steady rate while the daemon is killed with SIGKILL and
//      restarted, several times. librdkafka keeps the requests that were in flight and sends them
//      again, with their sequence numbers, to the restarted daemon; a request the daemon had
//      appended before it died must be recognised from the recovered producer state and answered
//      with its first offset. Afterwards the partition holds every acknowledged value at the offset
//      its delivery report gave, no value twice, and the values in the order they were sent. Whether
//      a kill finds a request appended but not yet answered is chance: the same test with
//      enable.idempotence=false (and 5 requests in flight) found values appended twice in about one
//      run of four, so a daemon that stopped recognising retries would fail it often, not always.
//   2. kafkajs 2.2.4's idempotent producer sends batches before and after a restart of the daemon
//      (its sequence numbers continue across it); every record is there exactly once.
import {expect} from 'chai'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {kafkajsCreateTopics, kafkajsProducer} from './kafkajs-txn.js'
import {type LineProcess, type TxnRecord, confluentRead, startIdempotentProducer, valuesByPartition} from './transactions-drivers.js'

const KILLS = 12
const RATE = 20000
/** New acknowledgements between two kills (and after the last restart). */
const ACKED_PER_CYCLE = 2000
const ACK_TIMEOUT_MS = 120_000

interface Ack {
  offset: number
  value: string
}

function acksOf(producer: LineProcess): Ack[] {
  return producer.lines.filter((line) => /^\d+ /.test(line)).map((line) => {
    const space = line.indexOf(' ')
    return {offset: Number(line.slice(0, space)), value: line.slice(space + 1)}
  })
}

/** Every line the producer prints is an acknowledgement (failures go to stderr). */
async function untilAcked(producer: LineProcess, count: number): Promise<void> {
  await producer.waitUntil(() => (producer.lines.length >= count ? true : undefined), ACK_TIMEOUT_MS)
}

describe('idempotent producers with real clients', function () {
  this.timeout(600_000)
  let daemon: TestDaemon
  let dataDir: string

  beforeEach(async () => {
    // A data directory of our own, kept across restarts (the daemon helper removes its own on stop).
    dataDir = await mkdtemp(join(tmpdir(), 'weir-idempotence-'))
    daemon = await startTestDaemon({dataDir, autoCreateTopics: false})
  })

  afterEach(async () => {
    await daemon?.stop()
    await rm(dataDir, {recursive: true, force: true})
  })

  it('confluent-kafka: requests retried across kill -9 of the daemon leave no duplicates', async () => {
    await kafkajsCreateTopics(daemon.bootstrap, {idem: 1})
    const producer = startIdempotentProducer(daemon.bootstrap, 'idem', 'v', RATE)
    const pauses: number[] = []
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        await untilAcked(producer, (kill + 1) * ACKED_PER_CYCLE)
        await daemon.kill9()
        // A random pause, so the producer's retries meet the restarted daemon at different points.
        const pause = Math.floor(Math.random() * 500)
        pauses.push(pause)
        await new Promise((resolve) => setTimeout(resolve, pause))
        await daemon.restart()
      }
      await untilAcked(producer, (KILLS + 1) * ACKED_PER_CYCLE)
    } finally {
      await producer.kill()
    }
    const acked = acksOf(producer)
    const log = await confluentRead(daemon.bootstrap, 'read_uncommitted', ['idem'])
    const context = `pauses ${pauses.join(',')} ms; ${producer.errors.slice(-600)}`

    const values = log.map((record) => record.value!.toString())
    const repeated = values.filter((value, i) => values.indexOf(value) !== i)
    expect(repeated, `values appended twice (${context})`).to.deep.equal([])
    const sequence = values.map((value) => Number(value.slice(2)))
    expect(sequence, `values in the order they were sent (${context})`).to.deep.equal([...sequence].sort((a, b) => a - b))
    const atOffset = new Map(log.map((record) => [record.offset, record.value!.toString()]))
    const misplaced = acked.filter((ack) => atOffset.get(ack.offset) !== ack.value)
    expect(misplaced.slice(0, 5), `acknowledged values not at their reported offset (${context})`).to.deep.equal([])
    // Nothing acknowledged is missing, and nothing was skipped before the last acknowledgement.
    const lastAcked = Math.max(...acked.map((ack) => Number(ack.value.slice(2))))
    expect(sequence.filter((n) => n <= lastAcked), `no gap (${context})`).to.deep.equal(Array.from({length: lastAcked + 1}, (_, i) => i))
  })

  it('kafkajs: the idempotent producer writes every record once, before and after a daemon restart', async () => {
    await kafkajsCreateTopics(daemon.bootstrap, {'idem-kjs': 1})
    const batch = (phase: string) => Array.from({length: 20}, (_, i): TxnRecord => ({topic: 'idem-kjs', partition: 0, value: `${phase}-${i}`}))
    const [b1, b2, b3] = [batch('b1'), batch('b2'), batch('b3')]
    const producer = await kafkajsProducer(daemon.bootstrap, {idempotent: true})
    try {
      await producer.send(b1)
      await producer.send(b2)
      await daemon.stop()
      await daemon.restart()
      await producer.send(b3)
    } finally {
      await producer.close()
    }
    const read = await confluentRead(daemon.bootstrap, 'read_uncommitted', ['idem-kjs'])
    expect(valuesByPartition(read)).to.deep.equal({'idem-kjs/0': [...b1, ...b2, ...b3].map((record) => record.value)})
  })
})
