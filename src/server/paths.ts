/**
 * Where a daemon keeps its files. One data directory per daemon (default ~/.weir, mode 0700):
 *
 *   .lock/        the lock directory (lock.ts); `.lock/pid` names the holder. `.lock.new-*` and
 *                 `.lock.takeover-*` exist only while a daemon takes the lock
 *   weir.sock     the Unix socket (0600), unless its path would be too long (see below)
 *   socket-path   the short socket path actually bound, when it lives outside the data dir
 *   weir.pid      pid of the listening daemon; server.json: its DaemonInfo
 *   server.log    one line per event
 *   cluster.json  the cluster id, generated once
 *
 * A Unix socket path is limited to 107 bytes (sun_path). When `<dataDir>/weir.sock` is longer than
 * 100 bytes, the daemon binds `<runtime>/weir-<uid>-<hash of dataDir>/weir.sock` in a 0700
 * directory under $XDG_RUNTIME_DIR or the temp dir, and records that path in `socket-path` so a
 * client with a different environment still finds it.
 */
import {createHash} from 'node:crypto'
import {lstatSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {rm, rmdir} from 'node:fs/promises'
import {homedir, tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {UnsafeDirectoryError} from './errors.js'

/** Longest socket path we bind directly; sun_path holds 107 bytes and some systems less. */
export const MAX_SOCKET_PATH_BYTES = 100

export interface DaemonPaths {
  lockDir: string
  lockHolderPid: string
  socket: string
  socketRecord: string
  pid: string
  serverInfo: string
  serverLog: string
  clusterInfo: string
}

export function daemonPaths(dataDir: string): DaemonPaths {
  return {
    lockDir: join(dataDir, '.lock'),
    lockHolderPid: join(dataDir, '.lock', 'pid'),
    socket: join(dataDir, 'weir.sock'),
    socketRecord: join(dataDir, 'socket-path'),
    pid: join(dataDir, 'weir.pid'),
    serverInfo: join(dataDir, 'server.json'),
    serverLog: join(dataDir, 'server.log'),
    clusterInfo: join(dataDir, 'cluster.json'),
  }
}

/** The data directory to use: the flag, else $WEIR_HOME, else ~/.weir; always absolute. */
export function resolveDataDir(flag?: string): string {
  if (flag !== undefined && flag !== '') return resolve(flag)
  const fromEnv = process.env.WEIR_HOME
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv)
  return join(homedir(), '.weir')
}

/**
 * Creates the data directory (and parents) with mode 0700 if missing. Returns true when an existing
 * directory is readable by group or others, so the daemon can warn: it never changes the mode of a
 * directory it did not create.
 */
export function ensureDataDir(dataDir: string): {tooOpen: boolean} {
  mkdirSync(dataDir, {recursive: true, mode: 0o700})
  return {tooOpen: (statSync(dataDir).mode & 0o077) !== 0}
}

/** The socket a client should connect to for this data directory. */
export function socketPathFor(dataDir: string): string {
  const direct = daemonPaths(dataDir).socket
  if (fitsSocketPath(direct)) return direct
  const recorded = readRecordedSocketPath(dataDir)
  return recorded ?? runtimeSocketPath(dataDir)
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

export function fitsSocketPath(path: string): boolean {
  return Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES
}

function readRecordedSocketPath(dataDir: string): string | null {
  try {
    const recorded = readFileSync(daemonPaths(dataDir).socketRecord, 'utf8').trim()
    return recorded === '' ? null : recorded
  } catch {
    return null
  }
}

function runtimeSocketPath(dataDir: string): string {
  const uid = process.getuid?.() ?? 0
  const hash = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)
  const leaf = join(`weir-${uid}-${hash}`, 'weir.sock')
  const bases = [process.env.XDG_RUNTIME_DIR, tmpdir(), '/tmp'].filter((b): b is string => !!b)
  const fitting = bases.map(base => join(base, leaf)).find(fitsSocketPath)
  return fitting ?? join('/tmp', leaf)
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
