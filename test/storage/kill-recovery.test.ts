import {expect} from 'chai'
import {fileURLToPath} from 'node:url'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {parseBatch, splitBatches} from './record-batch.js'
import {useKilledChildren} from './kill-child.js'
import {useTempDirs} from './temp-dirs.js'

const CHILD = fileURLToPath(new URL('./fixtures/append-child.js', import.meta.url))
const REPORTED_BEFORE_KILL = 3000
/** below the minimum a topic may ask for, so the child rolls segments; the child opens the log with the same minimum */
const SEGMENT_BYTES = 65536

describe('kill -9 of an appending process', function () {
  this.timeout(60_000)
  const tempDir = useTempDirs()
  const runUntilKilled = useKilledChildren()

  /** Runs the child until it has reported `count` appends, kills it, and returns every report it made. */
  async function appendUntilKilled(dataDir: string, count: number): Promise<Map<number, number>> {
    const reported = new Map<number, number>()
    await runUntilKilled(CHILD, [dataDir, String(SEGMENT_BYTES)], (line) => {
      const [offset, n] = line.split(' ').map(Number)
      reported.set(n as number, offset as number)
      return reported.size >= count
    })
    return reported
  }

  it('keeps every batch the child reported as appended', async () => {
    const dataDir = tempDir()
    const setup = await LogManager.open(dataDir, {minSegmentBytes: SEGMENT_BYTES})
    await setup.createTopic({name: 't', partitions: 1, configs: {'segment.bytes': String(SEGMENT_BYTES), 'index.interval.bytes': '1024'}})
    await setup.close()

    const reported = await appendUntilKilled(dataDir, REPORTED_BEFORE_KILL)
    expect(reported.size).to.be.at.least(REPORTED_BEFORE_KILL)

    const lines: string[] = []
    const manager = await LogManager.open(dataDir, {logger: (line) => lines.push(line), minSegmentBytes: SEGMENT_BYTES})
    try {
      expect(lines.join('\n')).to.match(/not closed cleanly/)
      const log = manager.partition('t', 0) as PartitionLog
      expect(log.logEndOffset).to.be.at.least(2 * reported.size)
      for (const [n, offset] of reported) {
        const batch = parseBatch(splitBatches(log.read(offset, 1))[0] as Buffer)
        expect(batch.baseOffset, `append ${n}`).to.equal(offset)
        expect(batch.crcValid).to.equal(true)
        expect(batch.values.slice(0, 2)).to.deep.equal([`record-${n}`, `second-${n}`])
      }
    } finally {
      await manager.close()
    }
  })
})
