/**
 * Controlling a daemon from another process (the CLI's `weir server start|stop|status`) or running
 * one in this process (`weir server start --foreground`).
 *
 * startDetached spawns the daemon in its own session (spawn-daemon.ts) so it outlives the CLI.
 * stopDaemon sends SIGTERM and waits for the pid to go. readStatus trusts server.json only while
 * its pid is alive: files left by a crashed daemon read as "not running".
 *
 * Only runForeground needs the daemon itself (broker, storage, protocol: tens of milliseconds of
 * module loading), so it loads it on call; status, stop and a detached start load only the small
 * modules imported here.
 */
import {readDaemonInfo, type DaemonInfo} from './daemon-files.js'
import type {DaemonOptions} from './daemon-options.js'
import {AlreadyRunningError, StopTimeoutError} from './errors.js'
import {isProcessAlive} from './process-alive.js'
import {onShutdownSignal} from './signals.js'
import {spawnDaemon} from './spawn-daemon.js'

export type {DaemonInfo} from './daemon-files.js'
export type {DaemonOptions} from './daemon-options.js'
export {DEFAULT_TCP} from './daemon-options.js'
export {AlreadyRunningError, DaemonError, DataDirLockedError, StartFailedError, StopTimeoutError} from './errors.js'

const POLL_MS = 25

/** Spawns a detached daemon and resolves once it listens; AlreadyRunningError if one serves the dir. */
export async function startDetached(opts: DaemonOptions): Promise<DaemonInfo> {
  const running = await readStatus(opts.dataDir)
  if (running !== null) throw new AlreadyRunningError(opts.dataDir, running.pid)
  const {child, info} = await spawnDaemon(opts, {detached: true})
  child.unref()
  return info
}

/** Runs the daemon in this process until SIGTERM/SIGINT, then stops it gracefully. */
export async function runForeground(opts: DaemonOptions): Promise<void> {
  const {Daemon} = await import('./daemon.js')
  const starting = Daemon.start(opts, {echo: true})
  // Listening before the daemon announces itself, as main.ts does: no signal finds it unprepared.
  const stopped = new Promise<void>((resolve, reject) => {
    const uninstall = onShutdownSignal(signal => {
      starting.then(daemon => daemon.stop(`${signal} received`)).then(resolve, reject).finally(() => uninstall())
    }, line => process.stderr.write(`${line}\n`))
    starting.catch(() => uninstall())
  })
  await starting
  await stopped
}

/** Sends SIGTERM and waits for the daemon to exit; null when none is running. */
export async function stopDaemon(dataDir: string, timeoutMs = 30_000): Promise<{pid: number} | null> {
  const info = await readStatus(dataDir)
  if (info === null) return null
  try {
    process.kill(info.pid, 'SIGTERM')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return {pid: info.pid}
    throw error
  }
  const deadline = Date.now() + timeoutMs
  while (isProcessAlive(info.pid)) {
    if (Date.now() > deadline) throw new StopTimeoutError(info.pid, timeoutMs)
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
  return {pid: info.pid}
}

/** The running daemon's DaemonInfo, or null when none is running (stale files are ignored). */
export async function readStatus(dataDir: string): Promise<DaemonInfo | null> {
  const info = await readDaemonInfo(dataDir)
  return info !== null && isProcessAlive(info.pid) ? info : null
}
