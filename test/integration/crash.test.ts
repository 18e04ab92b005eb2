// kill -9 of the daemon while a real client (confluent-kafka, librdkafka) produces: after a
// restart every record the client saw acknowledged is in the log at its acknowledged
// offset, exactly once, and the log's offsets have no holes. Several cycles on one data
// directory, with acks=1 (page cache) and acks=all (fsync before the answer).
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {join} from 'node:path'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {repoRoot, systemPython, weir} from '../interop/drivers.js'

interface Acked {
  offset: number
  value: string
}

/** Starts the acknowledging producer; resolves once `count` acknowledgements were printed. */
function produceUntilAcked(bootstrap: string, topic: string, acks: string, count: number, tag: string): {child: ChildProcess; acked: Acked[]; reached: Promise<void>} {
  const script = join(repoRoot, 'test/interop/clients/confluent_kafka_client.py')
  const child = spawn(systemPython, [script, 'acked', bootstrap, topic, acks, tag], {stdio: ['ignore', 'pipe', 'pipe']})
  const acked: Acked[] = []
  let pending = ''
  const reached = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const [, offset, value] = line.split(' ')
        acked.push({offset: Number(offset), value})
      }
      if (acked.length >= count) resolve()
    })
    child.once('exit', (code) => {
      if (acked.length < count) reject(new Error(`producer exited (${code}) after ${acked.length} acknowledgements`))
    })
  })
  return {child, acked, reached}
}

function readLog(daemon: TestDaemon, topic: string): {offset: number; value: string}[] {
  const out = weir(['consume', topic, '--from-beginning', '--exit-at-end', '--json', '--socket', daemon.socket])
  return out
    .toString()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as {offset: number; value: string})
}

describe('crash: kill -9 of the daemon under load loses nothing acknowledged', function () {
  this.timeout(180_000)
  const topic = 'crash'
  let daemon: TestDaemon
  const allAcked: Acked[] = []

  before(async () => {
    daemon = await startTestDaemon()
    weir(['topics', 'create', topic, '--partitions', '1', '--socket', daemon.socket])
  })

  after(async () => {
    await daemon?.stop()
  })

  const cycles: {acks: string; count: number}[] = [
    {acks: '1', count: 3000},
    {acks: '1', count: 12_000},
    {acks: 'all', count: 2000},
    {acks: '1', count: 25_000},
    {acks: 'all', count: 5000},
  ]
  cycles.forEach(({acks, count}, cycle) => {
    it(`cycle ${cycle + 1}: acks=${acks}, killed after ${count} acknowledgements`, async () => {
      const producer = produceUntilAcked(daemon.bootstrap, topic, acks, count, `cycle${cycle + 1}`)
      try {
        await producer.reached
        await daemon.kill9()
      } finally {
        producer.child.kill('SIGKILL')
      }
      allAcked.push(...producer.acked)
      await daemon.restart()

      const log = readLog(daemon, topic)
      log.forEach((record, i) => expect(record.offset, 'offsets have no holes').to.equal(i))
      for (const {offset, value} of allAcked) {
        expect(log[offset]?.value, `acknowledged offset ${offset}`).to.equal(value)
      }
      const values = new Set(log.map((r) => r.value))
      expect(values.size, 'no record is duplicated').to.equal(log.length)
    })
  })
})
