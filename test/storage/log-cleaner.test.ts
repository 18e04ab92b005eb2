import {expect} from 'chai'
import {readdirSync} from 'node:fs'
import {type Compression, controlBatchType, encodeControlBatch, readBatchHeader} from '../../src/protocol/index.js'
import {planCleaning} from '../../src/storage/cleaner-plan.js'
import {appendRecords, fillRounds, latestByKey, openCompacted, readAll, roll, storedBatches, T0} from './cleaner-fixtures.js'
import {useTempDirs} from './temp-dirs.js'
import {waitFor} from './wait-for.js'

const DAY = 24 * 3600 * 1000

describe('log cleaner', () => {
  const tempDir = useTempDirs()

  it('keeps the latest record of each key in sealed segments, at its offset, and never touches the active segment', async () => {
    const {manager, log} = await openCompacted(tempDir())
    try {
      await fillRounds(log, 20, 4)
      await roll(log)
      await appendRecords(log, [['key-3', 'in the active segment']])
      const before = await readAll(log)
      const sizeBefore = log.size
      const activeFrom = before[before.length - 1]?.offset as number

      const reports = await manager.cleanLogs()
      expect(reports).to.have.length(1)
      expect(reports[0]).to.include({log: 't-0', reason: 'dirty-ratio'})

      const after = await readAll(log)
      const sealed = after.filter((r) => r.offset < activeFrom)
      expect(new Set(sealed.map((r) => r.key)).size).to.equal(sealed.length)
      expect(sealed).to.have.length(20)
      for (const record of sealed) expect(record.value).to.equal(`${record.key?.replace('key', 'value')}-round-3`)
      const byOffset = new Map(before.map((r) => [r.offset, r]))
      for (const record of after) expect(byOffset.get(record.offset)).to.deep.equal(record)
      expect(after[after.length - 1]).to.deep.equal(before[before.length - 1])
      expect(Object.fromEntries(latestByKey(after))).to.deep.equal(Object.fromEntries(latestByKey(before)))
      expect(log.logEndOffset).to.equal(activeFrom + 1)
      expect(log.size).to.be.below(sizeBefore / 2)
    } finally {
      await manager.close()
    }
  })

  it('leaves sealed segments that are not on disk yet: a newer record a power failure could take back cleans nothing away', async () => {
    const {manager, log} = await openCompacted(tempDir())
    try {
      await fillRounds(log, 20, 4)
      await roll(log)
      const cleanable = log.cleanable()
      const plan = (recoveryPoint: number) => planCleaning({...cleanable, recoveryPoint, checkpoint: undefined, deleteHorizon: undefined, now: Date.now()})
      expect(plan(cleanable.logEndOffset), 'all on disk').to.not.equal(undefined)
      expect(plan(0), 'nothing on disk').to.equal(undefined)
    } finally {
      await manager.close()
    }
  })

  it('keeps a tombstone until delete.retention.ms after its first cleaning, then drops it', async () => {
    const {manager, log} = await openCompacted(tempDir(), {'delete.retention.ms': String(DAY)})
    try {
      await fillRounds(log, 10, 2)
      const tombstone = await appendRecords(log, [['key-4', null]])
      await appendRecords(log, [['other', 'x']])
      await roll(log)
      const now = Date.now()
      expect(await manager.cleanLogs(now)).to.have.length(1)
      expect((await readAll(log)).filter((r) => r.key === 'key-4')).to.deep.equal([{offset: tombstone, key: 'key-4', value: null}])

      expect(await manager.cleanLogs(now + DAY - 1), 'before the delete horizon').to.deep.equal([])
      const late = await manager.cleanLogs(now + DAY + 1)
      expect(late.map((r) => r.reason)).to.deep.equal(['delete-horizon'])
      const records = await readAll(log)
      expect(records.filter((r) => r.key === 'key-4')).to.deep.equal([])
      expect(records).to.have.length(10)
    } finally {
      await manager.close()
    }
  })

  it('cleans only once the dirty part is above min.cleanable.dirty.ratio', async () => {
    const {manager, log} = await openCompacted(tempDir(), {'min.cleanable.dirty.ratio': '0.5'})
    try {
      await fillRounds(log, 40, 3)
      await roll(log)
      expect(await manager.cleanLogs()).to.have.length(1)
      const cleanSize = log.size
      await fillRounds(log, 5, 1)
      await roll(log)
      expect(await manager.cleanLogs(), 'a small dirty part').to.deep.equal([])
      while (log.size < 3 * cleanSize) await fillRounds(log, 40, 1)
      await roll(log)
      const reports = await manager.cleanLogs()
      expect(reports.map((r) => r.reason)).to.deep.equal(['dirty-ratio'])
    } finally {
      await manager.close()
    }
  })

  it('leaves segments younger than min.compaction.lag.ms, and cleans at max.compaction.lag.ms whatever the ratio', async () => {
    const {manager, log} = await openCompacted(tempDir(), {'min.compaction.lag.ms': String(DAY), 'min.cleanable.dirty.ratio': '1', 'max.compaction.lag.ms': String(2 * DAY)})
    try {
      await fillRounds(log, 20, 3)
      await roll(log)
      expect(await manager.cleanLogs(T0 + DAY / 2), 'younger than the minimum lag, ratio never reached').to.deep.equal([])
      expect(await manager.cleanLogs(T0 + DAY + 1000), 'past the minimum lag, ratio never reached').to.deep.equal([])
      const reports = await manager.cleanLogs(T0 + 3 * DAY)
      expect(reports.map((r) => r.reason)).to.deep.equal(['max-compaction-lag'])
      expect(await readAll(log)).to.have.length(20)
    } finally {
      await manager.close()
    }
  })

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as Compression[]) {
    it(`rewrites ${codec} batches with their codec, a valid CRC and their producer fields`, async () => {
      const {manager, log} = await openCompacted(tempDir())
      try {
        for (let round = 0; round < 3; round++) {
          for (let k = 0; k < 20; k += 4) {
            const records: [string, string][] = [0, 1, 2, 3].map((j) => [`key-${k + j}`, `v${round}`])
            if (round === 2 && k === 8) records[1] = [`key-${k + 1}`, `v1`]
            await appendRecords(log, round === 2 && k === 8 ? records.slice(0, 1) : records, {compression: codec, producerId: 42})
          }
        }
        await roll(log)
        await manager.cleanLogs()
        const batches = storedBatches(log)
        const headers = batches.map((batch) => readBatchHeader(batch))
        expect(headers.every((h) => h.compression === codec && h.producerId === 42 && h.producerEpoch === 3)).to.equal(true)
        expect(headers[0]?.baseSequence).to.be.at.least(7)
        expect(headers.every((h, i) => i === 0 || h.baseSequence > (headers[i - 1]?.baseSequence ?? 0)), 'sequences kept, increasing').to.equal(true)
        expect(headers.some((h) => h.recordCount < h.lastOffsetDelta + 1), 'a batch that lost records').to.equal(true)
        const records = await readAll(log)
        expect(records).to.have.length(20)
        expect(records.find((r) => r.key === 'key-9')?.value).to.equal('v1')
        expect(records.find((r) => r.key === 'key-8')?.value).to.equal('v2')
      } finally {
        await manager.close()
      }
    })
  }

  it('drops records without a key, and a marker whose transaction has no batch left once its delete horizon passed', async () => {
    const {manager, log} = await openCompacted(tempDir())
    try {
      await appendRecords(log, [[null, 'from before compaction'], ['a', '1']])
      const marker = encodeControlBatch({producerId: 9, producerEpoch: 0, type: 'COMMIT', coordinatorEpoch: 0, timestamp: T0})
      const markerOffset = log.append(Buffer.from(marker)).baseOffset
      await appendRecords(log, [['a', '2']])
      await roll(log)
      const now = Date.now()
      await manager.cleanLogs(now)
      const control = storedBatches(log).find((b) => readBatchHeader(b).isControl) as Buffer
      expect(readBatchHeader(control)).to.include({baseOffset: markerOffset, baseTimestamp: now + DAY, producerId: 9})
      expect(readBatchHeader(control).attributes & 0x40, 'delete horizon set').to.equal(0x40)
      expect(controlBatchType(control)).to.equal('COMMIT')
      const data = (await readAll(log)).filter((r) => r.offset !== markerOffset)
      expect(data).to.deep.equal([{offset: markerOffset + 1, key: 'a', value: '2'}])
      await manager.cleanLogs(now + DAY + 1)
      expect(storedBatches(log).some((b) => readBatchHeader(b).isControl), 'marker gone after its horizon').to.equal(false)
    } finally {
      await manager.close()
    }
  })

  it('merges cleaned segments that fit segment.bytes together into one', async () => {
    const {manager, log} = await openCompacted(tempDir())
    try {
      for (let i = 0; i < 4; i++) {
        await fillRounds(log, 10, 4)
        await roll(log)
        await manager.cleanLogs()
      }
      expect(log.segmentCount, 'one cleaned segment and the active one').to.equal(2)
      expect(await readAll(log)).to.have.length(10)
    } finally {
      await manager.close()
    }
  })

  it('remembers where it cleaned up to across a restart (cleaner-offset-checkpoint)', async () => {
    const dataDir = tempDir()
    const first = await openCompacted(dataDir)
    await fillRounds(first.log, 20, 3)
    await roll(first.log)
    expect(await first.manager.cleanLogs()).to.have.length(1)
    await first.manager.close()
    expect(readdirSync(dataDir)).to.include('cleaner-offset-checkpoint')
    const again = await openCompacted(dataDir, {}, {create: false})
    try {
      expect(await again.manager.cleanLogs(), 'nothing dirty').to.deep.equal([])
      expect(await readAll(again.log)).to.have.length(20)
    } finally {
      await again.manager.close()
    }
  })

  it('runs on its own every cleanerIntervalMs', async () => {
    const {manager, log} = await openCompacted(tempDir())
    await fillRounds(log, 20, 3)
    await roll(log)
    await manager.close()
    const {LogManager} = await import('../../src/storage/log-manager.js')
    const reopened = await LogManager.open(log.dir.replace(/\/t-0$/, ''), {minSegmentBytes: 2048, cleanerIntervalMs: 10})
    try {
      const reopenedLog = reopened.partition('t', 0)
      await waitFor(() => (reopenedLog?.size ?? 0) < log.size, 'a background cleaning')
      expect(await readAll(reopenedLog as typeof log)).to.have.length(20)
    } finally {
      await reopened.close()
    }
  })
})
