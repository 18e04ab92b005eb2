import {expect} from 'chai'
import {readdirSync} from 'node:fs'
import {FaultInjectingFs, SimulatedCrashError} from '../../src/storage/fault-injecting-fs.js'
import {type LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {fillRounds, openCompacted, readAll, roll, type StoredRecord} from './cleaner-fixtures.js'
import {useTempDirs} from './temp-dirs.js'

/** A FaultInjectingFs that "dies" (kill -9) at the n-th rename once armed, or counts them. */
class CrashAtRename extends FaultInjectingFs {
  renames = 0
  private crashAt: number | undefined

  arm(n: number | undefined): void {
    this.renames = 0
    this.crashAt = n
  }

  override rename(from: string, to: string): void {
    if (++this.renames === this.crashAt) {
      this.crash()
      throw new SimulatedCrashError()
    }
    super.rename(from, to)
  }
}

/** Three small sealed segments, one group for the cleaner, and the active one. */
async function fill(log: PartitionLog): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await fillRounds(log, 8, 1)
    await roll(log)
  }
}

describe('log cleaner, killed at each step of a swap', () => {
  const tempDir = useTempDirs()

  async function run(crash: (fs: CrashAtRename) => void): Promise<{before: StoredRecord[]; after: StoredRecord[]; renames: number; dir: string; lines: string[]}> {
    const dataDir = tempDir()
    const fs = new CrashAtRename()
    const {manager, log} = await openCompacted(dataDir, {}, {fs})
    await fill(log)
    const before = await readAll(log)
    crash(fs)
    const cleaned = await manager.cleanLogs()
    const renames = fs.renames
    if (!fs.hasCrashed) {
      expect(cleaned).to.have.length(1)
      await manager.close()
    }
    const lines: string[] = []
    const reopened: {manager: LogManager; log: PartitionLog} = await openCompacted(dataDir, {}, {create: false, logger: (line) => lines.push(line)})
    try {
      return {before, after: await readAll(reopened.log), renames, dir: reopened.log.dir, lines}
    } finally {
      await reopened.manager.close()
    }
  }

  it('leaves the old segments or the new one at every rename, and no .cleaned or .swap file', async () => {
    const reference = await run((fs) => fs.arm(undefined))
    expect(reference.after).to.have.length(8)
    expect(reference.renames).to.be.at.least(6)
    const outcomes: string[] = []
    for (let n = 1; n <= reference.renames; n++) {
      const result = await run((fs) => fs.arm(n))
      expect(result.before).to.deep.equal(reference.before)
      const isOld = JSON.stringify(result.after) === JSON.stringify(result.before)
      const isNew = JSON.stringify(result.after) === JSON.stringify(reference.after)
      expect(isOld || isNew, `crash at rename ${n}: ${JSON.stringify(result.after.map((r) => r.offset))}`).to.equal(true)
      outcomes.push(isOld ? 'old' : 'new')
      expect(readdirSync(result.dir).filter((name) => /\.(cleaned|swap)$/.test(name)), `crash at rename ${n}`).to.deep.equal([])
    }
    // killed at rename n, the n-th does not happen: the .log's rename to .swap (the third) commits
    expect(outcomes.slice(0, 3)).to.deep.equal(['old', 'old', 'old'])
    expect(outcomes.slice(3).every((outcome) => outcome === 'new')).to.equal(true)
  })

  it('leaves the old segments when killed while writing the cleaned segment', async () => {
    const result = await run((fs) => fs.crashAfterBytes(300))
    expect(result.after).to.deep.equal(result.before)
    expect(result.lines.join('\n')).to.match(/did not commit; removed/)
  })
})
