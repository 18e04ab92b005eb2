import {Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {UsageError} from '../../src/cli/cli-errors.js'
import {formatResetCsv} from '../../src/cli/offset-reset-csv.js'
import {readResetFile} from '../../src/cli/offset-reset-file.js'
import {checkGroupsInactive, commitFailure, commitPlannedOffsets, selectedGroups} from '../../src/cli/offset-reset-groups.js'
import {planReset} from '../../src/cli/offset-reset-inputs.js'
import {type ResetOffsetsResult, committedRows, plannedRows, resetTableLines} from '../../src/cli/offset-reset-output.js'
import {groupSelection, resetScope} from '../../src/cli/offset-reset-scope.js'
import {parseResetSpec} from '../../src/cli/offset-reset-spec.js'

const SPEC = 'TARGET'
const SCOPE = 'SCOPE'

export default class ConsumerGroupsResetOffsets extends BaseCommand {
  static override summary = 'Move the committed offsets of inactive consumer groups.'
  static override description = `kafka-consumer-groups.sh --reset-offsets: moves the offsets GROUP (--group, repeatable, or \
--all-groups) has committed for the partitions of --topic TOPIC[:P,P..] (repeatable) or --all-topics (those it has \
offsets for) to one place: --to-earliest, --to-latest, --to-offset N, --shift-by N (from the committed offset, + or -), \
--to-datetime TIME, --by-duration DURATION (that long ago), --to-current (the committed offset; the log end without one) \
or --from-file FILE. Offsets outside a partition's log are moved to its start or end, with a warning; a time with no \
record at or after it gives the log end. \
Without --execute this is a dry run: it prints the plan (GROUP TOPIC PARTITION NEW-OFFSET) and changes nothing. \
A group with active members is refused, since their next commit would undo the reset: stop its consumers first. \
--export prints the plan as Kafka's CSV (topic,partition,offset for one --group, group,topic,partition,offset \
otherwise), which --from-file reads back, from a file or from stdin with -; the file names its partitions, and a --topic \
narrows them.`

  static override examples = [
    {description: 'See where billing would start again from the beginning of orders.', command: '<%= config.bin %> <%= command.id %> --group billing --topic orders --to-earliest'},
    {description: 'Replay the last two hours of every topic billing reads.', command: '<%= config.bin %> <%= command.id %> --group billing --all-topics --by-duration PT2H --execute'},
    {description: 'Skip 100 records in partitions 0 and 1.', command: '<%= config.bin %> <%= command.id %> --group billing --topic orders:0,1 --shift-by 100 --execute'},
    {description: 'Save the current offsets, and put them back later.', command: '<%= config.bin %> <%= command.id %> --group billing --all-topics --to-current --export > billing.csv\n<%= config.bin %> <%= command.id %> --group billing --from-file billing.csv --execute'},
  ]

  static override flags = {
    ...connectionFlags,
    group: Flags.string({char: 'g', helpValue: 'GROUP', summary: 'Consumer group to reset (repeatable).', multiple: true, helpGroup: SCOPE}),
    'all-groups': Flags.boolean({summary: 'Reset every consumer group.', helpGroup: SCOPE}),
    topic: Flags.string({char: 't', helpValue: 'TOPIC[:P,P..]', summary: 'Reset this topic, or these partitions of it (repeatable).', multiple: true, helpGroup: SCOPE}),
    'all-topics': Flags.boolean({summary: 'Reset every topic the group has committed offsets for.', helpGroup: SCOPE}),
    'to-earliest': Flags.boolean({summary: 'To the log start offset.', helpGroup: SPEC}),
    'to-latest': Flags.boolean({summary: 'To the log end offset.', helpGroup: SPEC}),
    'to-current': Flags.boolean({summary: 'To the committed offset (the log end without one).', helpGroup: SPEC}),
    'to-offset': Flags.string({helpValue: 'N', summary: 'To offset N.', helpGroup: SPEC}),
    'shift-by': Flags.string({helpValue: 'N', summary: 'By N records from the committed offset (+N forward, -N back).', helpGroup: SPEC}),
    'to-datetime': Flags.string({helpValue: 'TIME', summary: 'To the first record at or after TIME: YYYY-MM-DDTHH:mm:SS.sss (UTC unless it names a zone) or epoch ms.', helpGroup: SPEC}),
    'by-duration': Flags.string({helpValue: 'DURATION', summary: 'To the first record of DURATION ago: PnDTnHnMnS or 1d2h30m.', helpGroup: SPEC}),
    'from-file': Flags.string({helpValue: 'FILE', summary: 'To the offsets of a CSV file written by --export (- reads stdin).', helpGroup: SPEC}),
    execute: Flags.boolean({summary: 'Commit the new offsets (without it, only print them).', exclusive: ['dry-run']}),
    'dry-run': Flags.boolean({summary: 'Only print the new offsets (the default).', exclusive: ['execute']}),
    export: Flags.boolean({summary: 'Print the plan as CSV for --from-file.'}),
  }

  async run(): Promise<ResetOffsetsResult> {
    const {flags} = await this.parse(ConsumerGroupsResetOffsets)
    const spec = parseResetSpec(flags, Date.now())
    const selection = groupSelection(flags)
    const scope = resetScope(flags, spec)
    if (flags.export && this.jsonEnabled()) throw new UsageError('give --export or --json, not both')
    const file = spec.kind === 'file' ? await readResetFile(spec.path, selection) : undefined

    const admin = (await this.connect(flags)).admin()
    const groups = await selectedGroups(admin, selection)
    await checkGroupsInactive(admin, groups)
    const plan = await planReset(admin, {groups, spec, scope, file})
    for (const warning of plan.warnings) this.logToStderr(`Warning: ${warning}`)
    const offsets = plan.groups.flatMap((group) => group.plan.offsets)
    const execute = flags.execute === true

    const rows = execute ? committedRows(offsets, await commitPlannedOffsets(admin, offsets)) : plannedRows(offsets)
    if (flags.export) {
      for (const line of formatResetCsv(rows, !(selection.kind === 'named' && selection.groups.length === 1))) this.log(line)
    } else if (rows.length > 0) {
      for (const line of resetTableLines(rows)) this.log(line)
    }
    if (rows.length === 0) this.logToStderr(groups.length === 0 ? 'No consumer groups to reset.' : 'No partitions to reset.')
    if (!execute) this.logToStderr('Dry run: nothing was committed. Pass --execute to commit these offsets.')
    const failure = commitFailure(rows)
    if (failure !== null) throw failure
    return {executed: execute, offsets: rows, warnings: plan.warnings}
  }
}
