/**
 * Spawns a daemon process (`node <build>/src/server/main.js`) with stdout and stderr appended to
 * its server.log, and waits until it listens: server.json names the child's pid. If the child exits
 * first, StartFailedError carries the lines it logged since the spawn (e.g. "data directory ... is
 * locked by another daemon (pid N)"). Shared by `weir server start` (detached: its own session, so
 * it outlives the CLI) and the test helper (attached, killed with the test run).
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {closeSync, openSync, statSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {fileURLToPath} from 'node:url'
import {readDaemonInfo, type DaemonInfo} from './daemon-files.js'
import {daemonArgs, type DaemonOptions} from './daemon-options.js'
import {StartFailedError} from './errors.js'
import {daemonPaths, ensureDataDir} from './paths.js'

/** The daemon's entry point, beside this file in the same build (dist/ or a private build dir). */
export const DAEMON_MAIN = fileURLToPath(new URL('./main.js', import.meta.url))

/** Recovery of a large log can take a while; beyond this the caller is told to check the log. */
export const START_TIMEOUT_MS = 60_000
const POLL_MS = 25
const LOG_TAIL_LINES = 10

export interface SpawnedDaemon {
  child: ChildProcess
  info: DaemonInfo
}

export async function spawnDaemon(opts: DaemonOptions,
  how: {detached: boolean; timeoutMs?: number}): Promise<SpawnedDaemon> {
  ensureDataDir(opts.dataDir)
  const logPath = daemonPaths(opts.dataDir).serverLog
  const logStart = sizeOf(logPath)
  const out = openSync(logPath, 'a', 0o600)
  let child: ChildProcess
  try {
    child = spawn(process.execPath, [DAEMON_MAIN, ...daemonArgs(opts)], {detached: how.detached, stdio: ['ignore', out, out]})
  } finally {
    closeSync(out)
  }
  const exited = new Promise<string>(resolve => {
    child.once('exit', (code, signal) => resolve(signal === null ? `exit code ${code}` : `signal ${signal}`))
    child.once('error', error => resolve(error.message))
  })
  let exit: string | null = null
  void exited.then(reason => { exit = reason })
  const timeoutMs = how.timeoutMs ?? START_TIMEOUT_MS
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const info = await readDaemonInfo(opts.dataDir)
    if (info !== null && info.pid === child.pid) return {child, info}
    const reason: string | null = exit
    if (reason !== null) {
      const tail = await logTail(logPath, logStart)
      throw new StartFailedError(`the daemon did not start (${reason}): ${tail.at(-1) ?? 'nothing logged'}`, tail, `see ${logPath}`)
    }
    if (Date.now() > deadline) {
      throw new StartFailedError(`the daemon (pid ${child.pid}) is not listening after ${timeoutMs / 1000} s`,
        await logTail(logPath, logStart), `it may still be recovering its logs: check weir server status and ${logPath}`)
    }
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

/** The last lines written to the log since byte `from`. */
export async function logTail(path: string, from = 0): Promise<string[]> {
  const file = await open(path, 'r').catch(() => null)
  if (file === null) return []
  try {
    const {size} = await file.stat()
    const buffer = Buffer.alloc(Math.max(0, size - from))
    await file.read(buffer, 0, buffer.length, from)
    return buffer.toString('utf8').split('\n').filter(line => line.trim() !== '').slice(-LOG_TAIL_LINES)
  } finally {
    await file.close()
  }
}
