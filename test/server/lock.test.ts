import {spawnSync} from 'node:child_process'
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {DataDirLockedError} from '../../src/server/errors.js'
import {acquireDataDirLock} from '../../src/server/lock.js'

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number
}

describe('data dir lock', () => {
  let dir: string
  const compromised: Error[] = []
  const onCompromised = (error: Error) => { compromised.push(error) }
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'weir-lock-')) })
  afterEach(async () => { await rm(dir, {recursive: true, force: true}) })

  it('is held once: a second taker learns the holder pid', async () => {
    const lock = await acquireDataDirLock(dir, onCompromised)
    const second = await acquireDataDirLock(dir, onCompromised).then(() => null, (e: unknown) => e)
    expect(second).to.be.instanceOf(DataDirLockedError)
    expect((second as DataDirLockedError).pid).to.equal(process.pid)
    expect((second as Error).message).to.contain(`pid ${process.pid}`)
    await lock.release()
    const again = await acquireDataDirLock(dir, onCompromised)
    await again.release()
    expect(compromised).to.deep.equal([])
  })

  it('is taken over at once when its holder died (kill -9)', async () => {
    await mkdir(join(dir, '.lock'))
    await writeFile(join(dir, '.lock', 'pid'), `${deadPid()}\n`)
    const lock = await acquireDataDirLock(dir, onCompromised)
    await lock.release()
  })

  it('survives its own refresh: writing the holder pid does not look like another owner', async () => {
    // proper-lockfile refreshes at most once a second and compares the directory mtime with its own.
    const lock = await acquireDataDirLock(dir, onCompromised, {staleMs: 2000, updateMs: 1000})
    await new Promise(resolve => setTimeout(resolve, 1500))
    expect(compromised).to.deep.equal([])
    await lock.release()
  })
})
