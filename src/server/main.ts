/**
 * Entry point of a daemon process: `node dist/src/server/main.js [daemon options]` (see
 * daemon-options.ts). `weir server start` spawns it detached with stdout and stderr appended to
 * server.log; tests spawn it directly. It does not load oclif or the CLI.
 *
 * Exit status: 0 after a graceful stop, 1 when it cannot start (one line on stderr saying why, e.g.
 * the data directory is locked by another daemon, naming its pid) or dies of an internal fault,
 * 2 for bad arguments.
 */
import {Daemon} from './daemon.js'
import {parseDaemonArgs} from './daemon-options.js'
import {DaemonUsageError} from './errors.js'
import {onShutdownSignal} from './signals.js'

async function main(argv: string[]): Promise<number> {
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`)
  let starting: Promise<Daemon>
  try {
    starting = Daemon.start(parseDaemonArgs(argv), {echo: false})
  } catch (error) {
    return startFailed(error)
  }
  // Installed before the daemon writes server.json (which tells spawners it is ready): a SIGTERM
  // from then on, even one that arrives while it is still starting, stops it gracefully.
  const stopped = new Promise<number>(resolve => {
    onShutdownSignal(signal => {
      starting.then(daemon => daemon.stop(`${signal} received`)).then(() => resolve(0), () => resolve(1))
    }, log)
  })
  let daemon: Daemon
  try {
    daemon = await starting
  } catch (error) {
    return startFailed(error)
  }
  process.on('uncaughtException', error => fail(daemon, 'uncaught exception', error))
  process.on('unhandledRejection', error => fail(daemon, 'unhandled rejection', error))
  return stopped
}

function startFailed(error: unknown): number {
  process.stderr.write(`weir daemon: ${(error as Error).message}\n`)
  return error instanceof DaemonUsageError ? 2 : 1
}

/** An internal fault: log it, stop as gracefully as still possible, exit 1. */
function fail(daemon: Daemon, kind: string, error: unknown): void {
  process.stderr.write(`${new Date().toISOString()} ${kind}: ${error instanceof Error ? error.stack : String(error)}\n`)
  daemon.stop(kind).finally(() => process.exit(1))
}

// Exit explicitly: a stray handle must not keep a stopped daemon alive.
process.exit(await main(process.argv.slice(2)))
