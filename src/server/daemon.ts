/**
 * The daemon's lifecycle, in order:
 *
 *   start: data dir (0700) -> server.log -> data dir lock -> cluster id -> broker configs (flags over
 *          server.properties, see broker-config.ts) -> LogManager (recovers logs after a crash) ->
 *          corruptions.json (what recovery found damaged; kept current) -> listeners -> Broker
 *          (loads consumer groups from __consumer_offsets) -> server.json + weir.pid
 *   stop:  stop accepting -> wake long polls -> answer what was received and close connections ->
 *          close the logs (flush + clean-shutdown marker) -> last corruptions.json update ->
 *          remove socket, pid, server.json -> release the lock
 *
 * A failed start undoes what it did, in reverse, and throws. Stopping twice returns the same
 * promise. Requests that arrive before the Broker exists (a window of microseconds after the TCP
 * listener binds) wait for it rather than fail.
 */
import {Broker} from '../broker/broker.js'
import {recordCompression} from '../broker/record-compression.js'
import {LogManager} from '../storage/index.js'
import {loadBrokerConfig} from './broker-config.js'
import {loadOrCreateClusterId} from './cluster-id.js'
import {CorruptionPublisher, removeDaemonFiles, writeDaemonFiles, type DaemonInfo} from './daemon-files.js'
import type {DaemonOptions} from './daemon-options.js'
import {Listeners, advertisedAddress, formatTcpAddress} from './listeners.js'
import {acquireDataDirLock, type DataDirLock} from './lock.js'
import {openLogger, type Logger} from './logger.js'
import {daemonPaths, ensureDataDir, prepareSocketPath, releaseSocketPath} from './paths.js'
import {packageVersion} from './version.js'

export const NODE_ID = 1

interface Parts {
  logger: Logger
  lock: DataDirLock
  logs: LogManager
  corruptions: CorruptionPublisher
  broker: Broker
  listeners: Listeners
}

export class Daemon {
  readonly info: DaemonInfo
  private readonly parts: Parts
  private stopping: Promise<void> | undefined

  private constructor(info: DaemonInfo, parts: Parts) {
    this.info = info
    this.parts = parts
  }

  /** Starts serving; `echo` copies log lines to stderr (a foreground daemon). */
  static async start(opts: DaemonOptions, logging: {echo: boolean}): Promise<Daemon> {
    const {tooOpen} = ensureDataDir(opts.dataDir)
    const logger = openLogger(daemonPaths(opts.dataDir).serverLog, {echo: logging.echo})
    const log = logger.log
    const undo: (() => Promise<void> | void)[] = [() => logger.close()]
    try {
      if (tooOpen) log(`warning: ${opts.dataDir} is accessible by other users; it should be mode 0700`)
      const lock = await acquireDataDirLock(opts.dataDir, error => log(`data directory lock lost: ${error.message}`))
      undo.push(() => lock.release())
      const clusterId = await loadOrCreateClusterId(opts.dataDir)
      const {settings, notes} = loadBrokerConfig(opts)
      for (const note of notes) log(note)
      const logs = await LogManager.open(opts.dataDir, {logger: line => log(`storage: ${line}`), compression: recordCompression,
        defaults: {...settings.topicDefaults()}, retentionCheckIntervalMs: settings.retentionCheckIntervalMs,
        cleanerIntervalMs: settings.cleanerBackoffMs, producerIdExpirationMs: settings.producerIdExpirationMs})
      undo.push(() => logs.close())
      const corruptions = new CorruptionPublisher(opts.dataDir, () => logs.corruptions(), log)
      await corruptions.start()
      undo.push(() => corruptions.stop())
      let ready: (broker: Broker) => void = () => {}
      const brokerReady = new Promise<Broker>(resolve => { ready = resolve })
      const listeners = await Listeners.open({
        socketPath: prepareSocketPath(opts.dataDir),
        tcp: opts.tcp,
        handler: (frame, hangup, parked, clientHost) => brokerReady.then(broker => broker.handleChunks(frame, hangup, parked, clientHost)),
        log,
      })
      undo.push(() => listeners.drainConnections())
      const broker = new Broker({logs, nodeId: NODE_ID, clusterId, advertised: listeners.tcp === null ? null : advertisedAddress(listeners.tcp),
        autoCreateTopics: settings.autoCreateTopics, defaultPartitions: settings.numPartitions, settings, logger: log})
      undo.push(() => broker.close())
      await broker.start()
      ready(broker)
      const info: DaemonInfo = {pid: process.pid, startedAt: Date.now(), dataDir: opts.dataDir, socket: listeners.socketPath,
        tcp: listeners.tcp === null ? null : formatTcpAddress(listeners.tcp), version: packageVersion()}
      await writeDaemonFiles(info)
      log(`weir ${info.version} listening on ${info.socket}${info.tcp === null ? '' : ` and ${info.tcp}`} (pid ${info.pid}, cluster ${clusterId})`)
      return new Daemon(info, {logger, lock, logs, corruptions, broker, listeners})
    } catch (error) {
      for (const step of undo.reverse()) await Promise.resolve().then(step).catch(() => undefined)
      throw error
    }
  }

  /** Graceful shutdown; safe to call more than once. Rejects with the first failed step, after all ran. */
  stop(reason = 'stop requested'): Promise<void> {
    this.stopping ??= this.shutdown(reason)
    return this.stopping
  }

  private async shutdown(reason: string): Promise<void> {
    const {logger, lock, logs, corruptions, broker, listeners} = this.parts
    logger.log(`stopping: ${reason}`)
    const failures: unknown[] = []
    const step = async (name: string, run: () => Promise<void> | void) => {
      try {
        await run()
      } catch (error) {
        failures.push(error)
        logger.log(`${name} failed during shutdown: ${(error as Error).stack ?? String(error)}`)
      }
    }
    await step('closing listeners', () => listeners.stopAccepting())
    await step('waking long polls', () => broker.close())
    await step('draining connections', () => listeners.drainConnections())
    await step('closing logs', () => logs.close())
    await step('publishing the corruption list', () => corruptions.stop())
    await step('removing pid files', () => removeDaemonFiles(this.info.dataDir))
    await step('removing the socket directory', () => releaseSocketPath(this.info.dataDir, this.info.socket))
    await step('releasing the lock', () => lock.release())
    logger.log(failures.length === 0 ? 'stopped' : `stopped with ${failures.length} failures`)
    logger.close()
    if (failures.length > 0) throw failures[0]
  }
}
