import {expect} from 'chai'
import {readdirSync, readFileSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CorruptLogError} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {buildBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

/** Damage below the recovery point found while loading: kept, reported, stepped over; only a torn tail above it is cut. */
describe('recovery of damage below the recovery point', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })
  const minSegmentBytes = 4000
  const configs = {'segment.bytes': '4000', 'index.interval.bytes': '256'}

  interface Written {
    dataDir: string
    /** position of each batch (one record each, offset = index) in its segment file */
    positions: number[]
    /** the .log file of each batch */
    files: string[]
  }

  /**
   * `count` one-record batches of about 100 bytes, `flushed` of them flushed; then a clean close, or
   * a crash. With `unindexed`, segments get no index entry: a clean restart checks all of the last one.
   */
  async function written(count: number, stop: 'clean' | 'crash', options: {flushed?: number; unindexed?: boolean} = {}): Promise<Written> {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const flushed = options.flushed ?? count
    const manager = await LogManager.open(dataDir, {fs, minSegmentBytes})
    await manager.createTopic({name: 't', partitions: 1, configs: options.unindexed ? {...configs, 'index.interval.bytes': '8000'} : configs})
    const log = manager.partition('t', 0) as PartitionLog
    const positions: number[] = []
    const files: string[] = []
    for (let i = 0; i < count; i++) {
      if (i === flushed) await manager.flushAll()
      const before = log.segmentCount
      const sizeBefore = log.size
      log.append(buildBatch([`record ${i} ${'x'.repeat(40)}`], {timestamp: 1_700_000_000_000 + i}))
      const rolled = log.segmentCount > before
      positions.push(rolled ? 0 : sizeBefore - sizeOfEarlierSegments(files, dataDir))
      files.push(lastLogFile(dataDir))
    }
    if (stop === 'clean') await manager.close()
    else fs.crash()
    return {dataDir, positions, files}
  }

  function lastLogFile(dataDir: string): string {
    const dir = join(dataDir, 't-0')
    return join(dir, readdirSync(dir).filter((name) => name.endsWith('.log')).sort().at(-1) as string)
  }

  function sizeOfEarlierSegments(files: string[], dataDir: string): number {
    const current = lastLogFile(dataDir)
    return [...new Set(files)].filter((file) => file !== current).reduce((sum, file) => sum + readFileSync(file).length, 0)
  }

  function damage(w: Written, batch: number, at: number, edit: (bytes: Buffer, position: number) => void): void {
    const file = w.files[batch] as string
    const bytes = readFileSync(file)
    edit(bytes, (w.positions[batch] as number) + at)
    writeFileSync(file, bytes)
  }

  const flipByte = (bytes: Buffer, position: number): void => {
    bytes[position] = (bytes[position] as number) ^ 0xff
  }

  async function reopen(dataDir: string): Promise<{manager: LogManager; log: PartitionLog; lines: string[]}> {
    const lines: string[] = []
    const manager = await LogManager.open(dataDir, {minSegmentBytes, logger: (line) => lines.push(line)})
    managers.push(manager)
    return {manager, log: manager.partition('t', 0) as PartitionLog, lines}
  }

  /** Every offset from 0 to the log end: its record's offset, or 'corrupt' where a read throws CorruptLogError. */
  function readEach(log: PartitionLog): (number | 'corrupt')[] {
    const seen: (number | 'corrupt')[] = []
    for (let offset = 0; offset < log.logEndOffset; offset++) {
      try {
        seen.push(recordsIn(log.read(offset, 1))[0]?.offset ?? -1)
      } catch (err) {
        if (!(err instanceof CorruptLogError)) throw err
        seen.push('corrupt')
      }
    }
    return seen
  }

  const expected = (count: number, corrupt: number[]): (number | 'corrupt')[] =>
    Array.from({length: count}, (_, i) => (corrupt.includes(i) ? 'corrupt' : i))

  it('after a clean shutdown keeps a batch with a bad CRC in the tail it checks, and every batch after it', async () => {
    const w = await written(60, 'clean', {unindexed: true})
    const last = w.files.at(-1) as string
    const victim = w.files.findIndex((file) => file === last) + 2
    damage(w, victim, 70, flipByte)
    const {manager, log, lines} = await reopen(w.dataDir)
    expect(log.logEndOffset, 'nothing cut').to.equal(60)
    expect(manager.corruptions().map((c) => c.offset), 'listed at load, before any read').to.deep.equal([victim])
    expect(lines.join('\n')).to.match(new RegExp(`t-0: CORRUPT batch at offset ${victim}, not served: bad-crc`))
    expect(readEach(log)).to.deep.equal(expected(60, [victim]))
    expect(recordsIn(log.read(victim - 1, 1 << 20)).map((r) => r.offset), 'a read stops before the damage').to.deep.equal([victim - 1])
  })

  it('after a clean shutdown steps over a damaged batch header (bad length) in the tail it checks to the batches after it', async () => {
    const w = await written(60, 'clean', {unindexed: true})
    const last = w.files.at(-1) as string
    const victim = w.files.findIndex((file) => file === last) + 1
    damage(w, victim, 8, (bytes, position) => bytes.writeInt32BE(3, position))
    const {manager, log} = await reopen(w.dataDir)
    expect(log.logEndOffset).to.equal(60)
    expect(manager.corruptions()).to.have.length(1)
    expect(manager.corruptions()[0]).to.include({topic: 't', partition: 0, offset: victim})
    expect(manager.corruptions()[0]?.reason).to.match(/^bad-length: \d+ bytes at byte \d+ of \d{20}\.log, kept in the file$/)
    expect(readEach(log)).to.deep.equal(expected(60, [victim]))
  })

  it('keeps a damaged last batch: its offset stays taken, appends go on after it, and survive a restart', async () => {
    const w = await written(40, 'clean')
    damage(w, 39, 80, flipByte)
    const first = await reopen(w.dataDir)
    expect(first.log.logEndOffset, 'the damaged batch keeps its offset').to.equal(40)
    expect(first.log.append(buildBatch(['after the damage'])).baseOffset).to.equal(40)
    expect(readEach(first.log)).to.deep.equal(expected(41, [39]))
    await first.manager.close()
    managers.splice(managers.indexOf(first.manager), 1)
    const second = await reopen(w.dataDir)
    expect(second.log.logEndOffset).to.equal(41)
    expect(readEach(second.log)).to.deep.equal(expected(41, [39]))
    expect(second.manager.corruptions().map((c) => c.offset)).to.deep.equal([39])
  })

  it('after a crash keeps damage below the recovery point and cuts only the torn tail above it', async () => {
    const w = await written(60, 'crash', {flushed: 50})
    const last = w.files.at(-1) as string
    const firstOfLast = w.files.findIndex((file) => file === last)
    expect(firstOfLast, 'the damage and the torn tail share the last segment').to.be.below(45)
    damage(w, firstOfLast + 1, 70, flipByte)
    truncateSync(last, (w.positions[55] as number) + 30)
    const {manager, log, lines} = await reopen(w.dataDir)
    expect(log.logEndOffset, 'cut at the torn batch').to.equal(55)
    expect(readEach(log)).to.deep.equal(expected(55, [firstOfLast + 1]))
    expect(manager.corruptions().map((c) => c.offset)).to.deep.equal([firstOfLast + 1])
    expect(lines.join('\n')).to.match(/torn batch at byte \d+; truncated 30 bytes/)
  })

  it('reports flushed batches missing from the end of the log after a clean shutdown', async () => {
    const w = await written(30, 'clean')
    truncateSync(w.files.at(-1) as string, (w.positions[27] as number) + 20)
    const {manager, log} = await reopen(w.dataDir)
    expect(log.logEndOffset).to.equal(27)
    expect(readEach(log)).to.deep.equal(expected(27, []))
    expect(manager.corruptions()).to.deep.equal([
      {topic: 't', partition: 0, offset: 27, reason: 'missing: the log ends at offset 27, below its recovery point 30; offsets 27..29 were flushed and are lost'},
    ])
  })

  it('still cuts garbage appended after the last batch of a cleanly closed log, and reports nothing', async () => {
    const w = await written(30, 'clean')
    writeFileSync(w.files.at(-1) as string, Buffer.concat([readFileSync(w.files.at(-1) as string), Buffer.alloc(300, 7)]))
    const {manager, log} = await reopen(w.dataDir)
    expect(log.logEndOffset).to.equal(30)
    expect(readEach(log)).to.deep.equal(expected(30, []))
    expect(manager.corruptions()).to.deep.equal([])
  })

  it('reads past a damaged header in a sealed segment, found by the reads that pass it', async () => {
    const w = await written(80, 'clean')
    const sealed = w.files[0] as string
    const count = w.files.filter((file) => file === sealed).length
    damage(w, 1, 8, (bytes, position) => bytes.writeInt32BE(3, position))
    const {manager, log} = await reopen(w.dataDir)
    expect(manager.corruptions(), 'a sealed segment is trusted at load').to.deep.equal([])
    expect(log.read(5, 1).length, 'a read that does not pass the damage').to.be.above(0)
    expect(manager.corruptions()).to.deep.equal([])
    expect(readEach(log).slice(0, count)).to.deep.equal(expected(count, [1]))
    expect(manager.corruptions().map((c) => c.offset)).to.deep.equal([1])
  })
})
