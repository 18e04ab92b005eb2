/**
 * The data directory's lock: at most one daemon serves a data directory.
 *
 * proper-lockfile creates `<dataDir>/.lock` with mkdir (atomic) and refreshes its mtime every few
 * seconds; a lock whose mtime is older than STALE_MS is taken over. That alone would make a restart
 * after kill -9 wait for the lock to age, so the holder also writes its pid into `.lock/pid`: when
 * the lock is held and that pid is dead, the lock is stale at once and is taken over.
 */
import {rm, stat, utimes, writeFile} from 'node:fs/promises'
import lockfile from 'proper-lockfile'
import {DataDirLockedError} from './errors.js'
import {daemonPaths} from './paths.js'
import {isProcessAlive, readPidFile} from './process-alive.js'

const STALE_MS = 20_000
const UPDATE_MS = 5_000
/** How long a holder may take between creating the lock and writing its pid. */
const PID_GRACE_MS = 200

export interface DataDirLock {
  release(): Promise<void>
}

/**
 * Takes the lock or throws DataDirLockedError naming the live holder. `onCompromised` is told when
 * the lock is lost while held (its directory removed, or not refreshed in time): the daemon logs it
 * instead of crashing, which is proper-lockfile's default.
 */
export async function acquireDataDirLock(dataDir: string, onCompromised: (error: Error) => void,
  timing: {staleMs: number; updateMs: number} = {staleMs: STALE_MS, updateMs: UPDATE_MS}): Promise<DataDirLock> {
  const paths = daemonPaths(dataDir)
  const attempt = () => lockfile.lock(dataDir, {lockfilePath: paths.lockDir, realpath: false,
    stale: timing.staleMs, update: timing.updateMs, onCompromised})
  let release: () => Promise<void>
  try {
    release = await attempt()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error
    const holder = await lockHolder(paths.lockHolderPid)
    if (holder !== null && isProcessAlive(holder)) throw new DataDirLockedError(dataDir, holder)
    if (holder === null) throw new DataDirLockedError(dataDir, await liveDaemonPid(paths.pid))
    await rm(paths.lockDir, {recursive: true, force: true})
    release = await attempt().catch(async retryError => {
      if ((retryError as NodeJS.ErrnoException).code !== 'ELOCKED') throw retryError
      throw new DataDirLockedError(dataDir, await lockHolder(paths.lockHolderPid))
    })
  }
  await writeHolderPid(paths.lockDir, paths.lockHolderPid)
  return {
    async release() {
      // proper-lockfile removes the lock with rmdir, which needs it empty.
      await rm(paths.lockHolderPid, {force: true})
      await release().catch(error => {
        // Already released: the lock was compromised, which onCompromised has reported.
        if ((error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error
      })
    },
  }
}

/**
 * Writes our pid into the lock directory. Adding a file changes the directory's mtime, which
 * proper-lockfile would take for another process refreshing the lock ("compromised"), so the mtime
 * it set is put back.
 */
async function writeHolderPid(lockDir: string, pidFile: string): Promise<void> {
  const {mtime, atime} = await stat(lockDir)
  await writeFile(pidFile, `${process.pid}\n`)
  await utimes(lockDir, atime, mtime)
}

/** The pid in `.lock/pid`, waiting briefly for a holder that is between mkdir and writing it. */
async function lockHolder(pidFile: string): Promise<number | null> {
  const first = await readPidFile(pidFile)
  if (first !== null) return first
  await new Promise(resolve => setTimeout(resolve, PID_GRACE_MS))
  return readPidFile(pidFile)
}

/** Fallback for naming the holder: the listening daemon's weir.pid, if that process lives. */
async function liveDaemonPid(pidFile: string): Promise<number | null> {
  const pid = await readPidFile(pidFile)
  return pid !== null && isProcessAlive(pid) ? pid : null
}
