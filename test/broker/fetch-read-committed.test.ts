import {expect} from 'chai'
import {ApiKey, encodeControlBatch, encodeRecordBatch, readBatchHeader, splitBatches, type FetchResponse,
  type ListOffsetsResponse} from '../../src/protocol/index.js'
import {type PartitionLog} from '../../src/storage/index.js'
import {BrokerHarness, produceBody} from './broker-harness.js'
import {openTransaction} from './txn-harness.js'

type Partition = FetchResponse['responses'][number]['partitions'][number]
type ListedPartition = ListOffsetsResponse['topics'][number]['partitions'][number]

describe('Fetch and ListOffsets with read_committed', () => {
  let h: BrokerHarness
  let log: PartitionLog
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('txn', 1)
    log = h.logs.partition('txn', 0) as PartitionLog
  })
  afterEach(() => h.close())

  const sequences = new Map<number, number>()
  /** transactional producer n (`tx-n`, opened on first use) -> the producer id and epoch its InitProducerId gave */
  const producers = new Map<number, {producerId: number; producerEpoch: number}>()
  beforeEach(() => {
    sequences.clear()
    producers.clear()
  })
  const pid = (n: number): number => (producers.get(n) as {producerId: number}).producerId

  /** A transactional batch of producer `n` through Produce, its sequences following on. */
  async function send(n: number, values: string[]): Promise<void> {
    if (!producers.has(n)) producers.set(n, await openTransaction(h, `tx-${n}`, 'txn', [0]))
    const {producerId, producerEpoch} = producers.get(n) as {producerId: number; producerEpoch: number}
    const sequence = sequences.get(n) ?? 0
    sequences.set(n, sequence + values.length)
    const records = values.map(value => ({key: null, value: Buffer.from(value), headers: [], timestamp: 1_700_000_000_000}))
    const batch = await encodeRecordBatch(records, {compression: 'none', producerId, producerEpoch, baseSequence: sequence, transactional: true})
    const response = await h.call(ApiKey.Produce, 9, {...produceBody('txn', 0, batch), transactionalId: `tx-${n}`})
    expect(response.responses[0].partitionResponses[0].errorCode).to.equal(0)
  }

  /**
   * What the transaction coordinator does at the end of a transaction: a marker through the log's
   * append (the coordinator keeps the partition in the transaction, so later batches are accepted).
   */
  const end = (n: number, type: 'COMMIT' | 'ABORT'): void => {
    log.append(encodeControlBatch({producerId: pid(n), producerEpoch: 0, type, coordinatorEpoch: 0, timestamp: 1_700_000_000_001}))
  }

  const fetch = async (fetchOffset: number, isolationLevel: number, version = 11): Promise<Partition> =>
    (await h.call(ApiKey.Fetch, version, {maxWaitMs: 0, minBytes: 1, maxBytes: 1 << 20, isolationLevel, sessionId: 0, sessionEpoch: -1,
      topics: [{topic: 'txn', partitions: [{partition: 0, fetchOffset, partitionMaxBytes: 1 << 20}]}], forgottenTopicsData: [], rackId: ''}))
      .responses[0].partitions[0]

  const baseOffsets = (partition: Partition): number[] => splitBatches(partition.records as Buffer).map(batch => readBatchHeader(batch).baseOffset)

  const listLatest = async (isolationLevel: number, version = 7, timestamp = -1): Promise<ListedPartition> =>
    (await h.call(ApiKey.ListOffsets, version, {replicaId: -1, isolationLevel,
      topics: [{name: 'txn', partitions: [{partitionIndex: 0, timestamp, maxNumOffsets: 1}]}]})).topics[0].partitions[0]

  it('serves read_committed only below the last stable offset, read_uncommitted up to the high watermark', async () => {
    await send(1, ['a', 'b']) // 0..1
    await send(2, ['c']) // 2
    end(1, 'COMMIT') // 3
    await send(1, ['d']) // 4, a new open transaction behind producer 2's
    const committed = await fetch(0, 1)
    expect(committed).to.include({errorCode: 0, highWatermark: 5, lastStableOffset: 2})
    expect(baseOffsets(committed)).to.deep.equal([0])
    const uncommitted = await fetch(0, 0)
    expect(uncommitted).to.include({highWatermark: 5, lastStableOffset: 2})
    expect(baseOffsets(uncommitted)).to.deep.equal([0, 2, 3, 4])
    const atStable = await fetch(2, 1)
    expect(atStable).to.include({errorCode: 0, lastStableOffset: 2})
    expect((atStable.records as Buffer).length).to.equal(0)
    end(2, 'COMMIT') // 5
    end(1, 'COMMIT') // 6
    expect(baseOffsets(await fetch(2, 1))).to.deep.equal([2, 3, 4, 5, 6])
  })

  it('answers the aborted transactions overlapping what it serves', async () => {
    await send(1, ['a']) // 0
    await send(2, ['b']) // 1
    end(1, 'ABORT') // 2
    end(2, 'COMMIT') // 3
    await send(1, ['c', 'd']) // 4..5
    end(1, 'ABORT') // 6
    const all = await fetch(0, 1)
    expect(all.lastStableOffset).to.equal(7)
    expect(all.abortedTransactions).to.deep.equal([{producerId: pid(1), firstOffset: 0}, {producerId: pid(1), firstOffset: 4}])
    expect((await fetch(3, 1)).abortedTransactions).to.deep.equal([{producerId: pid(1), firstOffset: 4}])
    expect((await fetch(0, 0)).abortedTransactions).to.deep.equal([])
    expect((await fetch(7, 1)).abortedTransactions).to.deep.equal([])
  })

  it('wakes a read_committed long poll when a marker moves the last stable offset', async () => {
    await send(1, ['a'])
    const polling = h.call(ApiKey.Fetch, 11, {maxWaitMs: 30_000, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 1, sessionId: 0, sessionEpoch: -1,
      topics: [{topic: 'txn', partitions: [{partition: 0, fetchOffset: 0, partitionMaxBytes: 1 << 20}]}], forgottenTopicsData: [], rackId: ''})
    await send(1, ['b'])
    end(1, 'COMMIT')
    const partition = (await polling).responses[0].partitions[0]
    expect(partition.lastStableOffset).to.equal(3)
    expect(baseOffsets(partition)).to.deep.equal([0, 1, 2])
  })

  it('answers ListOffsets latest with the last stable offset for read_committed (v2+)', async () => {
    await send(1, ['a'])
    await send(2, ['b', 'c'])
    end(2, 'COMMIT')
    expect(await listLatest(1)).to.include({errorCode: 0, offset: 0})
    expect(await listLatest(0)).to.include({errorCode: 0, offset: 4})
    expect(await listLatest(1, 1)).to.include({offset: 4}) // v1 has no isolation level
    expect((await listLatest(1, 7, 1_699_000_000_000)).offset, 'a timestamp lookup stops at the last stable offset too').to.equal(-1)
    expect((await listLatest(0, 7, 1_699_000_000_000)).offset).to.equal(0)
    end(1, 'ABORT')
    expect(await listLatest(1)).to.include({offset: 5})
  })

  it('answers read_committed at the log start, never below it, once DeleteRecords removed an open transaction\'s start', async () => {
    await send(1, ['a']) // 0, left open
    await h.call(ApiKey.Produce, 9, produceBody('txn', 0, await encodeRecordBatch([{key: null, value: Buffer.from('b'), headers: [], timestamp: 1}], {compression: 'none'}))) // 1
    await h.call(ApiKey.Produce, 9, produceBody('txn', 0, await encodeRecordBatch([{key: null, value: Buffer.from('c'), headers: [], timestamp: 1}], {compression: 'none'}))) // 2
    const deleted = await h.call(ApiKey.DeleteRecords, 1, {topics: [{name: 'txn', partitions: [{partitionIndex: 0, offset: 2}]}], timeoutMs: 1000})
    expect(deleted.topics[0].partitions[0]).to.include({errorCode: 0, lowWatermark: 2})
    expect(await listLatest(1)).to.include({errorCode: 0, offset: 2})
    expect(await fetch(2, 1)).to.include({errorCode: 0, lastStableOffset: 2, logStartOffset: 2})
  })
})
