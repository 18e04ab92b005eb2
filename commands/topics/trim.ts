import {Args, Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {CliError, UsageError} from '../../src/cli/cli-errors.js'
import {canPrompt, confirm} from '../../src/cli/confirm.js'
import {parseOffsetSpec} from '../../src/cli/offsets-spec.js'
import {logBounds} from '../../src/cli/partition-positions.js'
import {selectPartitions} from '../../src/cli/partition-selection.js'
import {type TrimmedPartition, trimTableLines, trimTargets, trimmedPartitions, trimmedRecords} from '../../src/cli/topic-trim.js'

export interface TopicTrimResult {
  topic: string
  partitions: TrimmedPartition[]
}

export default class TopicsTrim extends BaseCommand {
  static override summary = 'Delete the oldest records of a topic.'
  static override description = `Deletes every record before a point in each partition of TOPIC (or only --partition N), as \
kafka-delete-records.sh and rpk topic trim-prefix do: the partition's log start offset moves up to that point, \
and readers below it go on from the new start. POINT is an offset N, -N (keep the last N records), end (delete \
every record), @TIME (keep records from the first one at or after TIME: epoch ms or ISO-8601) or @-DURATION \
(keep the last hour with @-1h). Records are gone for good; disk space comes back as whole segments go. \
On a terminal, asks first unless --yes is given; anywhere else it needs --yes. \
Prints TOPIC, PARTITION, PRIOR-START-OFFSET and NEW-START-OFFSET for each partition.`

  static override examples = [
    {description: 'Delete what partition 0 holds before offset 1000.', command: '<%= config.bin %> <%= command.id %> orders --before 1000 --partition 0'},
    {description: 'Keep only the last day, in a script.', command: '<%= config.bin %> <%= command.id %> orders --before @-1d --yes'},
    {description: 'Empty the topic but keep it.', command: '<%= config.bin %> <%= command.id %> orders --before end --yes'},
  ]

  static override args = {
    topic: Args.string({description: 'Topic to trim.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    before: Flags.string({helpValue: 'POINT', summary: 'Delete records before: N, -N, end, @TIME or @-DURATION.', required: true}),
    partition: Flags.integer({helpValue: 'N', char: 'p', summary: 'Trim only this partition.', min: 0}),
    yes: Flags.boolean({char: 'y', summary: 'Delete without asking for confirmation.', aliases: ['no-confirm']}),
  }

  async run(): Promise<TopicTrimResult> {
    const {args, flags} = await this.parse(TopicsTrim)
    const spec = parseOffsetSpec(flags.before, Date.now(), 'before')
    if (!flags.yes && (this.jsonEnabled() || !canPrompt())) {
      throw new UsageError(`refusing to delete records of topic ${args.topic} without confirmation`, 'pass --yes to delete them')
    }
    const client = await this.connect(flags)
    const admin = client.admin()
    const {selected: partitions} = await selectPartitions(admin, args.topic, flags.partition)
    const bounds = await logBounds(admin, args.topic, partitions)
    const targets = await trimTargets(admin, args.topic, bounds, spec)

    const where = flags.partition === undefined ? `all ${partitions.length} partitions` : `partition ${flags.partition}`
    if (!flags.yes && !await confirm(`Delete ${trimmedRecords(spec)} in ${where} of topic ${args.topic}?`)) {
      this.logToStderr('Nothing deleted.')
      return {topic: args.topic, partitions: []}
    }
    const rows = trimmedPartitions(await admin.deleteRecords(args.topic, targets), bounds)
    for (const line of trimTableLines(args.topic, rows)) this.log(line)
    const failed = rows.filter((row) => row.error !== null)
    if (failed.length > 0) {
      const first = failed[0]!
      throw new CliError(`could not trim ${failed.length} of ${rows.length} partitions of ${args.topic}: ${args.topic}/${first.partition} ${first.error}`,
        {code: 'WEIR_ERR_TRIM'})
    }
    return {topic: args.topic, partitions: rows}
  }
}
