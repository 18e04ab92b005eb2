/**
 * The data directory's lock: at most one daemon serves a data directory.
 *
 * The lock is the directory `<dataDir>/.lock` holding `pid`, the holder's pid. It is built whole in
 * a staging directory beside it and renamed into place: rename(2) of a directory fails while the
 * target exists and is not empty, so of several daemons starting at once exactly one gets the lock,
 * and its pid is readable from the moment the lock exists.
 *
 * On one machine a lock is stale exactly when its holder is dead (kill -9, a power loss), so it is
 * taken over at once, however old. Nobody else ever touches a live holder's lock: its age means
 * nothing (a blocked event loop or a suspended machine does not make a holder dead).
 *
 * Taking over removes the dead holder's pid file, leaving `.lock` empty, which the next rename
 * replaces. Two rivals must not both remove: the second could remove the pid of the first, which by
 * then holds the lock. So a rival first claims the takeover of that holder by creating
 * `.lock.takeover-<dead pid>` (link(2), which fails when it exists), and checks under the claim that
 * the lock still names the dead pid. A claim whose own creator died is passed on by claiming
 * `<claim>-<its pid>`, so nothing here waits for a file to age either.
 */
import {randomBytes} from 'node:crypto'
import {link, mkdir, readdir, readFile, rename, rm, rmdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {DataDirLockedError} from './errors.js'
import {daemonPaths, type DaemonPaths} from './paths.js'
import {isProcessAlive, readPidFile} from './process-alive.js'

export interface LockTiming {
  /** How often the holder checks that the lock still names it. */
  checkMs: number
  /** How long a taker keeps retrying while rivals settle who holds the lock. */
  settleMs: number
}

const DEFAULT_TIMING: LockTiming = {checkMs: 5_000, settleMs: 5_000}
const RETRY_MS = 10
/** Prefix of a staging directory or claim file of process <pid>: `.lock.new-<pid>-<random>`. */
const STAGED = '.lock.new-'
const TAKEOVER = '.lock.takeover-'

export interface DataDirLock {
  release(): Promise<void>
}

/** What `.lock/pid` says: its text, and the pid in it (null when the text is not a pid). */
interface Holder {
  text: string
  pid: number | null
}

/**
 * Takes the lock or throws DataDirLockedError naming the live holder. `onCompromised` is told once
 * when the lock stops naming this process while held (someone removed or replaced it by hand): the
 * daemon logs it and keeps serving.
 */
export async function acquireDataDirLock(dataDir: string, onCompromised: (error: Error) => void,
  timing: LockTiming = DEFAULT_TIMING): Promise<DataDirLock> {
  const paths = daemonPaths(dataDir)
  const ownText = `${process.pid}\n`
  const staged = join(dataDir, `${STAGED}${process.pid}-${randomBytes(6).toString('hex')}`)
  await mkdir(staged, {mode: 0o700})
  try {
    await writeFile(join(staged, 'pid'), ownText)
    await moveIntoPlace(dataDir, paths, staged, timing.settleMs)
  } finally {
    await rm(staged, {recursive: true, force: true})
  }
  await removeLeftovers(dataDir)
  return holdLock(paths, ownText, onCompromised, timing.checkMs)
}

/** Renames the staged lock into place, taking over a dead holder's; throws while a live one holds it. */
async function moveIntoPlace(dataDir: string, paths: DaemonPaths, staged: string, settleMs: number): Promise<void> {
  const deadline = Date.now() + settleMs
  for (;;) {
    if (await renameUnlessTaken(staged, paths.lockDir)) return
    const holder = await readHolder(paths.lockHolderPid)
    if (holder !== null && holder.pid !== null && isProcessAlive(holder.pid)) throw new DataDirLockedError(dataDir, holder.pid)
    // Dead holder: take over. No pid file: `.lock` was emptied since the rename failed (retry), or it
    // holds something else than a lock, which the error after the deadline asks the user to remove.
    const tookOver = holder !== null && await takeOver(dataDir, paths, holder)
    if (Date.now() > deadline) throw new DataDirLockedError(dataDir, null)
    if (!tookOver) await new Promise(resolve => setTimeout(resolve, RETRY_MS))
  }
}

async function renameUnlessTaken(from: string, to: string): Promise<boolean> {
  try {
    await rename(from, to)
    return true
  } catch (error) {
    // ENOTDIR: `.lock` is a file, something else than a lock, left for the user to remove.
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') return false
    throw error
  }
}

async function readHolder(pidFile: string): Promise<Holder | null> {
  let text: string
  try {
    text = await readFile(pidFile, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return null
    throw error
  }
  const pid = Number(text.trim())
  return {text, pid: Number.isInteger(pid) && pid > 0 ? pid : null}
}

/**
 * Removes the dead holder's pid file under a claim; false when a live rival holds the claim (it
 * is taking over right now) or the lock changed meanwhile.
 */
async function takeOver(dataDir: string, paths: DaemonPaths, dead: Holder): Promise<boolean> {
  const claim = await claimTakeover(dataDir, join(dataDir, `${TAKEOVER}${dead.pid ?? 'unreadable'}`))
  if (claim === null) return false
  try {
    const current = await readHolder(paths.lockHolderPid)
    const unchanged = current !== null && current.text === dead.text && (current.pid === null || !isProcessAlive(current.pid))
    if (unchanged) await rm(paths.lockHolderPid, {force: true})
    return unchanged
  } finally {
    await rm(claim, {force: true})
  }
}

/** Creates the claim file (or the successor of a claim whose creator died); null when a live rival has it. */
async function claimTakeover(dataDir: string, first: string): Promise<string | null> {
  for (let claim = first; ;) {
    if (await createExclusive(dataDir, claim, `${process.pid}\n`)) return claim
    const owner = await readPidFile(claim)
    if (owner === null || isProcessAlive(owner)) return null
    claim = `${claim}-${owner}`
  }
}

/** Creates `path` holding `text` unless it exists; the text is there from the moment it exists. */
async function createExclusive(dataDir: string, path: string, text: string): Promise<boolean> {
  const temp = join(dataDir, `${STAGED}${process.pid}-${randomBytes(6).toString('hex')}`)
  await writeFile(temp, text)
  try {
    await link(temp, path)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    await rm(temp, {force: true})
  }
}

/**
 * Removes staging directories and claims left by processes that died while taking the lock. Only
 * the holder does this, so no claim removed here can belong to a takeover still to come: every
 * rival now finds a live holder.
 */
async function removeLeftovers(dataDir: string): Promise<void> {
  for (const name of await readdir(dataDir)) {
    const owner = name.startsWith(STAGED) ? Number.parseInt(name.slice(STAGED.length), 10)
      : name.startsWith(TAKEOVER) ? await readPidFile(join(dataDir, name)) : undefined
    if (owner === undefined || (owner !== null && isProcessAlive(owner))) continue
    await rm(join(dataDir, name), {recursive: true, force: true})
  }
}

function holdLock(paths: DaemonPaths, ownText: string, onCompromised: (error: Error) => void, checkMs: number): DataDirLock {
  const stillOurs = async () => (await readHolder(paths.lockHolderPid).catch(() => null))?.text === ownText
  let watching = true
  const watch = setInterval(() => {
    void stillOurs().then(ours => {
      if (ours || !watching) return
      watching = false
      clearInterval(watch)
      onCompromised(new Error(`${paths.lockDir} no longer names this process (pid ${process.pid})`))
    })
  }, checkMs)
  watch.unref()
  return {
    async release() {
      watching = false
      clearInterval(watch)
      // A lock that no longer names us is someone else's now: leave it.
      if (!await stillOurs()) return
      await rm(paths.lockHolderPid, {force: true})
      await rmdir(paths.lockDir).catch((error: NodeJS.ErrnoException) => {
        // ENOTEMPTY: a rival renamed its lock over the emptied directory, so it is the holder now.
        if (error.code !== 'ENOENT' && error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error
      })
    },
  }
}
