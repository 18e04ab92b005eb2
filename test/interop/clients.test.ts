// Real Kafka clients against one Weir daemon on TCP: every writer's records (keys, headers,
// binary payloads, every codec the client has) are read back byte for byte by every reader.
//   writers: kcat (-P, with and without -K, -z codecs), kafka-python 2.0.2, confluent-kafka
//            (librdkafka 2.0.2), kafkajs 2.2.4, weir over the socket and over TCP
//   readers: kcat -C -e, kafka-python (assign + seek), confluent-kafka (assign), weir
import {expect} from 'chai'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {
  type Codec,
  codecs,
  kcatConsume,
  kcatHeaderView,
  kcatProduce,
  pythonConsume,
  pythonProduce,
  run,
  toWeirJsonLine,
  weir,
  weirConsume,
} from './drivers.js'
import {kafkajsClient, kafkajsProduce} from './kafkajs-driver.js'
import {type ReadRecord, type TestRecord, describeRecord, describeTopic, richRecords, textRecords} from './records.js'

interface Writer {
  topic: string
  records: TestRecord[]
  write(daemon: TestDaemon): Promise<void> | void
}

function writers(): Writer[] {
  const list: Writer[] = []
  const kcatValues = textRecords(20, 'kcat').map((r) => ({...r, key: null}))
  list.push({topic: 'kcat-values', records: kcatValues, write: (d) => kcatProduce(d.bootstrap, 'kcat-values', 'none', kcatValues, false)})
  for (const codec of codecs) {
    const kcatKeyed = textRecords(30, `kcat ${codec}`)
    list.push({topic: `kcat-keyed-${codec}`, records: kcatKeyed, write: (d) => kcatProduce(d.bootstrap, `kcat-keyed-${codec}`, codec, kcatKeyed, true)})
    // kafka-python 2.0.2 asserts every header value is bytes: it cannot send a null one
    const kafkaPython = richRecords(`kafka-python ${codec}`, {nullHeaderValues: false})
    list.push({topic: `kafka-python-${codec}`, records: kafkaPython, write: (d) => pythonProduce('kafka_python', d.bootstrap, `kafka-python-${codec}`, codec, kafkaPython)})
    const confluent = richRecords(`confluent-kafka ${codec}`, {nullHeaderValues: true})
    list.push({topic: `confluent-${codec}`, records: confluent, write: (d) => pythonProduce('confluent_kafka', d.bootstrap, `confluent-${codec}`, codec, confluent)})
    const kafkajs = richRecords(`kafkajs ${codec}`, {nullHeaderValues: false})
    list.push({topic: `kafkajs-${codec}`, records: kafkajs, write: (d) => kafkajsProduce(d.bootstrap, `kafkajs-${codec}`, codec, kafkajs)})
    const weirJson = richRecords(`weir ${codec}`, {nullHeaderValues: true})
    list.push({topic: `weir-json-${codec}`, records: weirJson, write: (d) => weirProduceJson(['--socket', d.socket], `weir-json-${codec}`, codec, weirJson)})
  }
  const overTcp = richRecords('weir over tcp', {nullHeaderValues: true})
  list.push({topic: 'weir-json-tcp', records: overTcp, write: (d) => weirProduceJson(['--bootstrap-server', d.bootstrap], 'weir-json-tcp', 'zstd', overTcp)})
  const lines = textRecords(25, 'weir lines')
  list.push({topic: 'weir-lines', records: lines, write: (d) => weirProduceLines(d, 'weir-lines', lines)})
  return list
}

function weirProduceJson(connection: string[], topic: string, codec: Codec, records: TestRecord[]): void {
  const input = records.map(toWeirJsonLine).join('\n') + '\n'
  weir(['produce', topic, '--json', '--compression', codec, '--acks', 'all', ...connection], input)
}

function weirProduceLines(daemon: TestDaemon, topic: string, records: TestRecord[]): void {
  const input = records.map((r) => `${r.key?.toString()}|${r.value?.toString()}`).join('\n') + '\n'
  weir(['produce', topic, '--key-separator', '|', '--header', 'source=weir lines', '--partition', '0', '--socket', daemon.socket], input)
}

function expectSameRecords(actual: ReadRecord[], expected: TestRecord[], topic: string, reader: string): void {
  const got = describeTopic(actual, topic)
  const want = expected.map(describeRecord)
  expect(got.length, `${reader} read ${got.length} of ${want.length} records from ${topic}`).to.equal(want.length)
  got.forEach((line, i) => expect(line, `${reader}: ${topic} offset ${i}`).to.equal(want[i]))
}

describe('interop: real Kafka clients write and read each other', function () {
  this.timeout(300_000)
  let daemon: TestDaemon
  const all = writers()
  const written: Writer[] = []

  before(async () => {
    daemon = await startTestDaemon({autoCreateTopics: false})
  })

  after(async () => {
    await daemon?.stop()
  })

  describe('kafkajs admin', () => {
    it('creates every test topic and sees them in metadata', async () => {
      const admin = kafkajsClient(daemon.bootstrap).admin()
      await admin.connect()
      try {
        const created = await admin.createTopics({topics: all.map((w) => ({topic: w.topic, numPartitions: 1})), waitForLeaders: true})
        expect(created).to.equal(true)
        const metadata = await admin.fetchTopicMetadata({topics: all.map((w) => w.topic)})
        expect(metadata.topics.map((t) => t.name).sort()).to.deep.equal(all.map((w) => w.topic).sort())
        for (const topic of metadata.topics) {
          expect(topic.partitions).to.have.length(1)
          expect(topic.partitions[0].leader).to.be.a('number')
        }
        expect(await admin.createTopics({topics: [{topic: all[0].topic, numPartitions: 1}]})).to.equal(false)
      } finally {
        await admin.disconnect()
      }
    })
  })

  describe('writers', () => {
    for (const writer of all) {
      it(`${writer.topic}: writes ${writer.records.length} records`, async () => {
        await writer.write(daemon)
        written.push(writer)
      })
    }
  })

  describe('kafkajs admin after the writes', () => {
    it('fetchTopicOffsets reports each topic\'s high watermark', async () => {
      const admin = kafkajsClient(daemon.bootstrap).admin()
      await admin.connect()
      try {
        for (const writer of written) {
          const offsets = await admin.fetchTopicOffsets(writer.topic)
          expect(offsets, writer.topic).to.deep.equal([{partition: 0, offset: String(writer.records.length), high: String(writer.records.length), low: '0'}])
        }
      } finally {
        await admin.disconnect()
      }
    })
  })

  describe('readers', () => {
    it('kcat -C -e reads every topic byte for byte', () => {
      for (const writer of written) {
        expectSameRecords(kcatConsume(daemon.bootstrap, writer.topic), writer.records.map(kcatHeaderView), writer.topic, 'kcat')
      }
    })

    it('kafka-python reads every topic byte for byte (assign + seek)', () => {
      const records = pythonConsume('kafka_python', daemon.bootstrap, countsOf(written))
      for (const writer of written) expectSameRecords(records, writer.records, writer.topic, 'kafka-python')
    })

    it('confluent-kafka reads every topic byte for byte (assign)', () => {
      const records = pythonConsume('confluent_kafka', daemon.bootstrap, countsOf(written))
      for (const writer of written) expectSameRecords(records, writer.records, writer.topic, 'confluent-kafka')
    })

    it('weir consume reads every topic byte for byte over the socket', () => {
      for (const writer of written) expectSameRecords(weirConsume(['--socket', daemon.socket], writer.topic), writer.records, writer.topic, 'weir')
    })

    it('weir consume --bootstrap-server reads every topic byte for byte over TCP', () => {
      for (const writer of written) expectSameRecords(weirConsume(['--bootstrap-server', daemon.bootstrap], writer.topic), writer.records, writer.topic, 'weir over tcp')
    })
  })

  describe('kcat modes', () => {
    const topic = 'kcat-keyed-none'

    it('-L lists the broker at its TCP address and the topics', () => {
      const listing = run('kcat', ['-L', '-b', daemon.bootstrap, '-t', topic]).stdout.toString()
      expect(listing).to.match(new RegExp(`broker 1 at 127\\.0\\.0\\.1:${daemon.port}`))
      expect(listing).to.include(`topic "${topic}" with 1 partitions:`)
      expect(listing).to.match(/partition 0, leader 1, replicas: 1, isrs: 1/)
    })

    it('-o N, -o -N and -o end start where asked', () => {
      expect(kcatConsume(daemon.bootstrap, topic, ['-o', '25']).map((r) => r.offset)).to.deep.equal([25, 26, 27, 28, 29])
      expect(kcatConsume(daemon.bootstrap, topic, ['-o', '-2']).map((r) => r.offset)).to.deep.equal([28, 29])
      expect(kcatConsume(daemon.bootstrap, topic, ['-o', 'end'])).to.deep.equal([])
    })
  })

  describe('keyed partitioning', () => {
    const topic = 'keyed-placement'
    const keys = Array.from({length: 40}, (_, i) => `customer-${i}`)

    it('weir places keys on the partitions kafkajs and kafka-python choose (Java murmur2)', async () => {
      weir(['topics', 'create', topic, '--partitions', '6', '--socket', daemon.socket])
      const records = keys.map((key) => ({key: Buffer.from(key), value: Buffer.from('v'), headers: []}))
      const producer = kafkajsClient(daemon.bootstrap).producer()
      await producer.connect()
      await producer.send({topic, acks: 1, messages: records.map((r) => ({key: r.key, value: Buffer.from('kafkajs')}))})
      await producer.disconnect()
      weir(['produce', topic, '--key-separator', '\t', '--socket', daemon.socket], keys.map((k) => `${k}\tweir`).join('\n') + '\n')
      run('/usr/bin/python3', ['-c', KAFKA_PYTHON_KEYED, daemon.bootstrap, topic, ...keys])
      const read = weirConsume(['--socket', daemon.socket], topic)
      const placement = new Map<string, Set<number>>()
      for (const record of read) {
        const key = record.key?.toString() ?? ''
        if (!placement.has(key)) placement.set(key, new Set())
        placement.get(key)?.add(record.partition)
      }
      expect(read).to.have.length(keys.length * 3)
      for (const key of keys) expect([...(placement.get(key) ?? [])], key).to.have.length(1)
      expect(new Set(read.map((r) => r.partition)).size).to.be.greaterThan(1)
    })
  })
})

function countsOf(list: Writer[]): Record<string, number> {
  return Object.fromEntries(list.map((w) => [w.topic, w.records.length]))
}

const KAFKA_PYTHON_KEYED = `
import sys
from kafka import KafkaProducer
producer = KafkaProducer(bootstrap_servers=sys.argv[1])
for key in sys.argv[3:]:
    producer.send(sys.argv[2], key=key.encode(), value=b'kafka-python')
producer.flush()
`
