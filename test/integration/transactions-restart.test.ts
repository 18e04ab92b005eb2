// Transactions survive daemon crashes: a daemon killed with kill -9 comes back with every
// transactional id as __transaction_state last recorded it. A committed transaction stays
// committed (its offsets committed in the group too); an open one stays open, holding back the
// last stable offset, until the daemon aborts it once its timeout passed, fencing the producer.
// Producer ids are never handed out twice across the crash.
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {Connection} from '../../src/client/connection.js'
import {ApiKey, encodeRecordBatch, ErrorCode} from '../../src/protocol/index.js'
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js'

const TOPIC = 'orders'

describe('transactions across a kill -9 of the daemon', function () {
  this.timeout(120_000)
  let dataDir: string
  let daemon: TestDaemon
  let connection: Connection | undefined

  const connect = async (): Promise<Connection> => {
    connection?.close()
    connection = await Connection.open({address: {kind: 'tcp', host: '127.0.0.1', port: daemon.port}, clientId: 'txn-restart-test',
      requestTimeoutMs: 30_000})
    return connection
  }
  const request: Connection['request'] = (apiKey, version, body) => connection!.request(apiKey, version, body)

  const init = (transactionalId: string | null, transactionTimeoutMs = 60_000) =>
    request(ApiKey.InitProducerId, 4, {transactionalId, transactionTimeoutMs, producerId: -1, producerEpoch: -1})
  const addPartition = async (transactionalId: string, producerId: number, producerEpoch: number, partition: number) =>
    (await request(ApiKey.AddPartitionsToTxn, 3, {v3AndBelowTransactionalId: transactionalId, v3AndBelowProducerId: producerId,
      v3AndBelowProducerEpoch: producerEpoch, v3AndBelowTopics: [{name: TOPIC, partitions: [partition]}], transactions: []}))
      .resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode
  const produce = async (transactionalId: string, producerId: number, producerEpoch: number, partition: number, values: string[]) => {
    const records = await encodeRecordBatch(values.map((value, i) => ({key: null, value: Buffer.from(value), headers: [], timestamp: Date.now() + i})),
      {compression: 'none', producerId, producerEpoch, baseSequence: 0, transactional: true})
    const response = await request(ApiKey.Produce, 9, {transactionalId, acks: -1, timeoutMs: 5000,
      topicData: [{name: TOPIC, partitionData: [{index: partition, records}]}]})
    return response.responses[0].partitionResponses[0].errorCode
  }
  const describe = async (transactionalId: string) =>
    (await request(ApiKey.DescribeTransactions, 0, {transactionalIds: [transactionalId]})).transactionStates[0]
  const latest = async (partition: number, isolationLevel: number) => (await request(ApiKey.ListOffsets, 7, {replicaId: -1, isolationLevel, timeoutMs: 5000,
    topics: [{name: TOPIC, partitions: [{partitionIndex: partition, currentLeaderEpoch: -1, timestamp: -1, maxNumOffsets: 1}]}]})).topics[0].partitions[0].offset

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'weir-txn-restart-'))
    daemon = await startTestDaemon({dataDir, configs: {'transaction.abort.timed.out.transaction.cleanup.interval.ms': '200',
      'transaction.state.log.num.partitions': '5', 'offsets.topic.num.partitions': '5'}})
    await connect()
    const created = await request(ApiKey.CreateTopics, 7, {topics: [{name: TOPIC, numPartitions: 2, replicationFactor: 1,
      assignments: [], configs: []}], timeoutMs: 5000, validateOnly: false})
    expect(created.topics[0].errorCode).to.equal(0)
  })

  after(async () => {
    connection?.close()
    await daemon?.stop()
    await rm(dataDir, {recursive: true, force: true})
  })

  it('keeps a committed transaction and its offsets, and an open one open until it times out and is aborted', async () => {
    const idempotentBefore = await init(null)
    const committed = await init('committer')
    expect(committed.errorCode).to.equal(0)
    expect(await addPartition('committer', committed.producerId, committed.producerEpoch, 0)).to.equal(0)
    expect(await produce('committer', committed.producerId, committed.producerEpoch, 0, ['a', 'b'])).to.equal(0)
    const addedOffsets = await request(ApiKey.AddOffsetsToTxn, 3, {transactionalId: 'committer', producerId: committed.producerId,
      producerEpoch: committed.producerEpoch, groupId: 'copier'})
    expect(addedOffsets.errorCode).to.equal(0)
    const offsets = await request(ApiKey.TxnOffsetCommit, 3, {transactionalId: 'committer', groupId: 'copier', producerId: committed.producerId,
      producerEpoch: committed.producerEpoch, generationId: -1, memberId: '', groupInstanceId: null,
      topics: [{name: TOPIC, partitions: [{partitionIndex: 1, committedOffset: 42, committedLeaderEpoch: -1, committedMetadata: null}]}]})
    expect(offsets.topics[0].partitions[0].errorCode).to.equal(0)
    expect((await request(ApiKey.EndTxn, 3, {transactionalId: 'committer', producerId: committed.producerId,
      producerEpoch: committed.producerEpoch, committed: true})).errorCode).to.equal(0)

    const open = await init('hanging', 4000)
    expect(await addPartition('hanging', open.producerId, open.producerEpoch, 1)).to.equal(0)
    expect(await produce('hanging', open.producerId, open.producerEpoch, 1, ['x'])).to.equal(0)

    await daemon.kill9()
    await daemon.restart()
    await connect()

    expect(await describe('committer')).to.deep.include({errorCode: 0, transactionState: 'CompleteCommit', producerId: committed.producerId})
    const fetched = await request(ApiKey.OffsetFetch, 7, {groupId: 'copier', requireStable: true, topics: [{name: TOPIC, partitionIndexes: [1]}], groups: []})
    expect(fetched.topics[0].partitions[0]).to.deep.include({committedOffset: 42, errorCode: 0})
    expect(await latest(0, 1)).to.equal(3)

    const hanging = await describe('hanging')
    expect(hanging).to.deep.include({transactionState: 'Ongoing', producerEpoch: open.producerEpoch})
    expect(hanging.topics).to.deep.equal([{topic: TOPIC, partitions: [1]}])
    expect(await latest(1, 1)).to.equal(0)
    expect(await latest(1, 0)).to.equal(1)

    // The daemon aborts it once its timeout passed (checked every 200 ms): wait for that, no timing asserted.
    const deadline = Date.now() + 60_000
    while ((await describe('hanging')).transactionState !== 'CompleteAbort') {
      if (Date.now() > deadline) throw new Error('the timed-out transaction was never aborted')
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    expect((await describe('hanging')).producerEpoch).to.equal(open.producerEpoch + 1)
    expect(await latest(1, 1)).to.equal(2)
    const fenced = await request(ApiKey.EndTxn, 3, {transactionalId: 'hanging', producerId: open.producerId,
      producerEpoch: open.producerEpoch, committed: true})
    expect(fenced.errorCode).to.equal(ErrorCode.PRODUCER_FENCED)

    const idempotentAfter = await init(null)
    expect(idempotentAfter.errorCode).to.equal(0)
    expect([idempotentBefore.producerId, committed.producerId, open.producerId]).to.not.include(idempotentAfter.producerId)
  })
})
