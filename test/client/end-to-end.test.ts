// The client against the real daemon (a child process): what one client writes, it reads back.
import {expect} from 'chai'
import {KafkaClient, type ClientOptions} from '../../src/client/index.js'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'

const RECORDS = 100_000

describe('client against the daemon', function () {
  this.timeout(120_000)
  let daemon: TestDaemon

  before(async () => {
    daemon = await startTestDaemon()
  })

  after(async () => {
    await daemon.stop()
  })

  const transports: [string, () => ClientOptions][] = [
    ['the Unix socket', () => ({socket: daemon.socket})],
    ['TCP', () => ({bootstrapServers: [daemon.bootstrap]})],
  ]
  for (const [transport, options] of transports) {
    it(`produces ${RECORDS} records and consumes them back over ${transport}`, async () => {
      const client = await KafkaClient.connect(options())
      try {
        const topic = `e2e-${transport === 'TCP' ? 'tcp' : 'socket'}`
        const [created] = await client.admin().createTopics([{name: topic, partitions: 3}])
        expect(created!.errorCode).to.equal(0)

        const producer = client.producer({acks: -1, compression: 'lz4'})
        for (let i = 0; i < RECORDS; i++) {
          const key = i % 10 === 0 ? null : Buffer.from(`key-${i % 97}`)
          if (!producer.send({topic, key, value: Buffer.from(`value-${i}`)})) await producer.drain()
        }
        await producer.close()
        expect(producer.acknowledged).to.equal(RECORDS)

        const ends = await client.admin().listOffsets(topic, [0, 1, 2], 'latest')
        expect([...ends.values()].reduce((a, b) => a + b, 0)).to.equal(RECORDS)

        const consumer = client.consumer()
        await consumer.assign([0, 1, 2].map((partition) => ({topic, partition, offset: 'earliest' as const})))
        const seen = new Set<number>()
        const lastPerKey = new Map<string, number>()
        for await (const batch of consumer.batches()) {
          for (const record of batch.records) {
            const i = Number(record.value!.toString().slice('value-'.length))
            seen.add(i)
            const key = record.key?.toString()
            if (key !== undefined) {
              expect(i, `order of ${key}`).to.be.greaterThan(lastPerKey.get(key) ?? -1)
              lastPerKey.set(key, i)
            }
          }
          if ([0, 1, 2].every((p) => consumer.position(topic, p) >= ends.get(p)!)) break
        }
        await consumer.close()
        expect(seen.size).to.equal(RECORDS)
      } finally {
        await client.close()
      }
    })
  }
})
