/**
 * The files that say a daemon is listening: `server.json` (its DaemonInfo) and `weir.pid`. Both are
 * written once the listeners are bound (each atomically, by rename) and removed on graceful
 * shutdown; after a crash they stay behind and readers check the pid is alive.
 */
import {readFile, rename, rm, writeFile} from 'node:fs/promises'
import type {DaemonInfo} from '../layout/daemon-info.js'
import {daemonPaths} from './paths.js'

export type {DaemonInfo} from '../layout/daemon-info.js'

export async function writeDaemonFiles(info: DaemonInfo): Promise<void> {
  const paths = daemonPaths(info.dataDir)
  await writeAtomically(paths.serverInfo, JSON.stringify(info, null, 2) + '\n')
  await writeAtomically(paths.pid, `${info.pid}\n`)
}

/** The recorded DaemonInfo, or null when missing or unreadable (no liveness check here). */
export async function readDaemonInfo(dataDir: string): Promise<DaemonInfo | null> {
  try {
    const parsed = JSON.parse(await readFile(daemonPaths(dataDir).serverInfo, 'utf8')) as unknown
    return isDaemonInfo(parsed) ? parsed : null
  } catch {
    return null
  }
}

export async function removeDaemonFiles(dataDir: string): Promise<void> {
  const paths = daemonPaths(dataDir)
  await rm(paths.serverInfo, {force: true})
  await rm(paths.pid, {force: true})
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`
  await writeFile(temp, text, {mode: 0o600})
  await rename(temp, path)
}

function isDaemonInfo(value: unknown): value is DaemonInfo {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v.pid === 'number' && typeof v.startedAt === 'number' && typeof v.dataDir === 'string' &&
    typeof v.socket === 'string' && (typeof v.tcp === 'string' || v.tcp === null) && typeof v.version === 'string'
}
