/**
 * Failures of the daemon's lifecycle that a user can cause or must act on. Each class carries a
 * stable `code` (WEIR_ERR_…) so callers branch on the code, never on message text, and an optional
 * `hint` saying what to do next.
 */
export class DaemonError extends Error {
  readonly code: string
  readonly hint?: string

  constructor(code: string, message: string, hint?: string) {
    super(message)
    this.name = new.target.name
    this.code = code
    if (hint !== undefined) this.hint = hint
  }
}

/** Another live process holds the data directory's lock. `pid` is null when it could not be read. */
export class DataDirLockedError extends DaemonError {
  readonly pid: number | null

  constructor(dataDir: string, pid: number | null) {
    const holder = pid === null ? 'another process (pid unknown)' : `another daemon (pid ${pid})`
    super('WEIR_ERR_DATA_DIR_LOCKED', `data directory ${dataDir} is locked by ${holder}`,
      pid === null ? `if no daemon runs there, remove ${dataDir}/.lock` : 'stop it with: weir server stop')
    this.pid = pid
  }
}

/** `weir server start` found a daemon already serving this data directory. */
export class AlreadyRunningError extends DaemonError {
  readonly pid: number

  constructor(dataDir: string, pid: number) {
    super('WEIR_ERR_ALREADY_RUNNING', `a daemon is already running for ${dataDir} (pid ${pid})`,
      'stop it with: weir server stop')
    this.pid = pid
  }
}

/** The spawned daemon exited (or never listened); `logTail` holds the last lines it logged. */
export class StartFailedError extends DaemonError {
  readonly logTail: string[]

  constructor(message: string, logTail: string[], hint?: string) {
    super('WEIR_ERR_START_FAILED', message, hint)
    this.logTail = logTail
  }
}

/** SIGTERM was sent but the daemon did not exit in time. */
export class StopTimeoutError extends DaemonError {
  constructor(pid: number, timeoutMs: number) {
    super('WEIR_ERR_STOP_TIMEOUT', `daemon (pid ${pid}) did not stop within ${timeoutMs} ms`,
      `check server.log, or end it with: kill -9 ${pid}`)
  }
}

/** A directory the daemon must own (the runtime socket directory) belongs to someone else or is too open. */
export class UnsafeDirectoryError extends DaemonError {
  constructor(dir: string, reason: string) {
    super('WEIR_ERR_UNSAFE_DIRECTORY', `refusing to use ${dir}: ${reason}`,
      'remove it, or choose a shorter --data-dir so the socket lives inside it')
  }
}

/** Bad arguments to the daemon's own entry point (`main.js`). */
export class DaemonUsageError extends DaemonError {
  constructor(message: string) {
    super('WEIR_ERR_DAEMON_USAGE', message)
  }
}

/**
 * A listener could not be bound (port in use, permission, bad address). The hint names what the
 * user controls: `weir server start`'s TCP flags for TCP, the path in the way for the Unix socket.
 */
export class ListenError extends DaemonError {
  constructor(address: string, cause: string, transport: 'tcp' | 'unix') {
    super('WEIR_ERR_LISTEN', `cannot listen on ${address}: ${cause}`, transport === 'tcp'
      ? 'choose another address with --port N or --listen HOST:PORT (or WEIR_LISTEN), or turn TCP off with --no-tcp'
      : `check that nothing else is at ${address} and that its directory is writable, or choose another --data-dir`)
  }
}

/** `<dataDir>/cluster.json` exists but holds no cluster id (emptied by a crash, or edited). */
export class ClusterIdFileError extends DaemonError {
  constructor(path: string, reason: string) {
    super('WEIR_ERR_CLUSTER_ID', `${path} holds no valid cluster id (${reason})`,
      `restore it from a backup, or remove it to start under a new cluster id`)
  }
}
