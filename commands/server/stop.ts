import {BaseCommand, dataDirFlag} from '../../src/cli/base-command.js'
import {CliError} from '../../src/cli/cli-errors.js'
import {withSpinner} from '../../src/cli/spinner.js'
import {stopDaemon} from '../../src/server/control.js'

export interface ServerStopResult {
  stopped: true
  pid: number
  dataDir: string
}

export default class ServerStop extends BaseCommand {
  static override summary = 'Stop the Weir server.'
  static override description = `Asks the daemon of the data directory to shut down gracefully (SIGTERM) and waits until it \
has exited: appended records are flushed to disk, the lock is released, and the socket and \
pid file are removed.

If no daemon is running there, prints one line saying so and exits with status 1, as \
kafka-server-stop.sh does; scripts that only want it stopped can add "|| true".`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --data-dir /tmp/weir2',
  ]

  static override flags = {
    'data-dir': dataDirFlag,
  }

  async run(): Promise<ServerStopResult> {
    const {flags} = await this.parse(ServerStop)
    const dataDir = this.dataDir(flags['data-dir'])
    const stopped = await withSpinner('Stopping Weir', () => stopDaemon(dataDir), !this.jsonEnabled() && process.stderr.isTTY === true)
    if (stopped === null) {
      throw new CliError(`no Weir server is running for ${dataDir}`, {code: 'WEIR_ERR_NOT_RUNNING'})
    }
    this.log(`Weir stopped (pid ${stopped.pid}).`)
    return {stopped: true, pid: stopped.pid, dataDir}
  }
}
