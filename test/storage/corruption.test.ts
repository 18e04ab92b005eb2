import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CorruptLogError} from '../../src/storage/errors.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {buildBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

describe('corruption below the recovery point', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })

  /**
   * A cleanly closed log of 20 one-record batches (offsets 0..19) in two segments; the damaged
   * batches are in the first, sealed one, which a restart trusts without reading. Returns each
   * batch's position in its segment.
   */
  async function closedLog(dataDir: string): Promise<number[]> {
    const manager = await LogManager.open(dataDir, {minSegmentBytes: 1000})
    await manager.createTopic({name: 't', partitions: 1, configs: {'segment.bytes': '1000'}})
    const log = manager.partition('t', 0) as PartitionLog
    const positions: number[] = []
    for (let i = 0; i < 20; i++) {
      positions.push(log.size)
      log.append(buildBatch([`record ${i}`], {timestamp: 1_700_000_000_000 + i}))
    }
    expect(log.segmentCount).to.equal(2)
    await manager.close()
    return positions
  }

  async function reopen(dataDir: string, lines: string[]): Promise<{manager: LogManager; log: PartitionLog}> {
    const manager = await LogManager.open(dataDir, {minSegmentBytes: 1000, logger: (line) => lines.push(line)})
    managers.push(manager)
    return {manager, log: manager.partition('t', 0) as PartitionLog}
  }

  function damage(dataDir: string, at: number, edit: (bytes: Buffer) => void): void {
    const path = join(dataDir, 't-0', '00000000000000000000.log')
    const bytes = readFileSync(path)
    edit(bytes.subarray(at))
    writeFileSync(path, bytes)
  }

  it('never serves a batch whose CRC fails: serves those before it, throws CorruptLogError at it, reports it once', async () => {
    const dataDir = tempDir()
    const positions = await closedLog(dataDir)
    damage(dataDir, (positions[7] as number) + 70, (bytes) => (bytes[0] = (bytes[0] as number) ^ 0xff))
    const lines: string[] = []
    const {manager, log} = await reopen(dataDir, lines)
    expect(recordsIn(log.read(0, 1 << 20)).map((r) => r.offset)).to.deep.equal([0, 1, 2, 3, 4, 5, 6])
    expect(log.logEndOffset, 'nothing was cut').to.equal(20)
    expect(() => log.read(7, 1 << 20)).to.throw(CorruptLogError, /offset 7 \(bad-crc\)/)
    expect(() => log.read(7, 1 << 20)).to.throw(CorruptLogError)
    expect(recordsIn(log.read(8, 1 << 20))[0]?.offset, 'the batches after it are served').to.equal(8)
    expect(() => log.readFromTimestamp(1_700_000_000_007, 1000)).to.throw(CorruptLogError)
    expect(manager.corruptions()).to.deep.equal([{topic: 't', partition: 0, offset: 7, reason: 'bad-crc'}])
    expect(lines.filter((line) => line.includes('CORRUPT'))).to.deep.equal(['t-0: CORRUPT batch at offset 7, not served: bad-crc'])
  })

  it('stops at a damaged batch header: serves what precedes it, throws CorruptLogError from it on', async () => {
    const dataDir = tempDir()
    const positions = await closedLog(dataDir)
    damage(dataDir, positions[9] as number, (bytes) => bytes.writeInt32BE(3, 8)) // an impossible batchLength
    const lines: string[] = []
    const {manager, log} = await reopen(dataDir, lines)
    expect(recordsIn(log.read(7, 1 << 20)).map((r) => r.offset)).to.deep.equal([7, 8])
    expect(() => log.read(9, 1 << 20)).to.throw(CorruptLogError)
    expect(manager.corruptions().map((c) => c.offset)).to.include(9)
    expect(lines.some((line) => line.includes('CORRUPT batch at offset 9'))).to.equal(true)
  })
})
