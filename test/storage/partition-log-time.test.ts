import {expect} from 'chai'
import {readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {seededRandom} from './random.js'
import {buildBatch, parseBatch, splitBatches} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

interface Appended {
  baseOffset: number
  lastOffset: number
  timestamp: number
}

const T0 = 1_700_000_000_000

describe('PartitionLog lookups by time', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })
  const configs = {'segment.bytes': '3000', 'index.interval.bytes': '200', 'retention.ms': '-1'}

  async function open(dataDir: string, options: {fs?: FaultInjectingFs; lines?: string[]} = {}): Promise<LogManager> {
    const manager = await LogManager.open(dataDir, {fs: options.fs, minSegmentBytes: 1000, logger: (line) => options.lines?.push(line)})
    managers.push(manager)
    return manager
  }

  /** Batches whose timestamps mostly grow, sometimes step back (producers' clocks), sometimes repeat. */
  function appendBatches(log: PartitionLog, count: number, seed: number): Appended[] {
    const random = seededRandom(seed)
    const appended: Appended[] = []
    let clock = T0
    for (let i = 0; i < count; i++) {
      clock += random.between(0, 3) === 0 ? 0 : random.between(-40, 100)
      const values = Array.from({length: random.between(1, 3)}, () => 'v'.repeat(random.between(0, 200)))
      const {baseOffset, lastOffset} = log.append(buildBatch(values, {timestamp: clock}))
      appended.push({baseOffset, lastOffset, timestamp: clock})
    }
    return appended
  }

  const firstAtOrAfter = (appended: Appended[], timestamp: number, logStart: number): Appended | undefined =>
    appended.find((b) => b.lastOffset >= logStart && b.timestamp >= timestamp)

  function largest(appended: Appended[], logStart: number): Appended | undefined {
    let best: Appended | undefined
    for (const b of appended) if (b.lastOffset >= logStart && (!best || b.timestamp > best.timestamp)) best = b
    return best
  }

  function expectLookupsMatch(log: PartitionLog, appended: Appended[], seed: number): void {
    const random = seededRandom(seed)
    const timestamps = appended.map((b) => b.timestamp)
    const low = Math.min(...timestamps) - 10
    const high = Math.max(...timestamps) + 10
    for (let i = 0; i < 300; i++) {
      const target = random.between(low, high)
      const expected = firstAtOrAfter(appended, target, log.logStartOffset)
      const bytes = log.readFromTimestamp(target, 1)
      const found = bytes.length === 0 ? undefined : parseBatch(splitBatches(bytes)[0] as Buffer)
      expect(found?.baseOffset, `timestamp ${target}`).to.equal(expected?.baseOffset)
      if (found) expect(found.maxTimestamp).to.equal(expected?.timestamp)
    }
    const max = log.batchWithMaxTimestamp()
    expect(max && parseBatch(max).baseOffset, 'the batch with the largest timestamp').to.equal(largest(appended, log.logStartOffset)?.baseOffset)
    if (max) expect(splitBatches(max)).to.have.length(1)
  }

  it('finds the first batch at or after a timestamp and the earliest batch with the largest, as linear scans do', async () => {
    const manager = await open(tempDir())
    await manager.createTopic({name: 't', partitions: 1, configs})
    const log = manager.partition('t', 0) as PartitionLog
    expect(log.readFromTimestamp(T0, 100)).to.have.length(0)
    expect(log.batchWithMaxTimestamp()).to.equal(null)
    const appended = appendBatches(log, 400, 1)
    expect(log.segmentCount).to.be.greaterThan(10)
    expectLookupsMatch(log, appended, 2)
    expect(log.readFromTimestamp(Math.max(...appended.map((b) => b.timestamp)) + 1, 100)).to.have.length(0)
  })

  it('answers the same after a clean restart and after a crash, from the time indexes on disk', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    let manager = await open(dataDir, {fs})
    await manager.createTopic({name: 't', partitions: 1, configs})
    const appended = appendBatches(manager.partition('t', 0) as PartitionLog, 300, 3)
    await manager.close()
    managers.splice(0)
    const lines: string[] = []
    manager = await open(dataDir, {lines})
    expectLookupsMatch(manager.partition('t', 0) as PartitionLog, appended, 4)
    expect(lines.join('\n')).not.to.match(/rebuilding/)
    const crashing = new FaultInjectingFs()
    await manager.close()
    managers.splice(0)
    manager = await open(dataDir, {fs: crashing})
    appended.push(...appendBatches(manager.partition('t', 0) as PartitionLog, 100, 5))
    crashing.crash()
    managers.splice(0)
    manager = await open(dataDir)
    expectLookupsMatch(manager.partition('t', 0) as PartitionLog, appended, 6)
  })

  it('rebuilds time indexes that are missing, cut, zeroed or lack their closing entry, and answers as before', async () => {
    const dataDir = tempDir()
    let manager = await open(dataDir)
    await manager.createTopic({name: 't', partitions: 1, configs})
    const appended = appendBatches(manager.partition('t', 0) as PartitionLog, 300, 7)
    await manager.close()
    managers.splice(0)
    const dir = join(dataDir, 't-0')
    const timeIndexes = readdirSync(dir).filter((name) => name.endsWith('.timeindex')).sort()
    expect(timeIndexes.length).to.be.greaterThan(8)
    const at = (i: number): string => join(dir, timeIndexes[i] as string)
    unlinkSync(at(0))
    truncateSync(at(1), readFileSync(at(1)).length - 5)
    writeFileSync(at(2), Buffer.alloc(readFileSync(at(2)).length))
    truncateSync(at(3), readFileSync(at(3)).length - 12) // the closing entry, cut at an entry boundary
    const lines: string[] = []
    manager = await open(dataDir, {lines})
    expectLookupsMatch(manager.partition('t', 0) as PartitionLog, appended, 8)
    expect(lines.filter((line) => /rebuilding them/.test(line)).length, lines.join('\n')).to.equal(4)
  })

  it('reads about the same few bytes for a lookup in a small and in a large log', async () => {
    const bytesForLookups = async (batches: number): Promise<number> => {
      const fs = new FaultInjectingFs()
      const dataDir = tempDir()
      let manager = await open(dataDir, {fs})
      await manager.createTopic({name: 't', partitions: 1, configs: {...configs, 'segment.bytes': '100000', 'index.interval.bytes': '4096'}})
      const log = manager.partition('t', 0) as PartitionLog
      let clock = T0
      for (let i = 0; i < batches; i++) log.append(buildBatch(['x'.repeat(100)], {timestamp: (clock += 10)}))
      await manager.close()
      managers.splice(0)
      const reading = new FaultInjectingFs()
      manager = await open(dataDir, {fs: reading})
      const reopened = manager.partition('t', 0) as PartitionLog
      reopened.readFromTimestamp(T0, 1) // loads every segment's indexes once
      const before = reading.stats.bytesRead
      const random = seededRandom(batches)
      for (let i = 0; i < 50; i++) reopened.readFromTimestamp(T0 + 10 * random.between(1, batches), 1)
      return (reading.stats.bytesRead - before) / 50
    }
    const small = await bytesForLookups(500)
    const large = await bytesForLookups(20_000)
    expect(large / small, `${large} vs ${small} bytes per lookup`).to.be.below(1.5)
  })
})
