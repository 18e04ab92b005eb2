/**
 * The daemon's side of the data directory layout (src/layout/data-dir.ts): creating the data
 * directory, and binding and releasing the socket path, private runtime directory included.
 */
import {lstatSync, mkdirSync, statSync, writeFileSync} from 'node:fs'
import {rm, rmdir} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {daemonPaths, fitsSocketPath, runtimeSocketPath} from '../layout/data-dir.js'
import {UnsafeDirectoryError} from './errors.js'

export {MAX_SOCKET_PATH_BYTES, daemonPaths, fitsSocketPath, resolveDataDir, socketPathFor, type DaemonPaths} from '../layout/data-dir.js'

/**
 * Creates the data directory (and parents) with mode 0700 if missing. Returns true when an existing
 * directory is readable by group or others, so the daemon can warn: it never changes the mode of a
 * directory it did not create.
 */
export function ensureDataDir(dataDir: string): {tooOpen: boolean} {
  mkdirSync(dataDir, {recursive: true, mode: 0o700})
  return {tooOpen: (statSync(dataDir).mode & 0o077) !== 0}
}

/**
 * The socket the daemon binds: `<dataDir>/weir.sock`, or the short runtime path, whose private
 * directory is created (or checked to be ours and 0700) and whose path is recorded in the data dir.
 */
export function prepareSocketPath(dataDir: string): string {
  const direct = daemonPaths(dataDir).socket
  if (fitsSocketPath(direct)) return direct
  const socket = runtimeSocketPath(dataDir)
  ensurePrivateDir(join(socket, '..'))
  writeFileSync(daemonPaths(dataDir).socketRecord, socket + '\n', {mode: 0o600})
  return socket
}

/**
 * Undoes prepareSocketPath for a socket outside the data directory: its private directory and the
 * record of its path. The socket itself is already gone (the listeners remove it).
 */
export async function releaseSocketPath(dataDir: string, socket: string): Promise<void> {
  if (socket === daemonPaths(dataDir).socket) return
  await rm(daemonPaths(dataDir).socketRecord, {force: true})
  await rmdir(dirname(socket)).catch((error: NodeJS.ErrnoException) => {
    // something else was put there: leave it
    if (error.code !== 'ENOENT' && error.code !== 'ENOTEMPTY') throw error
  })
}

/** A directory only we can enter: created 0700, or an existing real directory we own with mode 0700. */
function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, {mode: 0o700})
    return
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const stat = lstatSync(dir)
  if (!stat.isDirectory()) throw new UnsafeDirectoryError(dir, 'it is not a directory')
  const uid = process.getuid?.()
  if (uid !== undefined && stat.uid !== uid) throw new UnsafeDirectoryError(dir, `it belongs to uid ${stat.uid}`)
  if ((stat.mode & 0o077) !== 0) throw new UnsafeDirectoryError(dir, 'it is accessible by other users')
}
