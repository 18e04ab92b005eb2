import {BaseCommand, dataDirFlag} from '../../src/cli/base-command.js'
import {CliError} from '../../src/cli/cli-errors.js'
import {palette} from '../../src/cli/colour.js'
import {corruptionLines, statusLines} from '../../src/cli/daemon-status-format.js'
import {type PublishedCorruption, readCorruptions} from '../../src/layout/corruptions.js'
import {type DaemonInfo, readStatus} from '../../src/server/control.js'

export interface ServerStatusResult extends DaemonInfo {
  running: true
  uptimeMs: number
  /** Topic names, or null when the daemon did not answer the query. */
  topics: string[] | null
  /** Corrupt batches the daemon's storage found since it started (never served), or null when it published no list. */
  corruptions: PublishedCorruption[] | null
}

export default class ServerStatus extends BaseCommand {
  static override summary = 'Show whether the Weir server is running, and where.'
  static override description = `Exit status 0 when a daemon is running for the data directory, 1 when none is. \
Shows its pid, uptime, version, data directory, socket, TCP address, topics, and the corrupt \
batches its storage found since it started (one line each: topic-partition, offset, reason; \
such batches are never served, a read that reaches one gets CORRUPT_MESSAGE). Those lines also \
go to stderr, with --json too; the exit status stays 0. \
--json prints the daemon's own record (pid, startedAt, dataDir, socket, tcp, version) plus \
running, uptimeMs, topics and corruptions.`

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
    const corruptions = await readCorruptions(dataDir)
    const now = Date.now()
    for (const line of statusLines(info, now, topics, corruptions)) this.log(line)
    this.warnOfCorruption(corruptions?.corruptions ?? [])
    const result = {...info, running: true as const, uptimeMs: now - info.startedAt, topics: Array.isArray(topics) ? topics : null}
    return {...result, corruptions: corruptions?.corruptions ?? null}
  }

  /** Corruption is what an operator must not miss: its lines go to stderr too, even under --json. */
  private warnOfCorruption(corruptions: readonly PublishedCorruption[]): void {
    const red = palette(process.stderr).red.bold
    for (const line of corruptionLines(corruptions)) process.stderr.write(`${red('Warning:')} ${line}\n`)
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
