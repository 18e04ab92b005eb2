import {expect} from 'chai'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CorruptMetadataError, StorageError} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {expectRejection} from './expect-rejection.js'
import {useTempDirs} from './temp-dirs.js'

describe('LogManager.allocateProducerIds', () => {
  const tempDir = useTempDirs()

  it('hands out consecutive blocks, and none again after a restart', async () => {
    const dataDir = tempDir()
    const manager = await LogManager.open(dataDir)
    expect(await manager.allocateProducerIds(1000)).to.deep.equal({first: 0, last: 999})
    expect(await manager.allocateProducerIds(1)).to.deep.equal({first: 1000, last: 1000})
    await manager.close()
    expect(readFileSync(join(dataDir, 'producer-id-block'), 'utf8')).to.equal('0\n1001\n')
    const reopened = await LogManager.open(dataDir)
    expect(await reopened.allocateProducerIds(10)).to.deep.equal({first: 1001, last: 1010})
    await reopened.close()
  })

  it('never reissues a block after a crash, and runs concurrent calls one after another', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const manager = await LogManager.open(dataDir, {fs})
    const blocks = await Promise.all([manager.allocateProducerIds(5), manager.allocateProducerIds(5), manager.allocateProducerIds(5)])
    expect(blocks).to.deep.equal([{first: 0, last: 4}, {first: 5, last: 9}, {first: 10, last: 14}])
    fs.crash()
    const reopened = await LogManager.open(dataDir)
    expect((await reopened.allocateProducerIds(1)).first).to.equal(15)
    await reopened.close()
  })

  it('hands out nothing when the block cannot be made durable', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const manager = await LogManager.open(dataDir, {fs})
    fs.failNextSync()
    await expectRejection(manager.allocateProducerIds(3), Error)
    expect(await manager.allocateProducerIds(3)).to.deep.equal({first: 0, last: 2})
    await manager.close()
  })

  it('refuses a count that is not a positive integer, and an unreadable checkpoint', async () => {
    const dataDir = tempDir()
    const manager = await LogManager.open(dataDir)
    await expectRejection(manager.allocateProducerIds(0), StorageError)
    await expectRejection(manager.allocateProducerIds(1.5), StorageError)
    await manager.close()
    writeFileSync(join(dataDir, 'producer-id-block'), 'garbage')
    await expectRejection(LogManager.open(dataDir), CorruptMetadataError)
  })
})
