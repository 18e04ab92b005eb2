import {Args, Flags} from '@oclif/core'

import {connectionFlags} from '../src/cli/base-command.js'
import {openInput} from '../src/cli/input-stream.js'
import {parseKeyValue} from '../src/cli/key-value-pairs.js'
import {produceStream} from '../src/cli/produce-pipeline.js'
import {PRODUCER_PROPERTIES, lineRecordOptions} from '../src/cli/producer-properties.js'
import {RecordStreamCommand} from '../src/cli/record-stream-command.js'
import {deliveryError} from '../src/cli/topic-errors.js'

const ACKS = {all: -1, '-1': -1, '1': 1, '0': 0} as const
const COMPRESSION = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const

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
Unless --quiet, prints "Produced N records to TOPIC." on stderr at the end; stdout stays \
empty. Any delivery failure ends the command with exit status 1.`

  static override examples = [
    {description: 'A million records, values 1..1000000.', command: 'seq 1 1000000 | <%= config.bin %> <%= command.id %> orders'},
    {description: 'key:value lines.', command: 'echo "user-1:signed up" | <%= config.bin %> <%= command.id %> events --key-separator :'},
    {description: 'The same, spelled as for kafka-console-producer.',
      command: 'echo "user-1:signed up" | <%= config.bin %> <%= command.id %> events --property parse.key=true --property key.separator=:'},
    {description: 'Copy a topic exactly, binary records included.',
      command: '<%= config.bin %> consume orders --from-beginning --exit-at-end --json | <%= config.bin %> <%= command.id %> orders-copy --json'},
    {description: 'From a file, compressed, with a header on every record.',
      command: '<%= config.bin %> <%= command.id %> orders --file orders.txt --compression zstd --header source=import'},
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
    quiet: Flags.boolean({char: 'q', summary: 'Do not print the record count on stderr.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Produce)
    const lines = lineRecordOptions({keySeparator: flags['key-separator'], properties: flags.property})
    const headers = (flags.header ?? []).map((text) => {
      const [key, value] = parseKeyValue(text, 'header')
      return {key, value: Buffer.from(value, 'utf8')}
    })
    // Opened before connecting, so a missing file is reported as such and nothing is sent.
    const input = await openInput(flags.file)
    if (flags.file === undefined && process.stdin.isTTY && !flags.quiet) {
      this.logToStderr('Type one record per line; end with Ctrl-D.')
    }
    const client = await this.connect(flags)
    const producer = client.producer({acks: ACKS[flags.acks], compression: flags.compression})
    this.closeAtEnd(() => producer.close())

    let interrupted = false
    const onInterrupt = (): void => {
      interrupted = true
      input.destroy()
    }
    process.once('SIGINT', onInterrupt)
    let count = 0
    try {
      count = await produceStream(input, producer, {topic: args.topic, partition: flags.partition, headers, input: flags.json ? 'json' : 'lines', lines})
    } catch (error) {
      if (!interrupted) {
        // Deliver what was read before the bad line, then report the line.
        await producer.flush().catch(() => {})
        throw deliveryError(error, args.topic)
      }
    } finally {
      process.removeListener('SIGINT', onInterrupt)
    }
    await producer.flush().catch((error: unknown) => {
      throw deliveryError(error, args.topic)
    })
    const produced = interrupted ? producer.acknowledged : count
    if (!flags.quiet) this.logToStderr(`Produced ${produced} record${produced === 1 ? '' : 's'} to ${args.topic}.`)
    if (interrupted) this.exit(130)
  }
}
