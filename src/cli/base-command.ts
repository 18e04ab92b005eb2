import {Command, Errors, Flags} from '@oclif/core'

import type {KafkaClient} from '../client/index.js'
import {resolveDataDir, socketPathFor} from '../layout/data-dir.js'
import {type ConnectionFlags, type ConnectionTarget, connectionTarget} from './connection.js'
import {type ErrorReport, errorReport, hintWithDataDir, reportJson, reportLine} from './error-report.js'

const CONNECTION = 'CONNECTION'

/** `--data-dir`: which local daemon (its socket, or for `server` commands its files). */
export const dataDirFlag = Flags.string({
  helpValue: 'DIR',
  summary: 'Data directory of the local daemon.',
  description: 'Defaults to $WEIR_HOME, else ~/.weir. The daemon\'s socket is found inside it.',
  helpGroup: CONNECTION,
})

/** How commands that talk Kafka find it: the daemon's socket by default, or real brokers. */
export const connectionFlags = {
  socket: Flags.string({helpValue: 'PATH', 
    summary: 'Unix socket of a Weir daemon to talk to.',
    helpGroup: CONNECTION,
    exclusive: ['bootstrap-server', 'data-dir'],
  }),
  'bootstrap-server': Flags.string({helpValue: 'HOST:PORT', 
    summary: 'Kafka brokers HOST:PORT[,HOST:PORT..] to talk to instead of the local daemon.',
    description: 'Also read from $WEIR_BOOTSTRAP_SERVER when no connection flag is given.',
    helpGroup: CONNECTION,
    exclusive: ['data-dir'],
  }),
  'data-dir': dataDirFlag,
}

/**
 * What every weir command shares: connection to Kafka, --json, and the error contract. A
 * failure is one line on stderr, `Error: <what happened>. <what to do>`, or under --json one
 * error object; the exit status is 1 for a failure and 2 for a usage error. There is no stack
 * trace unless the error is a bug and WEIR_DEBUG=1 asks for it.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true
  /**
   * Set by commands whose stdout is a record stream (produce, consume): their --json error
   * object goes to stderr, so a pipe into another command never receives it as a record.
   */
  static streamsRecords = false

  private readonly closers: (() => Promise<void>)[] = []
  /** --data-dir as given, so hints that name a weir command can repeat it. */
  private dataDirFlag: string | undefined

  /** Connects as the connection flags say; the client is closed when the command ends. */
  protected async connect(flags: ConnectionFlags, clientId = 'weir-cli'): Promise<KafkaClient> {
    const target = connectionTarget(flags, process.env, (dataDir) => socketPathFor(resolveDataDir(dataDir)))
    if (target.kind === 'socket') this.dataDirFlag = target.dataDirFlag
    return this.connectTo(target, clientId)
  }

  protected async connectTo(target: ConnectionTarget, clientId = 'weir-cli'): Promise<KafkaClient> {
    // Loaded here, not at the top: `server start|stop` never pay for the client.
    const {KafkaClient} = await import('../client/index.js')
    const client = await KafkaClient.connect(target.kind === 'socket'
      ? {socket: target.path, clientId}
      : {bootstrapServers: target.servers, clientId})
    this.closeAtEnd(() => client.close())
    return client
  }

  /** The daemon's data directory from --data-dir (else $WEIR_HOME, else ~/.weir). */
  protected dataDir(flag: string | undefined): string {
    this.dataDirFlag = flag
    return resolveDataDir(flag)
  }

  /** Registers cleanup that runs however the command ends (success, error, exit). */
  protected closeAtEnd(close: () => Promise<void>): void {
    this.closers.unshift(close)
  }

  /** Whether errors should be a JSON object: --json given (before any `--`). */
  protected wantsJson(): boolean {
    const end = this.argv.indexOf('--')
    const json = this.argv.indexOf('--json')
    return json !== -1 && (end === -1 || json < end)
  }

  protected override async finally(error: Error | undefined): Promise<void> {
    const closers = this.closers.splice(0)
    for (const close of closers) {
      try {
        await close()
      } catch {
        // Closing after a failure must not hide that failure; a close error after success is moot.
      }
    }
    await super.finally(error)
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<never> {
    if (error instanceof Errors.ExitError) throw error
    const report = hintWithDataDir(errorReport(error, {
      commandLine: `${this.config.bin} ${(this.id ?? '').replaceAll(':', ' ')}`.trim(),
      debug: process.env.WEIR_DEBUG === '1',
    }), this.dataDirFlag)
    await this.renderError(report)
    throw new Errors.ExitError(report.exit)
  }

  private async renderError(report: ErrorReport): Promise<void> {
    if (this.wantsJson()) {
      const stream = (this.constructor as typeof BaseCommand).streamsRecords ? process.stderr : process.stdout
      stream.write(JSON.stringify(reportJson(report)) + '\n')
      return
    }
    // chalk is loaded only when there is an error to colour.
    const {palette} = await import('./colour.js')
    const colour = palette(process.stderr)
    process.stderr.write(`${colour.red.bold('Error:')} ${reportLine(report)}\n`)
    if (report.stack !== undefined) process.stderr.write(colour.dim(report.stack) + '\n')
  }
}
