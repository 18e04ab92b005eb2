import {expect} from 'chai'
import {join} from 'node:path'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {HeldDescriptor} from '../../src/storage/held-descriptor.js'
import {HeldSyncFs} from './held-sync-fs.js'
import {useTempDirs} from './temp-dirs.js'

describe('HeldDescriptor', () => {
  const tempDir = useTempDirs()

  it('closes on release when no sync runs', () => {
    const fs = new FaultInjectingFs()
    const held = new HeldDescriptor(fs, fs.open(join(tempDir(), 'f'), 'w'))
    held.release()
    held.release()
    expect(fs.stats.openDescriptors).to.equal(0)
  })

  it('closes after the running syncs when released during them, never under them', async () => {
    const fs = new HeldSyncFs()
    const held = new HeldDescriptor(fs, fs.open(join(tempDir(), 'f'), 'w'))
    const syncs = [held.datasync(), held.datasync()]
    held.release()
    expect(fs.stats.openDescriptors, 'still open for the syncs').to.equal(1)
    fs.releaseSyncs()
    await Promise.all(syncs)
    expect(fs.stats.openDescriptors).to.equal(0)
    expect(fs.stats.syncs).to.equal(2)
  })
})
