import {expect} from 'chai'
import {join} from 'node:path'
import {
  InvalidBatchError,
  InvalidProducerEpochError,
  InvalidTxnStateError,
  OutOfOrderSequenceError,
  TransactionCoordinatorFencedError,
} from '../../src/storage/errors.js'
import {nodeFileSystem} from '../../src/storage/fs.js'
import {logConfigFrom} from '../../src/storage/log-config.js'
import {PartitionLog} from '../../src/storage/partition-log.js'
import {buildBatch, buildControlBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

const INT32_MAX = 2 ** 31 - 1

/** Call at the top of a describe(): a function making a new log `orders-0` (segment.bytes may go down to 1024), closed after each test. */
function useTestLogs(): (configs?: Record<string, string>) => Promise<PartitionLog> {
  const tempDir = useTempDirs()
  const logs: PartitionLog[] = []
  afterEach(async () => {
    for (const log of logs.splice(0)) await log.close()
  })
  return async (configs = {}) => {
    const dir = join(tempDir(), 'orders-0')
    const log = await PartitionLog.create({fs: nodeFileSystem, dir, topic: 'orders', partition: 0, config: logConfigFrom(configs, 1024), logger: () => undefined})
    logs.push(log)
    return log
  }
}

describe('PartitionLog producer state (idempotence)', () => {
  const newLog = useTestLogs()

  /** A batch of `count` records of producer `id`, epoch and first sequence as given. */
  function batch(id: bigint, epoch: number, sequence: number, count = 2, transactional = false): Buffer {
    return buildBatch(Array.from({length: count}, (_, i) => `${id}-${epoch}-${sequence + i}`), {producerId: id, producerEpoch: epoch, baseSequence: sequence, transactional})
  }

  it('answers a retry of any of the last 5 batches with its original offsets and appends nothing', async () => {
    const log = await newLog()
    const first = [0, 2, 4, 6, 8].map((seq) => log.append(batch(7n, 0, seq)))
    const end = log.logEndOffset
    for (const [i, seq] of [0, 2, 4, 6, 8].entries()) {
      const retry = log.append(batch(7n, 0, seq))
      expect(retry).to.deep.equal({...first[i], duplicate: true})
    }
    expect(log.logEndOffset).to.equal(end)
    expect(recordsIn(log.read(0, 1 << 20))).to.have.length(10)
  })

  it('refuses a retry older than the last 5 batches as out of order', async () => {
    const log = await newLog()
    for (const seq of [0, 2, 4, 6, 8, 10]) log.append(batch(7n, 0, seq))
    expect(() => log.append(batch(7n, 0, 0))).to.throw(OutOfOrderSequenceError)
    expect(log.append(batch(7n, 0, 2)).duplicate).to.equal(true)
  })

  it('refuses a gap in the sequence and appends nothing', async () => {
    const log = await newLog()
    log.append(batch(7n, 0, 0))
    const end = log.logEndOffset
    expect(() => log.append(batch(7n, 0, 3))).to.throw(OutOfOrderSequenceError, /sequence 3 .* last sequence 1/)
    expect(() => log.append(batch(7n, 0, 1))).to.throw(OutOfOrderSequenceError)
    expect(log.logEndOffset).to.equal(end)
    expect(log.append(batch(7n, 0, 2)).baseOffset).to.equal(end)
  })

  it('refuses a stale epoch, and a new epoch that does not start at 0', async () => {
    const log = await newLog()
    log.append(batch(7n, 3, 0))
    expect(() => log.append(batch(7n, 2, 2))).to.throw(InvalidProducerEpochError)
    expect(() => log.append(batch(7n, 4, 5))).to.throw(OutOfOrderSequenceError, /new epoch 4/)
    expect(log.append(batch(7n, 4, 0)).duplicate).to.equal(false)
    // the old epoch is fenced now, even for a batch it had written
    expect(() => log.append(batch(7n, 3, 0))).to.throw(InvalidProducerEpochError)
  })

  it('accepts any sequence from a producer it has no state for, and keeps producers apart', async () => {
    const log = await newLog()
    expect(log.append(batch(1n, 0, 500)).baseOffset).to.equal(0)
    expect(log.append(batch(2n, 5, 17)).baseOffset).to.equal(2)
    expect(log.append(batch(1n, 0, 502)).baseOffset).to.equal(4)
    expect(() => log.append(batch(2n, 5, 500))).to.throw(OutOfOrderSequenceError)
  })

  it('wraps sequences from 2^31 - 1 to 0', async () => {
    const log = await newLog()
    log.append(batch(9n, 0, INT32_MAX - 1, 2))
    const wrapped = log.append(batch(9n, 0, 0, 3))
    expect(wrapped.duplicate).to.equal(false)
    // a batch across the wrap: sequences 2^31 - 2 .. 0 recognised on retry
    const across = await newLog()
    const original = across.append(batch(9n, 0, INT32_MAX - 1, 3))
    expect(across.append(batch(9n, 0, INT32_MAX - 1, 3))).to.deep.equal({...original, duplicate: true})
    expect(across.append(batch(9n, 0, 1, 1)).duplicate).to.equal(false)
  })

  it('keeps producer ids above 2^53 apart', async () => {
    const log = await newLog()
    const big = 2n ** 60n
    log.append(batch(big, 0, 0))
    log.append(batch(big + 1n, 0, 10))
    expect(log.append(batch(big, 0, 2)).duplicate).to.equal(false)
    expect(() => log.append(batch(big + 1n, 0, 0))).to.throw(OutOfOrderSequenceError)
    expect(log.activeProducers().map((p) => p.producerId)).to.have.members([big, big + 1n])
  })

  it('leaves batches without a producer id alone', async () => {
    const log = await newLog()
    const plain = buildBatch(['a'])
    expect(log.append(Buffer.from(plain)).duplicate).to.equal(false)
    expect(log.append(Buffer.from(plain)).baseOffset).to.equal(1)
    expect(log.activeProducers()).to.deep.equal([])
  })

  it('answers a duplicate on a LogAppendTime topic with the first append time', async () => {
    const log = await newLog({'message.timestamp.type': 'LogAppendTime'})
    const first = log.append(batch(3n, 0, 0))
    expect(first.logAppendTime).to.be.greaterThan(0)
    expect(log.append(batch(3n, 0, 0))).to.deep.equal({...first, duplicate: true})
  })
})

describe('PartitionLog transactions', () => {
  const newLog = useTestLogs()

  function txnBatch(id: bigint, epoch: number, sequence: number, count = 2): Buffer {
    return buildBatch(Array.from({length: count}, (_, i) => `t${id}-${sequence + i}`), {producerId: id, producerEpoch: epoch, baseSequence: sequence, transactional: true})
  }

  it('holds the last stable offset at the first offset of the earliest open transaction', async () => {
    const log = await newLog()
    log.append(buildBatch(['plain']))
    expect(log.lastStableOffset).to.equal(1)
    log.append(txnBatch(1n, 0, 0)) // 1..2
    log.append(txnBatch(2n, 0, 0)) // 3..4
    log.append(txnBatch(1n, 0, 2)) // 5..6
    expect(log.lastStableOffset).to.equal(1)
    expect(log.logEndOffset).to.equal(7)
    log.append(buildControlBatch({type: 'COMMIT', producerId: 1n, producerEpoch: 0})) // 7
    expect(log.lastStableOffset).to.equal(3)
    log.append(buildControlBatch({type: 'ABORT', producerId: 2n, producerEpoch: 0})) // 8
    expect(log.lastStableOffset).to.equal(9)
    expect(log.logEndOffset).to.equal(9)
  })

  it('never answers a last stable offset below the log start, after DeleteRecords past an open transaction', async () => {
    const log = await newLog()
    log.append(txnBatch(1n, 0, 0)) // 0..1, left open
    log.append(buildBatch(['a', 'b'])) // 2..3
    expect(log.lastStableOffset).to.equal(0)
    expect(await log.deleteRecordsBefore(3)).to.equal(3)
    expect(log.lastStableOffset).to.equal(3)
    log.append(buildControlBatch({type: 'COMMIT', producerId: 1n, producerEpoch: 0})) // 4
    expect(log.lastStableOffset).to.equal(5)
  })

  it('checks only the epoch of a coordinator\'s batches (origin coordinator): no duplicates, no sequence, the transaction tracked', async () => {
    const log = await newLog()
    const coordinator = {origin: 'coordinator' as const}
    expect(log.append(txnBatch(1n, 2, 0), coordinator)).to.include({baseOffset: 0, duplicate: false})
    expect(log.append(txnBatch(1n, 2, 0), coordinator)).to.include({baseOffset: 2, duplicate: false})
    expect(log.append(txnBatch(1n, 2, 7), coordinator)).to.include({baseOffset: 4, duplicate: false})
    expect(log.lastStableOffset).to.equal(0)
    expect(() => log.append(txnBatch(1n, 1, 0), coordinator)).to.throw(InvalidProducerEpochError)
    log.append(buildControlBatch({type: 'COMMIT', producerId: 1n, producerEpoch: 2}), coordinator)
    expect(log.lastStableOffset).to.equal(log.logEndOffset)
    // a client's batch is still checked against the sequence
    expect(() => log.append(txnBatch(1n, 2, 3))).to.throw(OutOfOrderSequenceError)
  })

  it('indexes aborted transactions and lists those overlapping a range', async () => {
    const log = await newLog()
    log.append(txnBatch(1n, 0, 0)) // 0..1
    log.append(txnBatch(2n, 0, 0)) // 2..3
    log.append(buildControlBatch({type: 'ABORT', producerId: 1n, producerEpoch: 0})) // 4
    log.append(txnBatch(1n, 0, 2)) // 5..6, a new transaction
    log.append(buildControlBatch({type: 'COMMIT', producerId: 2n, producerEpoch: 0})) // 7
    log.append(buildControlBatch({type: 'ABORT', producerId: 1n, producerEpoch: 0})) // 8
    expect(log.abortedTransactions(0, 9)).to.deep.equal([{producerId: 1n, firstOffset: 0}, {producerId: 1n, firstOffset: 5}])
    expect(log.abortedTransactions(5, 9)).to.deep.equal([{producerId: 1n, firstOffset: 5}])
    expect(log.abortedTransactions(0, 4)).to.deep.equal([{producerId: 1n, firstOffset: 0}])
    expect(log.abortedTransactions(2, 3)).to.deep.equal([{producerId: 1n, firstOffset: 0}])
    expect(log.abortedTransactions(9, 9)).to.deep.equal([])
  })

  it('finds aborted transactions in later segments', async () => {
    const log = await newLog({'segment.bytes': '1024'})
    log.append(txnBatch(1n, 0, 0, 30))
    for (let i = 0; i < 8; i++) log.append(buildBatch([`filler-${i}-${'x'.repeat(200)}`]))
    log.append(buildControlBatch({type: 'ABORT', producerId: 1n, producerEpoch: 0}))
    expect(log.segmentCount).to.be.greaterThan(1)
    expect(log.abortedTransactions(0, 10)).to.deep.equal([{producerId: 1n, firstOffset: 0}])
  })

  it('refuses a marker with an older epoch, and a newer one fences the producer', async () => {
    const log = await newLog()
    log.append(txnBatch(1n, 3, 0))
    expect(() => log.append(buildControlBatch({type: 'COMMIT', producerId: 1n, producerEpoch: 2}))).to.throw(InvalidProducerEpochError)
    log.append(buildControlBatch({type: 'ABORT', producerId: 1n, producerEpoch: 4}))
    expect(log.lastStableOffset).to.equal(log.logEndOffset)
    expect(() => log.append(txnBatch(1n, 3, 2))).to.throw(InvalidProducerEpochError)
    expect(() => log.append(txnBatch(1n, 4, 2))).to.throw(OutOfOrderSequenceError)
    expect(log.append(txnBatch(1n, 4, 0)).duplicate).to.equal(false)
  })

  it('refuses a marker from an older coordinator epoch', async () => {
    const log = await newLog()
    log.append(txnBatch(1n, 0, 0))
    log.append(buildControlBatch({type: 'COMMIT', producerId: 1n, producerEpoch: 0, coordinatorEpoch: 5}))
    log.append(txnBatch(1n, 0, 2))
    expect(() => log.append(buildControlBatch({type: 'COMMIT', producerId: 1n, producerEpoch: 0, coordinatorEpoch: 4}))).to.throw(TransactionCoordinatorFencedError)
  })

  it('refuses a non-transactional batch of a producer with an open transaction', async () => {
    const log = await newLog()
    log.append(txnBatch(1n, 0, 0))
    const plain = buildBatch(['x'], {producerId: 1n, producerEpoch: 0, baseSequence: 2})
    expect(() => log.append(plain)).to.throw(InvalidTxnStateError)
  })

  it('takes a marker for a producer without data here (an empty transaction) and a malformed marker is refused', async () => {
    const log = await newLog()
    log.append(buildControlBatch({type: 'COMMIT', producerId: 5n, producerEpoch: 1}))
    expect(log.abortedTransactions(0, 1)).to.deep.equal([])
    expect(log.activeProducers()).to.deep.equal([{producerId: 5n, producerEpoch: 1, lastSequence: -1, lastTimestamp: 1_700_000_000_000, coordinatorEpoch: 0, currentTxnFirstOffset: -1}])
    const broken = buildControlBatch({type: 'COMMIT', producerId: 5n, producerEpoch: 1})
    broken.writeInt16BE(7, 61 + 6) // control type 7
    expect(() => log.append(broken)).to.throw(InvalidBatchError, /not a transaction marker/)
  })

  it('describes producers, open transactions included', async () => {
    const log = await newLog()
    log.append(buildBatch(['a'], {producerId: 4n, producerEpoch: 2, baseSequence: 0, timestamp: 1_700_000_000_123}))
    log.append(txnBatch(6n, 1, 10))
    expect(log.activeProducers()).to.deep.equal([
      {producerId: 4n, producerEpoch: 2, lastSequence: 0, lastTimestamp: 1_700_000_000_123, coordinatorEpoch: -1, currentTxnFirstOffset: -1},
      {producerId: 6n, producerEpoch: 1, lastSequence: 11, lastTimestamp: 1_700_000_000_000, coordinatorEpoch: -1, currentTxnFirstOffset: 1},
    ])
  })
})
