import {BaseCommand, dataDirFlag} from '../../src/cli/base-command.js'
import {CliError} from '../../src/cli/cli-errors.js'
import {statusLines} from '../../src/cli/daemon-status-format.js'
import {type DaemonInfo, readStatus} from '../../src/server/control.js'

export interface ServerStatusResult extends DaemonInfo {
  running: true
  uptimeMs: number
  /** Topic names, or null when the daemon did not answer the query. */
  topics: string[] | null
}

export default class ServerStatus extends BaseCommand {
  static override summary = 'Show whether the Weir server is running, and where.'
  static override description = `Exit status 0 when a daemon is running for the data directory, 1 when none is. \
Shows its pid, uptime, version, data directory, socket, TCP address and topics. \
--json prints the daemon's own record (pid, startedAt, dataDir, socket, tcp, version) plus \
running, uptimeMs and topics.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'In a script: is it up, and on which port?', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  static override flags = {
    'data-dir': dataDirFlag,
  }

  async run(): Promise<ServerStatusResult> {
    const {flags} = await this.parse(ServerStatus)
    const dataDir = this.dataDir(flags['data-dir'])
    const info = await readStatus(dataDir)
    if (info === null) {
      throw new CliError(`no Weir server is running for ${dataDir}`, {code: 'WEIR_ERR_NOT_RUNNING', hint: `start it with: ${this.config.bin} server start`})
    }
    const topics = await this.topicNames(info.socket)
    const now = Date.now()
    for (const line of statusLines(info, now, topics)) this.log(line)
    return {...info, running: true, uptimeMs: now - info.startedAt, topics: Array.isArray(topics) ? topics : null}
  }

  /** The daemon's topics; a daemon that cannot answer still has a status, so this never throws. */
  private async topicNames(socket: string): Promise<string[] | {error: string}> {
    try {
      const client = await this.connectTo({kind: 'socket', path: socket})
      const topics = await client.admin().listTopics()
      return topics.map((topic) => topic.name).sort()
    } catch (error) {
      return {error: (error as Error).message}
    }
  }
}
