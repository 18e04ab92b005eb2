import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {access, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {readDaemonInfo} from '../../src/server/daemon-files.js'
import {DataDirLockedError} from '../../src/server/errors.js'
import {acquireDataDirLock} from '../../src/server/lock.js'
import {DAEMON_MAIN} from '../../src/server/spawn-daemon.js'

/** The pid of a process that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number
}

const exists = (path: string) => access(path).then(() => true, () => false)
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))
const AN_HOUR_AGO = new Date(Date.now() - 3_600_000)

/** A lock directory as its holder leaves it, with an mtime an hour old (a refresh long overdue). */
async function placeLock(dir: string, pidText: string): Promise<void> {
  await mkdir(join(dir, '.lock'))
  await writeFile(join(dir, '.lock', 'pid'), pidText)
  await utimes(join(dir, '.lock'), AN_HOUR_AGO, AN_HOUR_AGO)
}

async function lockError(dir: string, settleMs?: number): Promise<unknown> {
  const timing = settleMs === undefined ? undefined : {checkMs: 5000, settleMs}
  return acquireDataDirLock(dir, () => undefined, timing).then(() => null, (error: unknown) => error)
}

describe('data dir lock', () => {
  let dir: string
  const compromised: Error[] = []
  const onCompromised = (error: Error) => { compromised.push(error) }
  beforeEach(async () => {
    compromised.length = 0
    dir = await mkdtemp(join(tmpdir(), 'weir-lock-'))
  })
  afterEach(async () => { await rm(dir, {recursive: true, force: true}) })

  it('is held once: a second taker learns the holder pid and leaves the lock as it was', async () => {
    const lock = await acquireDataDirLock(dir, onCompromised)
    expect(await readFile(join(dir, '.lock', 'pid'), 'utf8')).to.equal(`${process.pid}\n`)
    const second = await lockError(dir)
    expect(second).to.be.instanceOf(DataDirLockedError)
    expect((second as DataDirLockedError).pid).to.equal(process.pid)
    expect((second as Error).message).to.contain(`pid ${process.pid}`)
    expect(await readFile(join(dir, '.lock', 'pid'), 'utf8')).to.equal(`${process.pid}\n`)
    await lock.release()
    expect(await exists(join(dir, '.lock'))).to.equal(false)
    const again = await acquireDataDirLock(dir, onCompromised)
    await again.release()
    expect(compromised).to.deep.equal([])
  })

  it('names a live holder whose lock looks old, and never removes it', async () => {
    // A holder whose refresh is overdue (a blocked event loop, a suspended machine) is still alive.
    await placeLock(dir, `${process.pid}\n`)
    const error = await lockError(dir)
    expect(error).to.be.instanceOf(DataDirLockedError)
    expect((error as DataDirLockedError).pid).to.equal(process.pid)
    expect(await readFile(join(dir, '.lock', 'pid'), 'utf8')).to.equal(`${process.pid}\n`)
  })

  it('is taken over at once when its holder died (kill -9), however old the lock', async () => {
    for (const mtime of [new Date(), AN_HOUR_AGO]) {
      await mkdir(join(dir, '.lock'))
      await writeFile(join(dir, '.lock', 'pid'), `${deadPid()}\n`)
      await utimes(join(dir, '.lock'), mtime, mtime)
      const lock = await acquireDataDirLock(dir, onCompromised)
      expect(await readFile(join(dir, '.lock', 'pid'), 'utf8')).to.equal(`${process.pid}\n`)
      await lock.release()
    }
  })

  it('is taken over when its pid file is unreadable (a crash while it was written)', async () => {
    await placeLock(dir, '')
    const lock = await acquireDataDirLock(dir, onCompromised)
    expect(await readFile(join(dir, '.lock', 'pid'), 'utf8')).to.equal(`${process.pid}\n`)
    await lock.release()
  })

  it('replaces an empty lock directory (a crash between removing the pid and the directory)', async () => {
    await mkdir(join(dir, '.lock'))
    const lock = await acquireDataDirLock(dir, onCompromised)
    await lock.release()
  })

  it('is not blocked by a takeover claim or a staged lock of a process that died, and tidies them', async () => {
    const dead = deadPid()
    await placeLock(dir, `${dead}\n`)
    await writeFile(join(dir, `.lock.takeover-${dead}`), `${deadPid()}\n`)
    await mkdir(join(dir, `.lock.new-${dead}-0`))
    const lock = await acquireDataDirLock(dir, onCompromised)
    expect((await readdir(dir)).filter(name => name.startsWith('.lock'))).to.deep.equal(['.lock'])
    await lock.release()
  })

  it('gives up naming no pid when .lock is something else than a lock, and leaves it', async () => {
    await mkdir(join(dir, '.lock'))
    await writeFile(join(dir, '.lock', 'stray'), 'x')
    const file = await mkdtemp(join(tmpdir(), 'weir-lock-file-'))
    await writeFile(join(file, '.lock'), 'x')
    for (const [dataDir, left] of [[dir, join(dir, '.lock', 'stray')], [file, join(file, '.lock')]]) {
      const error = await lockError(dataDir, 50)
      expect(error).to.be.instanceOf(DataDirLockedError)
      expect((error as DataDirLockedError).pid).to.equal(null)
      expect((error as DataDirLockedError).hint).to.contain(`remove ${dataDir}/.lock`)
      expect(await exists(left)).to.equal(true)
    }
    await rm(file, {recursive: true, force: true})
  })

  it('tells its holder when another process replaced it, and then leaves it alone on release', async () => {
    const lock = await acquireDataDirLock(dir, onCompromised, {checkMs: 10, settleMs: 5000})
    await writeFile(join(dir, '.lock', 'pid'), '1\n')
    for (const end = Date.now() + 10_000; compromised.length === 0 && Date.now() < end;) await sleep(5)
    expect(compromised).to.have.length(1)
    expect(compromised[0].message).to.contain(join(dir, '.lock'))
    await lock.release()
    expect(await readFile(join(dir, '.lock', 'pid'), 'utf8')).to.equal('1\n')
  })

  it('goes to exactly one of several taking it at once; the others name it', async () => {
    // Same process, so every rival names this pid: what counts is that exactly one succeeds.
    await placeLock(dir, `${deadPid()}\n`)
    const outcomes = await Promise.allSettled(Array.from({length: 8}, () => acquireDataDirLock(dir, onCompromised)))
    const held = outcomes.filter(outcome => outcome.status === 'fulfilled')
    expect(held).to.have.length(1)
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect((outcome.reason as DataDirLockedError).pid).to.equal(process.pid)
    }
    await (held[0] as PromiseFulfilledResult<{release(): Promise<void>}>).value.release()
  })
})

describe('data dir lock between daemon processes', function () {
  this.timeout(60_000)
  const RIVALS = 8
  let dir: string
  let children: ChildProcess[] = []
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'weir-lock-race-')) })
  afterEach(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await Promise.all(children.map(child => child.exitCode !== null || child.signalCode !== null
      ? undefined : new Promise(resolve => child.once('exit', resolve))))
    children = []
    await rm(dir, {recursive: true, force: true})
  })

  it('after kill -9, one of several daemons started at once takes over; each other prints one line naming it', async () => {
    await placeLock(dir, `${deadPid()}\n`)
    const stderr = new Map<ChildProcess, string>()
    const closed = new Map<ChildProcess, number | null>()
    for (let i = 0; i < RIVALS; i++) {
      const child = spawn(process.execPath, [DAEMON_MAIN, '--data-dir', dir, '--no-tcp'], {stdio: ['ignore', 'ignore', 'pipe']})
      children.push(child)
      stderr.set(child, '')
      child.stderr!.on('data', (chunk: Buffer) => stderr.set(child, stderr.get(child) + chunk.toString('utf8')))
      child.once('close', code => closed.set(child, code))
    }
    // Settled: every daemon but one has exited, and server.json names that one; or all have exited.
    const deadline = Date.now() + 30_000
    let listening: ChildProcess | undefined
    while (closed.size < RIVALS && Date.now() < deadline) {
      const info = await readDaemonInfo(dir)
      listening = children.find(child => child.pid === info?.pid && !closed.has(child))
      if (listening !== undefined && closed.size === RIVALS - 1) break
      await sleep(20)
    }
    expect(closed.size, [...stderr.values()].join('')).to.be.at.least(RIVALS - 1)
    expect(listening, `every daemon exited:\n${[...stderr.values()].join('')}`).to.not.equal(undefined)
    const winner = listening!.pid
    for (const child of children.filter(child => child !== listening)) {
      expect(closed.get(child)).to.equal(1)
      expect(stderr.get(child)!.trim().split('\n')).to.deep.equal([`weir daemon: data directory ${dir} is locked by another daemon (pid ${winner})`])
    }
    expect(await readFile(join(dir, '.lock', 'pid'), 'utf8')).to.equal(`${winner}\n`)
    listening!.kill('SIGTERM')
    await new Promise(resolve => listening!.once('exit', resolve))
    expect(await exists(join(dir, '.lock'))).to.equal(false)
  })
})
