/**
 * The data directory's layout: the contract between a daemon and the clients that find it on this
 * machine. One data directory per daemon (default ~/.weir, mode 0700):
 *
 *   .lock/        the lock directory (src/server/lock.ts); `.lock/pid` names the holder. `.lock.new-*`
 *                 and `.lock.takeover-*` exist only while a daemon takes the lock
 *   weir.sock     the Unix socket (0600), unless its path would be too long (see below)
 *   socket-path   the short socket path actually bound, when it lives outside the data dir
 *   weir.pid      pid of the listening daemon; server.json: its DaemonInfo (daemon-info.ts)
 *   server.log    one line per event
 *   cluster.json  the cluster id, generated once
 *   corruptions.json  defects the running daemon's storage found (corruptions.ts), for `server status`
 *
 * A Unix socket path is limited to 107 bytes (sun_path). When `<dataDir>/weir.sock` is longer than
 * 100 bytes, the daemon binds `<runtime>/weir-<uid>-<hash of dataDir>/weir.sock` in a 0700
 * directory under $XDG_RUNTIME_DIR or the temp dir, and records that path in `socket-path` so a
 * client with a different environment still finds it.
 *
 * This module only computes and reads paths; creating them is the daemon's (src/server/paths.ts).
 * It imports nothing of the project, so the CLI and the daemon can both stand on it.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {homedir, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

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

/** The socket a client should connect to for this data directory. */
export function socketPathFor(dataDir: string): string {
  const direct = daemonPaths(dataDir).socket
  if (fitsSocketPath(direct)) return direct
  const recorded = readRecordedSocketPath(dataDir)
  return recorded ?? runtimeSocketPath(dataDir)
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

/** The short socket path for a data directory whose own socket path is too long. */
export function runtimeSocketPath(dataDir: string): string {
  const uid = process.getuid?.() ?? 0
  const hash = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)
  const leaf = join(`weir-${uid}-${hash}`, 'weir.sock')
  const bases = [process.env.XDG_RUNTIME_DIR, tmpdir(), '/tmp'].filter((b): b is string => !!b)
  const fitting = bases.map(base => join(base, leaf)).find(fitsSocketPath)
  return fitting ?? join('/tmp', leaf)
}
