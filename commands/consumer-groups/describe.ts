import {Args, Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {CliError, UsageError} from '../../src/cli/cli-errors.js'
import {type DescribeView, describeOutput, missingGroupMessage} from '../../src/cli/group-describe-view.js'
import {type GroupJson, groupJson, groupSnapshots} from '../../src/cli/group-snapshot.js'
import {watchArgv, watchFrames} from '../../src/cli/group-watch.js'

export interface GroupDescribeResult {
  groups: GroupJson[]
}

const DEFAULT_WATCH_SECONDS = 2

export default class ConsumerGroupsDescribe extends BaseCommand {
  static override summary = 'Show the lag, members or state of consumer groups.'
  static override description = `Shows where each group stands, in kafka-consumer-groups.sh --describe's columns. \
The default view (--offsets) has one row per partition the group is assigned or has committed: GROUP TOPIC PARTITION \
CURRENT-OFFSET (its committed offset) LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID, with - where there is nothing to \
show (no commit, no member owning the partition); a member without partitions has a row of its own. \
LAG counts the records still to read: from the committed offset, or from the log start when retention or trimming \
has gone past it (records below the log start are gone and never counted), to the log end. \
Under each group's table, its total lag, and each topic's when it reads several; partitions without a committed \
offset have no lag and are named there. \
--members lists members with their decoded assignments (GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS ASSIGNMENT, \
and GROUP-INSTANCE-ID for static members); --state shows GROUP COORDINATOR (ID) ASSIGNMENT-STRATEGY STATE #MEMBERS. \
A group without active members is said so on stderr ("Consumer group 'G' has no active members.") and its committed \
offsets still shown; a group that does not exist is an error (exit 1) after the others are shown. \
--watch [SECONDS] (default ${DEFAULT_WATCH_SECONDS}; a number right after --watch is the interval) redraws the view \
in place on a terminal until Ctrl-C; when stdout is not a terminal, each view is appended under a line with the time, \
so that --watch 60 >> lag.log keeps a history; with --json, one JSON object per line each time. \
--json prints {"groups":[...]} with every group's state, coordinator, members, offsets and lag, whichever view is asked.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders-app',
    {description: 'Every group\'s lag, redrawn every 5 seconds.', command: '<%= config.bin %> <%= command.id %> --all-groups --watch 5'},
    {description: 'Who owns which partition.', command: '<%= config.bin %> <%= command.id %> orders-app --members'},
    {description: 'Total lag for a script.', command: '<%= config.bin %> <%= command.id %> orders-app --json | jq \'.groups[0].totalLag\''},
  ]

  static override strict = false
  static override args = {
    group: Args.string({description: 'Groups to describe.'}),
  }

  static override flags = {
    ...connectionFlags,
    'all-groups': Flags.boolean({summary: 'Describe every group.'}),
    offsets: Flags.boolean({summary: 'Committed offsets and lag per partition (the default view).', exclusive: ['members', 'state']}),
    members: Flags.boolean({summary: 'Members and their assigned partitions.', exclusive: ['offsets', 'state']}),
    state: Flags.boolean({summary: 'Coordinator, assignment strategy, state and member count.', exclusive: ['offsets', 'members']}),
    watch: Flags.string({helpValue: '[SECONDS]', summary: `Show the view again every SECONDS (default ${DEFAULT_WATCH_SECONDS}) until interrupted.`}),
  }

  async run(): Promise<GroupDescribeResult> {
    const {argv, flags} = await this.parse(ConsumerGroupsDescribe, watchArgv(this.argv, DEFAULT_WATCH_SECONDS))
    const named = argv as string[]
    if (named.length > 0 && flags['all-groups']) throw new UsageError('give group names or --all-groups, not both')
    if (named.length === 0 && !flags['all-groups']) throw new UsageError('name the groups to describe, or pass --all-groups')
    const view: DescribeView = flags.members ? 'members' : flags.state ? 'state' : 'offsets'
    const watchMs = flags.watch === undefined ? null : watchInterval(flags.watch)
    const admin = (await this.connect(flags)).admin()
    const snapshots = async () => {
      const ids = flags['all-groups'] ? (await admin.listGroups()).map((g) => g.groupId) : named
      return groupSnapshots(admin, ids, {offsets: view === 'offsets' || this.jsonEnabled()})
    }
    if (watchMs !== null) return this.watch(watchMs, view, snapshots)

    const found = await snapshots()
    const output = describeOutput(view, found)
    for (const note of output.notes) this.logToStderr(note)
    for (const line of output.lines) this.log(line)
    if (flags['all-groups'] && found.length === 0) this.logToStderr('There are no consumer groups.')
    if (output.missing.length > 0) {
      throw new CliError(output.missing.map(missingGroupMessage).join(' '), {code: 'WEIR_ERR_GROUP_NOT_FOUND', hint: 'list groups with: weir consumer-groups list'})
    }
    return {groups: found.map(groupJson)}
  }

  /** --watch: runs until Ctrl-C ends the process. */
  private async watch(intervalMs: number, view: DescribeView, snapshots: () => ReturnType<typeof groupSnapshots>): Promise<never> {
    const json = this.jsonEnabled()
    await watchFrames({
      intervalMs,
      title: `${this.config.bin} consumer-groups describe ${this.argv.join(' ')}`,
      out: process.stdout,
      err: process.stderr,
      bare: json,
      render: async () => {
        const found = await snapshots()
        if (json) return [JSON.stringify({time: new Date().toISOString(), groups: found.map(groupJson)})]
        const output = describeOutput(view, found)
        const said = [...output.notes, ...output.missing.map(missingGroupMessage)]
        return [...said, ...(said.length > 0 && output.lines.length > 0 ? [''] : []), ...output.lines]
      },
    })
    throw new CliError('the watch stopped', {code: 'WEIR_ERR_INTERRUPTED'})
  }
}

function watchInterval(text: string): number {
  const seconds = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !(seconds >= 0.5)) throw new UsageError(`--watch takes a number of seconds (0.5 or more), got '${text}'`)
  return Math.round(seconds * 1000)
}
