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
exit status 1 and names the pid already running there.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'A second daemon with its own data and a free port.', command: '<%= config.bin %> <%= command.id %> --data-dir /tmp/weir2 --port 0'},
    {description: 'Run in the foreground, socket only.', command: '<%= config.bin %> <%= command.id %> --foreground --no-tcp'},
  ]

  static override flags = {
    'data-dir': dataDirFlag,
    foreground: Flags.boolean({char: 'f', summary: 'Stay in the foreground instead of detaching.'}),
    port: Flags.integer({helpValue: 'PORT', summary: 'TCP port on 127.0.0.1 (0 = any free port).', min: 0, max: 65_535, exclusive: ['listen']}),
    listen: Flags.string({helpValue: 'HOST:PORT', summary: 'TCP address HOST:PORT to listen on (default $WEIR_LISTEN, else 127.0.0.1:9092).', exclusive: ['port']}),
    tcp: Flags.boolean({summary: 'Listen on TCP as well as the Unix socket.', default: true, allowNo: true}),
    'auto-create-topics': Flags.boolean({summary: 'Create a topic when a client asks for metadata of a missing one.',
      default: true, allowNo: true}),
    'default-partitions': Flags.integer({helpValue: 'N', summary: 'Partitions of topics created without a count.', min: 1, default: 1}),
  }

  async run(): Promise<DaemonInfo | undefined> {
    const {flags} = await this.parse(ServerStart)
    const options: DaemonOptions = {
      dataDir: this.dataDir(flags['data-dir']),
      tcp: tcpListener({tcp: flags.tcp, listen: flags.listen, port: flags.port}),
      autoCreateTopics: flags['auto-create-topics'],
      defaultPartitions: flags['default-partitions'],
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
}
