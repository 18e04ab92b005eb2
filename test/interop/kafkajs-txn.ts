/**
 * kafkajs 2.2.4 in this process for the exactly-once interop tests: a transactional producer (send,
 * sendOffsets, commit or abort), the idempotent producer, and a group consumer that reads with
 * kafkajs's default isolation (read_committed) or readUncommitted until a condition holds.
 */
import {createRequire} from 'node:module'

import type {TxnRecord} from './transactions-drivers.js'
import type {ReadRecord} from './records.js'

const require = createRequire(import.meta.url)
// kafkajs is CommonJS with its own typings.
const kafkajs = require('kafkajs') as typeof import('kafkajs')

function client(bootstrap: string, clientId: string): import('kafkajs').Kafka {
  return new kafkajs.Kafka({clientId, brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING})
}

function byTopic(records: TxnRecord[]): import('kafkajs').TopicMessages[] {
  const topics = new Map<string, import('kafkajs').Message[]>()
  for (const record of records) {
    const messages = topics.get(record.topic) ?? []
    messages.push({partition: record.partition, key: record.key ?? null, value: record.value})
    topics.set(record.topic, messages)
  }
  return [...topics].map(([topic, messages]) => ({topic, messages}))
}

export interface KafkajsTransaction {
  records: TxnRecord[]
  end: 'commit' | 'abort'
  /** Offsets committed to this group inside the transaction (sendOffsets). */
  offsets?: {group: string; topic: string; partitions: {partition: number; offset: string}[]}
}

/** One transactional producer (one transactional id) running the transactions in order. */
export async function kafkajsTransactions(bootstrap: string, transactionalId: string, transactions: KafkajsTransaction[]): Promise<void> {
  const producer = client(bootstrap, 'kafkajs-txn').producer({transactionalId, idempotent: true, maxInFlightRequests: 1})
  await producer.connect()
  try {
    for (const planned of transactions) {
      const transaction = await producer.transaction()
      await transaction.sendBatch({topicMessages: byTopic(planned.records), acks: -1})
      if (planned.offsets) {
        await transaction.sendOffsets({consumerGroupId: planned.offsets.group,
          topics: [{topic: planned.offsets.topic, partitions: planned.offsets.partitions}]})
      }
      await (planned.end === 'commit' ? transaction.commit() : transaction.abort())
    }
  } finally {
    await producer.disconnect()
  }
}

export interface KafkajsProducer {
  /** Sends the records with one request, acks=all. */
  send(records: TxnRecord[]): Promise<void>
  close(): Promise<void>
}

/** A connected producer, idempotent or plain. */
export async function kafkajsProducer(bootstrap: string, opts: {idempotent: boolean}): Promise<KafkajsProducer> {
  const producer = client(bootstrap, opts.idempotent ? 'kafkajs-idempotent' : 'kafkajs-plain')
    .producer(opts.idempotent ? {idempotent: true, maxInFlightRequests: 1} : {allowAutoTopicCreation: false})
  await producer.connect()
  return {
    send: async (records) => { await producer.sendBatch({topicMessages: byTopic(records), acks: -1}) },
    close: () => producer.disconnect(),
  }
}

/** A producer, idempotent or plain, sending each batch with its own request, acks=all. */
export async function kafkajsSend(bootstrap: string, batches: TxnRecord[][], opts: {idempotent: boolean}): Promise<void> {
  const producer = await kafkajsProducer(bootstrap, opts)
  try {
    for (const batch of batches) await producer.send(batch)
  } finally {
    await producer.close()
  }
}

/**
 * A kafkajs group consumer of fresh group `group`, from the beginning of the topics, until `done`
 * accepts what was read; read_committed unless `readUncommitted`.
 */
export async function kafkajsReadUntil(bootstrap: string, opts: {group: string; topics: string[]; readUncommitted: boolean; timeoutMs: number},
  done: (records: ReadRecord[]) => boolean): Promise<ReadRecord[]> {
  const consumer = client(bootstrap, 'kafkajs-reader').consumer({groupId: opts.group, readUncommitted: opts.readUncommitted,
    sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 200})
  const records: ReadRecord[] = []
  await consumer.connect()
  try {
    await consumer.subscribe({topics: opts.topics, fromBeginning: true})
    let finished: () => void = () => undefined
    const complete = new Promise<void>((resolve) => { finished = resolve })
    await consumer.run({
      eachMessage: async ({topic, partition, message}) => {
        records.push({topic, partition, offset: Number(message.offset), key: message.key, value: message.value,
          headers: []})
        if (done(records)) finished()
      },
    })
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`kafkajs read ${records.length} records in ${opts.timeoutMs} ms without completing`)), opts.timeoutMs)
    })
    try {
      await Promise.race([complete, timeout])
    } finally {
      clearTimeout(timer)
    }
    return records
  } finally {
    await consumer.disconnect()
  }
}

/** Creates the topics (name -> partition count) with the kafkajs admin client. */
export async function kafkajsCreateTopics(bootstrap: string, partitionsByTopic: Record<string, number>): Promise<void> {
  const admin = client(bootstrap, 'kafkajs-admin').admin()
  await admin.connect()
  try {
    await admin.createTopics({topics: Object.entries(partitionsByTopic).map(([topic, numPartitions]) => ({topic, numPartitions})),
      waitForLeaders: true})
  } finally {
    await admin.disconnect()
  }
}
