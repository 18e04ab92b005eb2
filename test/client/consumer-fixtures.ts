// What the consumer tests share: a consumer on the shared fake cluster (fake-cluster-session.ts) with a
// short long-poll wait, and helpers that append records and control batches to the fake and read items
// until a condition holds. Separate from the tests so that each consumer-*.test.ts covers one behaviour.
import {encodeRecordBatch, type Compression} from '../../src/protocol/index.js'
import {stampBatchCrc} from '../../src/protocol/record-batch.js'
import {type Consumer, type ConsumerOptions, type FetchedBatch} from '../../src/client/index.js'
import {client} from './fake-cluster-session.js'
import {type FakeCluster} from './fake-cluster.js'

/** A consumer on the shared client, waiting at most 20 ms in a Fetch unless `options` say otherwise. */
export function consumer(options: ConsumerOptions = {}): Consumer {
  return client.consumer({maxWaitMs: 20, ...options})
}

/** Appends one batch of records whose values are the given strings. */
export async function append(fake: FakeCluster, topic: string, partition: number, values: string[], compression: Compression = 'none'): Promise<void> {
  const records = values.map((value) => ({key: null, value: Buffer.from(value), headers: [], timestamp: 1_700_000_000_000}))
  fake.partition(topic, partition).append(await encodeRecordBatch(records, {compression}))
}

/** Appends a transaction marker (a control batch: transactional + control attribute bits). */
export async function appendControlBatch(fake: FakeCluster, topic: string, partition: number): Promise<void> {
  const marker = {key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]), headers: [], timestamp: 1_700_000_000_000}
  const batch = await encodeRecordBatch([marker], {compression: 'none', producerId: 7, producerEpoch: 0, baseSequence: -1, transactional: true})
  batch.writeInt16BE(batch.readInt16BE(21) | 0x20, 21)
  stampBatchCrc(batch)
  fake.partition(topic, partition).append(batch)
}

/** Reads items until `done` says stop; returns every item seen. */
export async function consumeUntil(consumer: Consumer, done: (items: FetchedBatch[]) => boolean): Promise<FetchedBatch[]> {
  const items: FetchedBatch[] = []
  for await (const item of consumer.batches()) {
    items.push(item)
    if (done(items)) break
  }
  return items
}

export function values(items: FetchedBatch[], partition = 0): string[] {
  return items.filter((i) => i.partition === partition).flatMap((i) => i.records.map((r) => r.value!.toString()))
}
