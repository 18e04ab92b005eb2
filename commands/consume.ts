import {Args, Flags} from '@oclif/core'

import {connectionFlags} from '../src/cli/base-command.js'
import {FORMATTER_PROPERTIES, consoleFormat} from '../src/cli/console-formatter.js'
import {groupConsumer, groupPipelineOptions} from '../src/cli/consume-group.js'
import {consumeToOutput, type ConsumeResult} from '../src/cli/consume-pipeline.js'
import {CONSUMER_PROPERTIES, groupSettings} from '../src/cli/consumer-properties.js'
import {JSON_RECORD_FORMAT} from '../src/cli/json-record.js'
import {parseUntilSpec, startSpec} from '../src/cli/offsets-spec.js'
import {StreamWriter} from '../src/cli/output.js'
import {logBounds, startPositions, stopPoints} from '../src/cli/partition-positions.js'
import {selectPartitions} from '../src/cli/partition-selection.js'
import {KCAT_TOKEN_HELP, type RecordFormat, parseKcatFormat} from '../src/cli/record-format.js'
import {RecordStreamCommand} from '../src/cli/record-stream-command.js'
import {UntilTracker} from '../src/cli/until-tracker.js'
import {UsageError} from '../src/cli/cli-errors.js'
import type {IsolationLevel} from '../src/client/consumer.js'

/** Exit status after SIGINT or SIGTERM, as a shell reports a process ended by it. */
const SIGNAL_EXIT = {SIGINT: 130, SIGTERM: 143} as const

export default class Consume extends RecordStreamCommand {
  static override summary = 'Read records from a topic and write them to standard output.'
  static override description = `Reads every partition of TOPIC (or only --partition N) and writes each record's value and a \
newline, as kafka-console-consumer does (a null value prints "null").

Where to start: by default at the end, so only new records are shown; --from-beginning \
starts at the earliest record. --offset takes the forms of kcat -o and rpk -o, in each partition: \
earliest (or beginning), latest (or end), N (an N outside a partition's log starts at its nearest end, \
with a warning), -N (N records before the end), @TIME (the first record at or after TIME: epoch ms or \
ISO-8601 such as @2024-05-01T12:00:00Z, UTC without a zone) or @-DURATION (relative to now: \
@-1h, @-30m, @-2d, @-1h30m). \
When to stop: --until POINT stops each partition before its first record at or after POINT (the forms \
of --offset but -N; a past time no record has reached stops at the end as it is, a future one at the \
first record that reaches it) and ends once every partition stopped; --max-messages N after N records, --exit-at-end once every partition has been \
read to the end it had (kcat -e), --timeout-ms MS after MS without a record, or Ctrl-C \
(exit status 130). "Processed a total of N messages" goes to stderr at the end unless \
--quiet or the output closed. A closed pipe ("| head -3") ends the command quietly with exit status 0.

Group mode. --group G joins consumer group G as a Kafka consumer does, so several processes (and \
Java, librdkafka or kafkajs consumers) share the partitions of TOPIC and take over each other's when one \
joins, leaves or dies. Each partition starts at the group's committed offset; --from-beginning applies only \
to partitions the group has never committed (as in Kafka), else reading starts at the end. What has been \
written to stdout is committed every 5 s, before partitions move to another member, and on exit; \
--exit-at-end stops once the group's assignment has settled and every partition assigned to this process has been \
read to its end. \
--consumer-property sets ${CONSUMER_PROPERTIES.join(', ')} (partition.assignment.strategy: range, \
cooperative-sticky, or both comma-separated; default range,cooperative-sticky as Java's; the member rebalances \
cooperatively only when cooperative-sticky is the sole strategy, else eagerly, as Java's consumer does; heartbeat.interval.ms must be \
lower than session.timeout.ms). A partition this process read nothing from is committed at the position it started from, \
so the group's next member reads what was produced meanwhile. When the group's coordinator does not answer for \
longer than session.timeout.ms the command ends with an error (exit status 1). \
--verbose (or a terminal on stderr) notes joins and assignments on stderr.

Transactions. --isolation-level read_committed reads as a read_committed Kafka consumer does: only \
committed transactions, up to the last stable offset (the first offset of the oldest open transaction), so \
--exit-at-end, --offset latest and --until latest mean that offset; aborted transactions are skipped. The default, \
read_uncommitted, shows records of open and aborted transactions too. Transaction markers are never printed.

When retention (or topics trim) removes records before the consumer reads them, it goes on from the \
earliest record left with --from-beginning and from the end otherwise (kafka-console-consumer's \
auto.offset.reset), with a warning on stderr.

Output layouts. --format FMT takes kcat's -f tokens: ${KCAT_TOKEN_HELP}; and the escapes \\n \\t \\r \\0 \\xNN. \
--property takes Kafka's formatter properties: ${FORMATTER_PROPERTIES.join(', ')}.

--json writes one compact JSON object per line: topic, partition, offset, timestamp, timestampType, key, value, \
headers. A key, value or header value that is not UTF-8 is base64, marked by "keyEncoding"/"valueEncoding":"base64" \
beside it; produce --json reads these lines back.`

  static override examples = [
    {description: 'Everything in the topic so far, then stop.', command: '<%= config.bin %> <%= command.id %> orders --from-beginning --exit-at-end'},
    {description: 'The first three records.', command: '<%= config.bin %> <%= command.id %> orders --from-beginning | head -3'},
    {description: 'Keys and values, tab-separated, with their partition and offset.',
      command: "<%= config.bin %> <%= command.id %> orders --from-beginning --format '%p:%o\\t%k\\t%s\\n'"},
    {description: 'Keys too, spelled as for kafka-console-consumer.',
      command: '<%= config.bin %> <%= command.id %> orders --from-beginning --property print.key=true --property key.separator=:'},
    {description: 'Share the topic with other members of group "billing", committing what was printed.',
      command: '<%= config.bin %> <%= command.id %> orders --group billing --from-beginning'},
    {description: 'Partition 2 from offset 100, as JSON lines.', command: '<%= config.bin %> <%= command.id %> orders --partition 2 --offset 100 --json'},
    {description: 'The last 10 records of each partition.', command: '<%= config.bin %> <%= command.id %> orders --offset -10 --exit-at-end'},
    {description: 'What was written in the last hour, up to now.', command: '<%= config.bin %> <%= command.id %> orders --offset @-1h --until latest'},
    {description: 'One day of records.', command: '<%= config.bin %> <%= command.id %> orders --offset @2024-05-01T00:00:00Z --until @2024-05-02T00:00:00Z'},
  ]

  static override args = {
    topic: Args.string({description: 'Topic to read.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    'from-beginning': Flags.boolean({summary: 'Start at the earliest record (default: only new records).',
      exclusive: ['offset']}),
    offset: Flags.string({char: 'o', summary: 'Where to start in each partition: earliest, latest, N, -N, @TIME or @-DURATION.',
      helpValue: 'POINT', exclusive: ['group']}),
    until: Flags.string({summary: 'Stop each partition before its first record at or after: earliest, latest, N, @TIME or @-DURATION.',
      helpValue: 'POINT', exclusive: ['group']}),
    partition: Flags.integer({helpValue: 'N', char: 'p', summary: 'Read only this partition.', min: 0, exclusive: ['group']}),
    group: Flags.string({char: 'g', helpValue: 'GROUP', summary: 'Read as a member of this consumer group, committing what is written.'}),
    'consumer-property': Flags.string({helpValue: 'KEY=VALUE', multiple: true, dependsOn: ['group'],
      summary: 'Group consumer setting, e.g. partition.assignment.strategy=cooperative-sticky.'}),
    verbose: Flags.boolean({char: 'v', summary: 'Note group joins and assignments on stderr.'}),
    'max-messages': Flags.integer({helpValue: 'N', char: 'c', summary: 'Stop after this many records.', min: 1}),
    'exit-at-end': Flags.boolean({char: 'e', summary: 'Stop once every partition has been read to its end.'}),
    'timeout-ms': Flags.integer({helpValue: 'MS', summary: 'Stop after this many milliseconds without a record.', min: 1}),
    format: Flags.string({helpValue: 'FMT', char: 'f', summary: 'Output layout with kcat tokens, e.g. \'%k\\t%s\\n\'.',
      exclusive: ['json', 'property']}),
    property: Flags.string({summary: 'Kafka console-consumer formatter property, e.g. print.key=true.', multiple: true,
      helpValue: 'KEY=VALUE', exclusive: ['json']}),
    json: Flags.boolean({summary: 'Write one JSON object per record per line.'}),
    quiet: Flags.boolean({char: 'q', summary: 'Do not print the record count on stderr.'}),
    'isolation-level': Flags.string({helpValue: 'LEVEL', options: ['read_uncommitted', 'read_committed'], default: 'read_uncommitted',
      summary: 'read_committed shows only committed transactions; read_uncommitted shows every record.'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Consume)
    const format = outputFormat(flags)
    const now = Date.now()
    const start = startSpec({offset: flags.offset, fromBeginning: flags['from-beginning']}, now)
    if (flags.group !== undefined) {
      await this.runGroup(args.topic, flags.group, format, flags)
      return
    }
    const untilSpec = flags.until === undefined ? undefined : parseUntilSpec(flags.until, now)
    const client = await this.connect(flags)
    const admin = client.admin()
    const isolationLevel = flags['isolation-level'] as IsolationLevel
    // 'latest' is the last stable offset under read_committed, as for Kafka's consumer.
    const offsets = {listOffsets: (name: string, partitions: number[], spec: 'earliest' | 'latest' | number) =>
      admin.listOffsets(name, partitions, spec, {isolationLevel})}

    const {selected: assigned} = await selectPartitions(admin, args.topic, flags.partition)

    // Offsets are resolved here, not by the consumer, so --exit-at-end and --until know where each partition starts.
    const bounds = await logBounds(offsets, args.topic, assigned)
    const {positions, warnings} = await startPositions(offsets, args.topic, bounds, start)
    if (!flags.quiet) for (const warning of warnings) this.logToStderr(`Warning: ${warning}`)
    const until = untilSpec === undefined ? undefined : new UntilTracker(await stopPoints(offsets, args.topic, bounds, untilSpec, now), positions)

    const consumer = client.consumer({
      isolationLevel,
      offsetReset: flags['from-beginning'] ? 'earliest' : 'latest',
      onOffsetReset: ({topic: name, partition, from, to, policy}) => {
        if (!flags.quiet) this.logToStderr(`Warning: ${name}/${partition} no longer holds offset ${from}; reading from ${to} (${policy}).`)
      },
    })
    this.closeAtEnd(() => consumer.close())
    await consumer.assign(assigned.map((partition) => ({topic: args.topic, partition, offset: positions.get(partition)!})))

    await this.stream((writer, interrupted) => consumeToOutput(consumer.batches(), writer, {
      format,
      maxMessages: flags['max-messages'],
      exitAtEnd: flags['exit-at-end'],
      startPositions: positions,
      endOffsets: bounds.end,
      timeoutMs: flags['timeout-ms'],
      until,
      onPartitionDone: (partition) => consumer.unassign(args.topic, partition),
      interrupted,
      position: (partition) => consumer.position(args.topic, partition),
    }), flags.quiet)
  }

  private async runGroup(topic: string, groupId: string, format: RecordFormat, flags: GroupFlags): Promise<void> {
    if (groupId.trim() === '') throw new UsageError('--group needs a group id')
    const settings = groupSettings(flags['consumer-property'])
    const client = await this.connect(flags, settings.clientId)
    // An unknown topic is one clear line now, not a group that waits for it.
    await selectPartitions(client.admin(), topic, undefined)
    const stderr = (line: string): void => this.logToStderr(line)
    const consumer = groupConsumer(client, {
      groupId, topic, fromBeginning: flags['from-beginning'], settings, isolationLevel: flags['isolation-level'] as IsolationLevel,
      note: flags.verbose || process.stderr.isTTY ? stderr : null,
      warn: flags.quiet ? null : (line) => stderr(`Warning: ${line}`),
    })
    this.closeAtEnd(() => consumer.close())
    await this.stream((writer, interrupted) => consumeToOutput(consumer.batches(), writer, {
      format,
      maxMessages: flags['max-messages'],
      exitAtEnd: flags['exit-at-end'],
      timeoutMs: flags['timeout-ms'],
      interrupted,
      ...groupPipelineOptions(consumer, topic),
    }), flags.quiet)
  }

  /** Runs the pipeline into stdout until it ends or a signal stops it; reports the count and exits after a signal. */
  private async stream(run: (writer: StreamWriter, interrupted: Promise<void>) => Promise<ConsumeResult>, quiet: boolean): Promise<void> {
    let signal: keyof typeof SIGNAL_EXIT | null = null
    let onSignal = (): void => {}
    const interrupted = new Promise<void>((resolve) => {
      onSignal = resolve
    })
    const onInterrupt = (): void => {
      signal ??= 'SIGINT'
      onSignal()
    }
    const onTerminate = (): void => {
      signal ??= 'SIGTERM'
      onSignal()
    }
    process.once('SIGINT', onInterrupt)
    process.once('SIGTERM', onTerminate)
    // oclif rethrows every stdout error but EPIPE from a global listener, which would end the
    // process with a stack trace on a full disk; the writer owns stdout's errors instead.
    process.stdout.removeAllListeners('error')
    try {
      const result = await run(new StreamWriter(process.stdout), interrupted)
      // After `| head` the count of records rendered says nothing of what the reader took: stay quiet.
      if (!quiet && result.end !== 'output-closed') process.stderr.write(`Processed a total of ${result.count} messages\n`)
      if (result.end === 'interrupted') this.exit(SIGNAL_EXIT[signal ?? 'SIGINT'])
    } finally {
      process.removeListener('SIGINT', onInterrupt)
      process.removeListener('SIGTERM', onTerminate)
    }
  }
}

interface GroupFlags {
  socket?: string
  'bootstrap-server'?: string
  'data-dir'?: string
  'from-beginning': boolean
  'consumer-property'?: string[]
  verbose: boolean
  quiet: boolean
  'max-messages'?: number
  'exit-at-end': boolean
  'timeout-ms'?: number
  'isolation-level': string
}

function outputFormat(flags: {json: boolean; format?: string; property?: string[]}): RecordFormat {
  if (flags.json) return JSON_RECORD_FORMAT
  if (flags.format !== undefined) return parseKcatFormat(flags.format)
  return consoleFormat(flags.property)
}
