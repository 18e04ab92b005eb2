import {expect} from 'chai'
import {join} from 'node:path'
import {LogOfflineError} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {logConfigFrom} from '../../src/storage/log-config.js'
import {PartitionLog} from '../../src/storage/partition-log.js'
import {buildBatch, buildControlBatch} from './record-batch.js'
import {expectRejection} from './expect-rejection.js'
import {useTempDirs} from './temp-dirs.js'

describe('an ABORT whose .txnindex entry cannot be written', () => {
  const tempDir = useTempDirs()
  const opened: PartitionLog[] = []
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close()
  })

  const options = (dir: string, fs: FaultInjectingFs) =>
    ({fs, dir, topic: 'orders', partition: 0, config: logConfigFrom({}, 1024), logger: () => undefined})

  it('keeps the log consistent: the marker is appended and indexed in memory, the failed write takes the log offline at flush, a restart rebuilds the entry', async () => {
    const dir = join(tempDir(), 'orders-0')
    const fs = new FaultInjectingFs()
    const log = await PartitionLog.create(options(dir, fs))
    opened.push(log)
    log.append(buildBatch(['a', 'b'], {producerId: 5n, producerEpoch: 0, baseSequence: 0, transactional: true})) // 0..1
    fs.failNextOpenOf('.txnindex')
    const marker = log.append(buildControlBatch({type: 'ABORT', producerId: 5n, producerEpoch: 0})) // 2
    expect(marker).to.include({baseOffset: 2, duplicate: false})
    expect(log.logEndOffset).to.equal(3)
    expect(log.lastStableOffset).to.equal(3)
    expect(log.abortedTransactions(0, 3)).to.deep.equal([{producerId: 5n, firstOffset: 0}])
    // the index entry is written by the flush, whose open of the .txnindex is the failing one: the log goes offline
    await expectRejection(log.flush(), LogOfflineError)
    expect(() => log.append(buildBatch(['plain']))).to.throw(LogOfflineError)
    expect(log.logEndOffset).to.equal(3)
    await log.close()
    const reopened = PartitionLog.open({...options(dir, new FaultInjectingFs()), recoveryPoint: 0, cleanShutdown: false})
    opened.push(reopened)
    expect(reopened.logEndOffset).to.equal(3)
    expect(reopened.abortedTransactions(0, 3)).to.deep.equal([{producerId: 5n, firstOffset: 0}])
    expect(reopened.append(buildBatch(['plain'])).baseOffset).to.equal(3)
  })

  it('writes the entry with the flush, so that it is on disk below the recovery point', async () => {
    const dir = join(tempDir(), 'orders-0')
    const fs = new FaultInjectingFs()
    const log = await PartitionLog.create(options(dir, fs))
    opened.push(log)
    log.append(buildBatch(['a'], {producerId: 5n, producerEpoch: 0, baseSequence: 0, transactional: true}))
    log.append(buildControlBatch({type: 'ABORT', producerId: 5n, producerEpoch: 0}))
    expect(fs.exists(join(dir, '00000000000000000000.txnindex'))).to.equal(false)
    await log.flush()
    expect(fs.fileSize(join(dir, '00000000000000000000.txnindex'))).to.equal(34)
    expect(log.recoveryPoint).to.equal(2)
  })
})
