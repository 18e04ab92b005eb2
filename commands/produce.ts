import {Args, Flags} from '@oclif/core'
import type {Readable} from 'node:stream'

import {connectionFlags} from '../src/cli/base-command.js'
import {openInput} from '../src/cli/input-stream.js'
import {parseKeyValue} from '../src/cli/key-value-pairs.js'
import {produceStream, type ProduceOptions} from '../src/cli/produce-pipeline.js'
import {PRODUCER_PROPERTIES, lineRecordOptions} from '../src/cli/producer-properties.js'
import {RecordStreamCommand} from '../src/cli/record-stream-command.js'
import {deliveryError} from '../src/cli/topic-errors.js'
import {DEFAULT_TRANSACTION_SIZE, TransactionalSender} from '../src/cli/transactional-sender.js'
import {UsageError} from '../src/cli/cli-errors.js'
import type {Producer} from '../src/client/index.js'

const ACKS = {all: -1, '-1': -1, '1': 1, '0': 0} as const
const COMPRESSION = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
/** Exit statuses of a command ended by a signal, as a shell reports them (128 + the signal's number). */
const SIGNAL_EXIT = {SIGINT: 130, SIGTERM: 143} as const
type StopSignal = keyof typeof SIGNAL_EXIT
/** After a signal, how long the open transaction's abort may take (the broker may be gone). */
const ABORT_DEADLINE_MS = 5_000
/** After a signal, the command ends by this time whatever is still under way. */
const STOP_DEADLINE_MS = 15_000

/** The first signal: what it stops, and a promise that settles when it comes. */
interface Stop {
  readonly signal: StopSignal | null
  readonly signalled: Promise<void>
}

export default class Produce extends RecordStreamCommand {
  static override summary = 'Write records to a topic, one per line of input.'
  static override description = `Reads standard input (or --file) and sends one record per line; the newline is not part of \
the record, every other byte is (a CR before it too). Lines are sent in batches with several \
requests in flight, so piping millions of lines is fast.

Keys: --key-separator SEP (or Kafka's --property parse.key=true --property key.separator=SEP) \
splits each line at the first SEP into key and value; a line without SEP is an error unless \
--property ignore.error=true. --property null.marker=M turns a key or value equal to M into \
null (a tombstone). Separators accept \\t, \\n and \\xNN escapes.

--json reads the lines "weir consume --json" writes, so that \
"weir consume A --from-beginning --exit-at-end --json | weir produce B --json" copies records \
exactly: keys, values, headers (binary ones are base64 with an encoding marker), nulls, \
timestamps and partitions (--partition overrides them; \
the target topic needs at least as many partitions).

Delivery: --acks all (the default, as in kafka-console-producer and kcat) answers once the \
records are on disk; 1 once they are in the server's memory; 0 waits for nothing. \
With --acks all the producer is idempotent, as the Java client is by default: a retried request \
never writes its records twice nor out of order. --no-idempotence turns that off (--acks 0 or 1 \
do too); against a broker without idempotent producers it is left off quietly, unless \
--idempotence was given. \
Unless --quiet, prints "Produced N records to TOPIC." on stderr at the end; stdout stays \
empty. Any delivery failure ends the command with exit status 1; SIGINT or SIGTERM delivers what \
was read and exits 130 or 143.

Transactions: --transactional-id ID writes the input in transactions of --transaction-size \
records (default ${DEFAULT_TRANSACTION_SIZE}), the last one committed at the end of input, so a \
read_committed consumer sees each whole transaction or nothing of it. Starting fences any older \
producer with the same ID (its open transaction is aborted). On an error or on SIGINT/SIGTERM the \
open transaction is aborted, the committed ones stay, and the command exits non-zero (1, 130 or \
143).`

  static override examples = [
    {description: 'A million records, values 1..1000000.', command: 'seq 1 1000000 | <%= config.bin %> <%= command.id %> orders'},
    {description: 'key:value lines.', command: 'echo "user-1:signed up" | <%= config.bin %> <%= command.id %> events --key-separator :'},
    {description: 'The same, spelled as for kafka-console-producer.',
      command: 'echo "user-1:signed up" | <%= config.bin %> <%= command.id %> events --property parse.key=true --property key.separator=:'},
    {description: 'Copy a topic exactly, binary records included.',
      command: '<%= config.bin %> consume orders --from-beginning --exit-at-end --json | <%= config.bin %> <%= command.id %> orders-copy --json'},
    {description: 'From a file, compressed, with a header on every record.',
      command: '<%= config.bin %> <%= command.id %> orders --file orders.txt --compression zstd --header source=import'},
    {description: 'All or nothing, 1000 records a transaction.',
      command: '<%= config.bin %> <%= command.id %> orders --file orders.txt --transactional-id orders-import --transaction-size 1000'},
  ]

  static override args = {
    topic: Args.string({description: 'Topic to write to.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    json: Flags.boolean({summary: 'Read one JSON record per line, as written by consume --json.',
      exclusive: ['key-separator', 'property']}),
    file: Flags.string({helpValue: 'FILE', summary: 'Read this file instead of standard input.'}),
    'key-separator': Flags.string({char: 'K', summary: 'Split each line at the first SEP into key and value.',
      helpValue: 'SEP'}),
    property: Flags.string({summary: `Kafka console-producer reader property (${PRODUCER_PROPERTIES.join(', ')}).`,
      multiple: true, helpValue: 'KEY=VALUE'}),
    header: Flags.string({char: 'H', summary: 'Add header NAME=VALUE to every record; repeat for more.', multiple: true,
      helpValue: 'NAME=VALUE'}),
    partition: Flags.integer({helpValue: 'N', char: 'p', summary: 'Write every record to this partition (default: by key hash, keyless spread).',
      min: 0}),
    acks: Flags.option({summary: 'Acknowledgement to wait for: all (on disk), 1 (in memory) or 0 (none).',
      options: ['all', '-1', '1', '0'] as const, default: 'all'})(),
    compression: Flags.option({char: 'z', summary: 'Compress record batches with this codec.', options: COMPRESSION,
      default: 'none'})(),
    idempotence: Flags.boolean({allowNo: true,
      summary: 'Idempotent delivery: retries never duplicate or reorder records (default with --acks all).'}),
    'transactional-id': Flags.string({helpValue: 'ID', summary: 'Write the input in transactions under this transactional id.'}),
    'transaction-size': Flags.integer({helpValue: 'N', min: 1, dependsOn: ['transactional-id'],
      summary: `Records per transaction (default ${DEFAULT_TRANSACTION_SIZE}).`}),
    quiet: Flags.boolean({char: 'q', summary: 'Do not print the record count on stderr.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Produce)
    const lines = lineRecordOptions({keySeparator: flags['key-separator'], properties: flags.property})
    const headers = (flags.header ?? []).map((text) => {
      const [key, value] = parseKeyValue(text, 'header')
      return {key, value: Buffer.from(value, 'utf8')}
    })
    const transactionalId = flags['transactional-id']
    checkDeliveryFlags(flags.acks, flags.idempotence, transactionalId)
    // Opened before connecting, so a missing file is reported as such and nothing is sent.
    const input = await openInput(flags.file)
    if (flags.file === undefined && process.stdin.isTTY && !flags.quiet) {
      this.logToStderr('Type one record per line; end with Ctrl-D.')
    }
    const client = await this.connect(flags)
    const producer = client.producer({acks: ACKS[flags.acks], compression: flags.compression, idempotence: flags.idempotence,
      transactionalId})
    this.closeAtEnd(() => producer.close())

    let stoppedBy: StopSignal | null = null
    let signalled: () => void = () => undefined
    const stopState: Stop = {get signal() { return stoppedBy }, signalled: new Promise<void>((resolve) => (signalled = resolve))}
    const stop = (signal: StopSignal): void => {
      if (stoppedBy !== null) process.exit(SIGNAL_EXIT[stoppedBy]) // a second signal: at once
      stoppedBy = signal
      input.destroy()
      setTimeout(() => process.exit(SIGNAL_EXIT[signal]), STOP_DEADLINE_MS).unref()
      signalled()
    }
    const onInt = (): void => stop('SIGINT')
    const onTerm = (): void => stop('SIGTERM')
    process.on('SIGINT', onInt)
    process.on('SIGTERM', onTerm)
    const opts = {topic: args.topic, partition: flags.partition, headers, input: flags.json ? 'json' as const : 'lines' as const, lines}
    try {
      const summary = transactionalId === undefined
        ? await this.produceAll(producer, input, opts, () => stoppedBy !== null)
        : await this.produceInTransactions(producer, input, opts, flags['transaction-size'] ?? DEFAULT_TRANSACTION_SIZE, stopState)
      if (!flags.quiet) this.logToStderr(summary)
    } finally {
      process.removeListener('SIGINT', onInt)
      process.removeListener('SIGTERM', onTerm)
    }
    if (stoppedBy !== null) this.exit(SIGNAL_EXIT[stoppedBy])
  }

  /** Without transactions: everything read is delivered, also after a bad line or a signal (then reported). */
  private async produceAll(producer: Producer, input: Readable, opts: ProduceOptions, stopped: () => boolean): Promise<string> {
    let count = 0
    try {
      count = await produceStream(input, producer, opts)
    } catch (error) {
      if (!stopped()) {
        // Deliver what was read before the bad line, then report the line.
        await producer.flush().catch(() => {})
        throw deliveryError(error, opts.topic)
      }
    }
    await producer.flush().catch((error: unknown) => {
      throw deliveryError(error, opts.topic)
    })
    const produced = stopped() ? producer.acknowledged : count
    return `Produced ${records(produced)} to ${opts.topic}.`
  }

  /**
   * In transactions: the open one is aborted on an error or a signal; committed ones stay. A signal stops
   * whatever is under way (InitProducerId retries, a commit): no transaction is begun or committed after it,
   * and the open one's abort gets a short deadline, since the broker may be gone.
   */
  private async produceInTransactions(producer: Producer, input: Readable, opts: ProduceOptions, size: number,
    stop: Stop): Promise<string> {
    const stopped = (): boolean => stop.signal !== null
    const init = producer.initTransactions()
    init.catch(() => undefined)
    await Promise.race([init, stop.signalled]).catch((error: unknown) => {
      throw deliveryError(error, opts.topic)
    })
    const sender = new TransactionalSender(producer, size)
    const summary = (): string =>
      `Produced ${records(sender.committed)} to ${opts.topic} in ${sender.transactions} transaction${sender.transactions === 1 ? '' : 's'}`
    if (stopped()) return `${summary()}.`
    const work = (async () => {
      await produceStream(input, sender, opts).catch((error: unknown) => {
        if (!stopped()) throw error
      })
      if (!stopped()) await sender.finish()
    })()
    work.catch(() => undefined)
    try {
      await Promise.race([work, stop.signalled])
    } catch (error) {
      if (!stopped()) {
        await sender.abort().catch(() => {})
        throw deliveryError(error, opts.topic)
      }
    }
    if (stopped()) sender.stop()
    let aborted = false
    try {
      aborted = await withDeadline(sender.abort(), stopped() ? ABORT_DEADLINE_MS : Infinity)
    } catch (error) {
      if (!stopped()) throw deliveryError(error, opts.topic)
      // Closing would try the abort again: the process ends here, and the server ends the transaction.
      this.logToStderr(`${summary()}; the open transaction could not be aborted; the server aborts it after its timeout.`)
      process.exit(SIGNAL_EXIT[stop.signal!])
    }
    return aborted ? `${summary()}; the open transaction was aborted.` : `${summary()}.`
  }
}

/** The promise, or a rejection once `ms` have passed. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (ms === Infinity) return promise
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error('deadline passed')), ms)))
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Java's rules, as usage errors: idempotence and transactions need acks=all; transactions need idempotence. */
function checkDeliveryFlags(acks: string, idempotence: boolean | undefined, transactionalId: string | undefined): void {
  const weak = acks === '0' || acks === '1'
  if (transactionalId !== undefined && weak) throw new UsageError(`--transactional-id needs --acks all, not --acks ${acks}`)
  if (transactionalId !== undefined && idempotence === false) throw new UsageError('--transactional-id cannot be used with --no-idempotence')
  if (idempotence === true && weak) throw new UsageError(`--idempotence needs --acks all, not --acks ${acks}`)
}

function records(count: number): string {
  return `${count} record${count === 1 ? '' : 's'}`
}
