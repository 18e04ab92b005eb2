/**
 * A real daemon process for integration and interop tests: `node <build>/src/server/main.js` on a
 * fresh temp data directory (never ~/.weir) and a free TCP port (never 9092), found relative to
 * this compiled file, so it works from dist/ and from private build directories alike.
 *
 * Every daemon started here is SIGKILLed when the test process exits, whatever happened; the child
 * does not keep the test process alive while idle. stop() is a graceful SIGTERM and fails when the
 * daemon exits non-zero (after kill9() it only cleans up); the temp directory is removed on stop()
 * unless the caller chose dataDir.
 */
import type {ChildProcess} from 'node:child_process'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {daemonPaths} from '../../src/server/paths.js'
import {logTail, spawnDaemon} from '../../src/server/spawn-daemon.js'

export interface TestDaemon {
  dataDir: string
  socket: string
  port: number
  /** 127.0.0.1:<port> */
  bootstrap: string
  pid: number
  stop(): Promise<void>
  kill9(): Promise<void>
  /** Starts again on the same data directory and port (after stop() or kill9()). */
  restart(): Promise<void>
}

export interface TestDaemonOptions {
  autoCreateTopics?: boolean
  defaultPartitions?: number
  /** Use (and keep) this data directory instead of a fresh temp one. */
  dataDir?: string
  /** Broker configs by Kafka name, passed as `--config KEY=VALUE` (e.g. log.cleaner.backoff.ms). */
  configs?: Record<string, string>
}

const STOP_TIMEOUT_MS = 20_000
const children = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

export async function startTestDaemon(opts: TestDaemonOptions = {}): Promise<TestDaemon> {
  const ownsDir = opts.dataDir === undefined
  const dataDir = opts.dataDir ?? await mkdtemp(join(tmpdir(), 'weir-test-'))
  let running = await spawn(dataDir, 0, opts)
  const daemon: TestDaemon = {
    dataDir,
    ...running.address,
    async stop() {
      // After kill9() there is nothing left to stop, only the directory to clean up.
      const wasRunning = running.child.exitCode === null && running.child.signalCode === null
      const exit = await signalAndWait(running.child, 'SIGTERM')
      const failed = wasRunning && exit !== 0
      const log = failed ? await logTail(daemonPaths(dataDir).serverLog) : []
      if (ownsDir) await rm(dataDir, {recursive: true, force: true})
      if (failed) throw new Error(`test daemon ${daemon.pid} stopped with ${exit}:\n${log.join('\n')}`)
    },
    async kill9() {
      await signalAndWait(running.child, 'SIGKILL')
    },
    async restart() {
      running = await spawn(dataDir, daemon.port, opts)
      Object.assign(daemon, running.address)
    },
  }
  return daemon
}

interface Running {
  child: ChildProcess
  address: {socket: string; port: number; bootstrap: string; pid: number}
}

async function spawn(dataDir: string, port: number, opts: TestDaemonOptions): Promise<Running> {
  const {child, info} = await spawnDaemon({dataDir, tcp: {host: '127.0.0.1', port}, autoCreateTopics: opts.autoCreateTopics ?? true,
    defaultPartitions: opts.defaultPartitions ?? 1, configs: opts.configs}, {detached: false})
  children.add(child)
  child.once('exit', () => children.delete(child))
  child.unref()
  const boundPort = Number((info.tcp ?? '').split(':').at(-1))
  return {child, address: {socket: info.socket, port: boundPort, bootstrap: `127.0.0.1:${boundPort}`, pid: info.pid}}
}

/** Signals the child and resolves with how it ended: 0, another exit code, or the signal's name. */
function signalAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode)
  if (child.signalCode !== null) return Promise.resolve(child.signalCode)
  child.ref()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`test daemon ${child.pid} did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}`))
    }, STOP_TIMEOUT_MS)
    child.once('exit', (code, endSignal) => {
      clearTimeout(timer)
      resolve(code ?? endSignal ?? 'unknown')
    })
    child.kill(signal)
  })
}
