import {expect} from 'chai'
import {ApiKey, encodeControlBatch, encodeRecordBatch, ErrorCode, type ProduceResponse} from '../../src/protocol/index.js'
import {BrokerHarness, produceBody} from './broker-harness.js'
import {openTransaction} from './txn-harness.js'

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number]

describe('Produce handler, idempotent and transactional producers', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('orders', 1)
  })
  afterEach(() => h.close())

  const produce = async (records: Buffer, acks = -1): Promise<PartitionResponse> =>
    (await h.call(ApiKey.Produce, 9, produceBody('orders', 0, records, acks))).responses[0].partitionResponses[0]

  function batch(sequence: number, opts: {producerId?: number; epoch?: number; count?: number; transactional?: boolean} = {}): Promise<Buffer> {
    const count = opts.count ?? 2
    const records = Array.from({length: count}, (_, i) => ({key: null, value: Buffer.from(`v${sequence + i}`), headers: [], timestamp: 1_700_000_000_000}))
    return encodeRecordBatch(records, {compression: 'none', producerId: opts.producerId ?? 1000, producerEpoch: opts.epoch ?? 0,
      baseSequence: sequence, transactional: opts.transactional ?? false})
  }

  it('answers a retried batch with success and its original base offset, appending nothing', async () => {
    expect(await produce(await batch(0))).to.include({errorCode: 0, baseOffset: 0})
    expect(await produce(await batch(2))).to.include({errorCode: 0, baseOffset: 2})
    expect(await produce(await batch(0))).to.include({errorCode: 0, baseOffset: 0})
    expect(await produce(await batch(2), 1)).to.include({errorCode: 0, baseOffset: 2})
    expect(h.logs.partition('orders', 0)?.logEndOffset).to.equal(4)
  })

  it('answers a gap in the sequence with 45 and a stale epoch with 47', async () => {
    await produce(await batch(0, {epoch: 1}))
    const gap = await produce(await batch(5, {epoch: 1}))
    expect(gap.errorCode).to.equal(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)
    expect(gap.errorMessage).to.match(/sequence 5/)
    expect((await produce(await batch(2, {epoch: 0}))).errorCode).to.equal(ErrorCode.INVALID_PRODUCER_EPOCH)
    expect((await produce(await batch(3, {epoch: 2}))).errorCode).to.equal(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)
    expect((await produce(await batch(0, {epoch: 2}))).errorCode).to.equal(0)
    expect(h.logs.partition('orders', 0)?.logEndOffset).to.equal(4)
  })

  const produceAs = async (transactionalId: string | null, records: Buffer, version = 9): Promise<PartitionResponse> =>
    (await h.call(ApiKey.Produce, version, {...produceBody('orders', 0, records, -1), transactionalId})).responses[0].partitionResponses[0]

  it('answers a plain batch of a producer whose transaction is open with 48', async () => {
    const {producerId, producerEpoch} = await openTransaction(h, 'tx', 'orders', [0])
    expect(await produceAs('tx', await batch(0, {producerId, epoch: producerEpoch, transactional: true}))).to.include({errorCode: 0, baseOffset: 0})
    expect((await produce(await batch(2, {producerId, epoch: producerEpoch}))).errorCode).to.equal(ErrorCode.INVALID_TXN_STATE)
  })

  it('appends a transactional batch only in its transactional id\'s open transaction with that partition, as Kafka\'s verification', async () => {
    await h.createTopic('other', 1)
    const {producerId, producerEpoch} = await openTransaction(h, 'tx', 'other', [0])
    const log = h.logs.partition('orders', 0)
    // a producer id no coordinator knows, as the idempotent producer's: the request names no transactional id
    const stray = await produce(await batch(0, {producerId: 5000, transactional: true}))
    expect(stray).to.include({errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED})
    expect((await produceAs('nope', await batch(0, {producerId: 5000, transactional: true}))).errorCode).to.equal(ErrorCode.INVALID_PRODUCER_ID_MAPPING)
    // the id's producer, but orders-0 is not in its transaction
    const notAdded = await produceAs('tx', await batch(0, {producerId, epoch: producerEpoch, transactional: true}))
    expect(notAdded).to.include({errorCode: ErrorCode.INVALID_TXN_STATE, errorMessage: 'Partition was not added to the transaction'})
    expect((await produceAs('tx', await batch(0, {producerId, epoch: producerEpoch, transactional: true}), 11)).errorCode).to.equal(ErrorCode.TRANSACTION_ABORTABLE)
    expect((await produceAs('tx', await batch(0, {producerId, epoch: producerEpoch + 1, transactional: true}))).errorCode).to.equal(ErrorCode.INVALID_PRODUCER_EPOCH)
    expect(log?.logEndOffset, 'nothing appended').to.equal(0)
    expect(log?.lastStableOffset).to.equal(0)
    // plain and idempotent batches need no transactional id
    expect((await produce(await batch(0, {producerId: 5000}))).errorCode).to.equal(0)
    expect(log?.lastStableOffset).to.equal(2)
  })

  it('answers a client\'s control batch with 87', async () => {
    const marker = encodeControlBatch({producerId: 1000, producerEpoch: 0, type: 'COMMIT', coordinatorEpoch: 0, timestamp: 1})
    expect((await produceAs('tx', marker)).errorCode).to.equal(ErrorCode.INVALID_RECORD)
  })
})
