import {expect} from 'chai'
import {encodeControlBatch, encodeRecordBatch, readBatchHeader} from '../../src/protocol/index.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {appendRecords, openCompacted, readAll, roll, storedBatches, T0} from './cleaner-fixtures.js'
import {useTempDirs} from './temp-dirs.js'

const DAY = 24 * 3600 * 1000

describe('log cleaner and transactions', () => {
  const tempDir = useTempDirs()
  const sequences = new Map<number, number>()
  beforeEach(() => sequences.clear())

  /** One transactional batch of producer `id`, its sequences following on. */
  async function sendTxn(log: PartitionLog, id: number, records: [string, string][]): Promise<number> {
    const sequence = sequences.get(id) ?? 0
    sequences.set(id, sequence + records.length)
    const batch = await encodeRecordBatch(records.map(([key, value], i) => ({key: Buffer.from(key), value: Buffer.from(value), headers: [], timestamp: T0 + i})),
      {compression: 'none', producerId: id, producerEpoch: 0, baseSequence: sequence, transactional: true})
    return log.append(batch).baseOffset
  }

  const end = (log: PartitionLog, id: number, type: 'COMMIT' | 'ABORT'): number =>
    log.append(encodeControlBatch({producerId: id, producerEpoch: 0, type, coordinatorEpoch: 0, timestamp: T0})).baseOffset

  const markers = (log: PartitionLog): number[] => storedBatches(log).filter((b) => readBatchHeader(b).isControl).map((b) => readBatchHeader(b).baseOffset)
  const valuesOf = async (log: PartitionLog, key: string): Promise<string[]> =>
    (await readAll(log)).filter((r) => r.key === key).map((r) => r.value as string)

  it('never cleans the segment holding the last stable offset, nor those after it', async () => {
    const {manager, log} = await openCompacted(tempDir())
    try {
      await appendRecords(log, [['k', 'old']])
      await roll(log)
      await sendTxn(log, 1, [['k', 'open']]) // the open transaction: the last stable offset
      await roll(log)
      await appendRecords(log, [['k', 'newest']])
      await roll(log)
      expect(log.lastStableOffset).to.equal(1)
      await manager.cleanLogs()
      expect(await valuesOf(log, 'k'), 'nothing at or above the open transaction cleaned, nor what it would supersede').to.deep.equal(['old', 'open', 'newest'])
      end(log, 1, 'COMMIT')
      await roll(log)
      await manager.cleanLogs()
      expect(await valuesOf(log, 'k')).to.deep.equal(['newest'])
    } finally {
      await manager.close()
    }
  })

  it('drops the batches of aborted transactions, which never win over a committed value', async () => {
    const {manager, log} = await openCompacted(tempDir())
    try {
      await sendTxn(log, 1, [['k', 'committed'], ['j', 'committed']])
      end(log, 1, 'COMMIT')
      await sendTxn(log, 2, [['k', 'aborted']])
      const abortMarker = end(log, 2, 'ABORT')
      await roll(log)
      expect(log.abortedTransactions(0, log.logEndOffset)).to.have.length(1)
      await manager.cleanLogs()
      expect(await valuesOf(log, 'k')).to.deep.equal(['committed'])
      expect(await valuesOf(log, 'j')).to.deep.equal(['committed'])
      expect(markers(log), 'the ABORT marker stays while the cleaning drops its batches').to.include(abortMarker)
    } finally {
      await manager.close()
    }
  })

  it('keeps a marker while its transaction has a batch, then until its delete horizon', async () => {
    const {manager, log} = await openCompacted(tempDir(), {'delete.retention.ms': String(DAY), 'min.cleanable.dirty.ratio': '0.01'})
    try {
      await sendTxn(log, 1, [['k', 'in-txn']])
      const commit = end(log, 1, 'COMMIT')
      await sendTxn(log, 2, [['j', 'aborted']])
      const abort = end(log, 2, 'ABORT')
      await roll(log)
      const now = Date.now()
      await manager.cleanLogs(now)
      expect(markers(log), 'the COMMIT keeps its transaction\'s batch company; the ABORT stays one cleaning').to.deep.equal([commit, abort])
      await appendRecords(log, [['k', 'later']])
      await roll(log)
      await manager.cleanLogs(now + 1)
      expect(await valuesOf(log, 'k')).to.deep.equal(['later'])
      expect(markers(log), 'both kept: the COMMIT met its batch in this cleaning, the ABORT until its horizon').to.deep.equal([commit, abort])
      await manager.cleanLogs(now + 1 + DAY)
      expect(markers(log), 'the ABORT\'s horizon passed; the COMMIT got one').to.deep.equal([commit])
      await manager.cleanLogs(now + 1 + 2 * DAY)
      expect(markers(log)).to.deep.equal([])
      expect((await readAll(log)).map((r) => r.value)).to.deep.equal(['later'])
    } finally {
      await manager.close()
    }
  })
})
