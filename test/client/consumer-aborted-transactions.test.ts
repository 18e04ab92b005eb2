// Kafka's read_committed walk over one response (aborted-transactions.ts), batch header by batch header:
// which batches it drops for a given list of aborted transactions.
import {expect} from 'chai'
import {encodeControlBatch, encodeRecordBatch, readBatchHeader, type TransactionMarkerType} from '../../src/protocol/index.js'
import {AbortedTransactions, type AbortedTransactionEntry} from '../../src/client/aborted-transactions.js'

type Step = {offset: number; producerId: number; transactional?: boolean; marker?: TransactionMarkerType; count?: number}

async function batchAt(step: Step): Promise<Buffer> {
  let batch: Buffer
  if (step.marker) {
    batch = encodeControlBatch({producerId: step.producerId, producerEpoch: 0, type: step.marker, coordinatorEpoch: 0, timestamp: 1})
  } else {
    const records = Array.from({length: step.count ?? 1}, () => ({key: null, value: Buffer.from('v'), headers: [], timestamp: 1}))
    const producer = step.producerId < 0 ? {} : {producerId: step.producerId, producerEpoch: 0, baseSequence: 0, transactional: step.transactional ?? true}
    batch = await encodeRecordBatch(records, {compression: 'none', ...producer})
  }
  batch.writeBigInt64BE(BigInt(step.offset), 0) // the CRC does not cover the base offset
  return batch
}

/** The offsets of the batches the walk keeps. */
async function kept(aborted: AbortedTransactionEntry[], steps: Step[]): Promise<number[]> {
  const walk = new AbortedTransactions(aborted)
  const offsets: number[] = []
  for (const step of steps) {
    const batch = await batchAt(step)
    if (!walk.drops(readBatchHeader(batch), batch)) offsets.push(step.offset)
  }
  return offsets
}

describe('AbortedTransactions', () => {
  it('drops a producer\'s transactional batches from its aborted transaction\'s first offset to its ABORT marker', async () => {
    expect(await kept([{producerId: 1, firstOffset: 2}], [
      {offset: 0, producerId: 1}, // an earlier transaction of the same producer (committed)
      {offset: 1, producerId: 1, marker: 'COMMIT'},
      {offset: 2, producerId: 1},
      {offset: 3, producerId: 2},
      {offset: 4, producerId: 1, count: 3},
      {offset: 7, producerId: 1, marker: 'ABORT'},
      {offset: 8, producerId: 1},
    ])).to.deep.equal([0, 3, 8])
  })

  it('never keeps a control batch, and keeps plain and idempotent batches inside an aborted range', async () => {
    expect(await kept([{producerId: 4, firstOffset: 0}], [
      {offset: 0, producerId: 4},
      {offset: 1, producerId: -1},
      {offset: 2, producerId: 4, transactional: false},
      {offset: 3, producerId: 4, marker: 'ABORT'},
      {offset: 4, producerId: 6, marker: 'COMMIT'},
    ])).to.deep.equal([1, 2])
  })

  it('takes several aborted transactions of one producer in first-offset order, whatever order the list has', async () => {
    expect(await kept([{producerId: 3, firstOffset: 6}, {producerId: 3, firstOffset: 0}], [
      {offset: 0, producerId: 3},
      {offset: 1, producerId: 3, marker: 'ABORT'},
      {offset: 2, producerId: 3},
      {offset: 3, producerId: 3, marker: 'COMMIT'},
      {offset: 4, producerId: 3, count: 2},
      {offset: 6, producerId: 3},
      {offset: 7, producerId: 3, marker: 'ABORT'},
    ])).to.deep.equal([2, 4])
  })

  it('an aborted transaction that began before the response starts drops from the first batch', async () => {
    expect(await kept([{producerId: 8, firstOffset: 10}], [
      {offset: 20, producerId: 8},
      {offset: 21, producerId: 9},
      {offset: 22, producerId: 8, marker: 'ABORT'},
    ])).to.deep.equal([21])
  })

  it('a batch whose last offset reaches an aborted first offset is in that transaction', async () => {
    expect(await kept([{producerId: 2, firstOffset: 5}], [
      {offset: 3, producerId: 2, count: 3}, // 3-5
      {offset: 6, producerId: 2, marker: 'ABORT'},
    ])).to.deep.equal([])
  })
})
