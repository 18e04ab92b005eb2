import {expect} from 'chai'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {CheckpointWriter} from '../../src/storage/checkpoint-writer.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {type CheckpointEntry} from '../../src/storage/recovery-point-checkpoint.js'
import {useTempDirs} from './temp-dirs.js'
import {waitFor} from './wait-for.js'

describe('CheckpointWriter', () => {
  const tempDir = useTempDirs()

  it('retries a timed write that failed in the next interval, saying why', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const points: CheckpointEntry[] = [{topic: 't', partition: 0, offset: 0}]
    const lines: string[] = []
    const writer = new CheckpointWriter(fs, dataDir, () => points.map((p) => ({...p})), (line) => lines.push(line))
    writer.start(10)
    try {
      fs.failNextSync()
      points[0] = {topic: 't', partition: 0, offset: 7}
      const path = join(dataDir, 'recovery-point-checkpoint')
      await waitFor(() => existsSync(path) && readFileSync(path, 'utf8') === '0\n1\nt 0 7\n', 'the retried write')
      expect(lines).to.have.length(1)
      expect(lines[0]).to.match(/recovery-point-checkpoint: could not be written \(EIO: injected fsync failure\); trying again/)
    } finally {
      await writer.stop()
    }
  })
})
