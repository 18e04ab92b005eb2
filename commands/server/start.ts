import {Flags} from '@oclif/core'

import {BaseCommand, dataDirFlag} from '../../src/cli/base-command.js'
import {daemonLines} from '../../src/cli/daemon-status-format.js'
import {tcpListener} from '../../src/cli/listen-address.js'
import {withSpinner} from '../../src/cli/spinner.js'
import {AlreadyRunningError, type DaemonInfo, type DaemonOptions, readStatus, runForeground, startDetached} from '../../src/server/control.js'

export default class ServerStart extends BaseCommand {
  static override summary = 'Start the Weir server.'
  static override description = `Starts the daemon that owns the data directory and serves the Kafka protocol on a \
Unix socket inside it (used by the weir commands) and on TCP at 127.0.0.1:9092 (used by \
Kafka clients: kcat, librdkafka, the Java client, kafkajs, kafka-python).

By default the daemon detaches and this command returns once it listens, printing its pid, \
data directory, socket and TCP address (--json: the same as one object). With --foreground \
it runs in this terminal until SIGINT or SIGTERM. TCP listens on loopback only unless \
--listen names another address; --no-tcp leaves only the socket. --port 0 picks a free port \
(server status shows it). Starting a second daemon on the same data directory fails with \
exit status 1 and names the pid already running there.

Broker configs use Kafka's broker names, given with --config KEY=VALUE (repeatable) or in the \
data directory's server.properties (Java properties: KEY=VALUE lines, # comments), read at \
each start; flags win over the file, the file over Kafka's defaults. An unknown key or a bad \
value in a flag is a usage error (exit 2); an unknown key in the file is skipped with a \
warning in server.log. The broker configs Weir has: topic defaults log.retention.ms \
(.minutes, .hours), log.retention.bytes, log.segment.bytes, log.roll.ms (.hours), \
log.roll.jitter.ms (.hours), log.flush.interval.messages, log.flush.interval.ms, \
log.cleanup.policy, log.cleaner.delete.retention.ms, log.cleaner.min.cleanable.ratio, \
log.cleaner.min.compaction.lag.ms, log.cleaner.max.compaction.lag.ms, \
log.segment.delete.delay.ms, log.index.interval.bytes, log.index.size.max.bytes, \
log.message.timestamp.type, message.max.bytes, log.preallocate, min.insync.replicas, \
compression.type and the other synonyms of topic configs; and auto.create.topics.enable, \
num.partitions, default.replication.factor (1), log.retention.check.interval.ms and \
log.cleaner.backoff.ms (the log cleaner's pause between passes). \
weir topics describe shows what a topic gets from them; they cannot change while the daemon \
runs.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'A second daemon with its own data and a free port.', command: '<%= config.bin %> <%= command.id %> --data-dir /tmp/weir2 --port 0'},
    {description: 'Run in the foreground, socket only.', command: '<%= config.bin %> <%= command.id %> --foreground --no-tcp'},
    {description: 'Keep records for two hours and roll segments every ten minutes, unless a topic says otherwise.',
      command: '<%= config.bin %> <%= command.id %> --config log.retention.hours=2 --config log.roll.ms=600000'},
  ]

  static override flags = {
    'data-dir': dataDirFlag,
    foreground: Flags.boolean({char: 'f', summary: 'Stay in the foreground instead of detaching.'}),
    port: Flags.integer({helpValue: 'PORT', summary: 'TCP port on 127.0.0.1 (0 = any free port).', min: 0, max: 65_535, exclusive: ['listen']}),
    listen: Flags.string({helpValue: 'HOST:PORT', summary: 'TCP address HOST:PORT to listen on (default $WEIR_LISTEN, else 127.0.0.1:9092).', exclusive: ['port']}),
    tcp: Flags.boolean({summary: 'Listen on TCP as well as the Unix socket.', default: true, allowNo: true}),
    'auto-create-topics': Flags.boolean({summary: 'Create a topic when a client asks for metadata of a missing one (default: on).',
      description: 'The same as --config auto.create.topics.enable=true|false.', allowNo: true}),
    'default-partitions': Flags.integer({helpValue: 'N', summary: 'Partitions of topics created without a count (default: 1).',
      description: 'The same as --config num.partitions=N.', min: 1}),
    config: Flags.string({helpValue: 'KEY=VALUE', multiple: true,
      summary: 'A broker config under its Kafka name, e.g. log.retention.hours=24 (repeatable).',
      description: 'Wins over the same key in <data-dir>/server.properties.'}),
  }

  async run(): Promise<DaemonInfo | undefined> {
    const {flags} = await this.parse(ServerStart)
    const options: DaemonOptions = {
      dataDir: this.dataDir(flags['data-dir']),
      tcp: tcpListener({tcp: flags.tcp, listen: flags.listen, port: flags.port}),
      autoCreateTopics: flags['auto-create-topics'],
      defaultPartitions: flags['default-partitions'],
      configs: await this.brokerConfigs(flags.config ?? []),
    }
    if (flags.foreground) {
      // startDetached makes this check itself; in the foreground a clear "already running" beats a lock error.
      const running = await readStatus(options.dataDir)
      if (running !== null) throw new AlreadyRunningError(options.dataDir, running.pid)
      await runForeground(options)
      return undefined
    }
    const info = await withSpinner('Starting Weir', () => startDetached(options), !this.jsonEnabled() && process.stderr.isTTY === true)
    this.log(`Weir started (pid ${info.pid}).`)
    for (const line of daemonLines(info)) this.log(`  ${line}`)
    return info
  }

  /** --config pairs, checked here so that a bad one is a usage error rather than a failed start. */
  private async brokerConfigs(pairs: string[]): Promise<Record<string, string> | undefined> {
    if (pairs.length === 0) return undefined
    // Loaded only when there are configs to check: it brings in the broker's config catalogue.
    const {checkFlagConfigs} = await import('../../src/server/broker-config.js')
    try {
      return checkFlagConfigs(pairs)
    } catch (error) {
      this.error((error as Error).message, {exit: 2})
    }
  }
}
