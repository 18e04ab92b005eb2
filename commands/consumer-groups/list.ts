import {Flags} from '@oclif/core'

import {UnsupportedVersionError} from '../../src/client/errors.js'
import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {parseGroupStates} from '../../src/cli/group-states.js'
import {formatTable} from '../../src/cli/table.js'

export type GroupListResult = {group: string; state: string; protocolType: string; members: number}[]

export default class ConsumerGroupsList extends BaseCommand {
  static override summary = 'List consumer groups.'
  static override description = `Prints every group the brokers know, sorted, as a table: GROUP STATE PROTOCOL-TYPE MEMBERS. \
PROTOCOL-TYPE is "consumer" for consumer groups, - for groups that only hold offsets committed by tools. \
--state keeps the groups in the given states (Stable, Empty, PreparingRebalance, CompletingRebalance, Dead; any case), \
repeatable or comma-separated. Against a Kafka cluster every broker is asked, since each lists only the groups it \
coordinates. With --json, prints [{"group","state","protocolType","members"}].`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'Groups that are consuming right now.', command: '<%= config.bin %> <%= command.id %> --state stable'},
    {description: 'Group names only, for a script.', command: '<%= config.bin %> <%= command.id %> --json | jq -r \'.[].group\''},
  ]

  static override flags = {
    ...connectionFlags,
    state: Flags.string({helpValue: 'STATE', summary: 'Only groups in this state (repeatable, or STATE,STATE).', multiple: true, delimiter: ','}),
  }

  async run(): Promise<GroupListResult> {
    const {flags} = await this.parse(ConsumerGroupsList)
    const states = parseGroupStates(flags.state ?? [])
    const admin = (await this.connect(flags)).admin()
    let listings
    try {
      listings = await admin.listGroups({states})
    } catch (error) {
      // Brokers before Kafka 2.6 (ListGroups v3) cannot filter: filter on the states DescribeGroups gives.
      if (!(error instanceof UnsupportedVersionError)) throw error
      listings = await admin.listGroups()
    }
    const described = await admin.describeGroups(listings.map((g) => g.groupId))
    const groups = described
      // The state DescribeGroups gives is the later one; a group deleted meanwhile is "Dead".
      .filter((d) => (states.length === 0 ? d.state !== 'Dead' : states.includes(d.state)))
      .map((d) => ({group: d.groupId, state: d.state, protocolType: d.protocolType, members: d.members.length}))
    if (groups.length > 0) {
      const rows = groups.map((g) => [g.group, g.state, g.protocolType === '' ? '-' : g.protocolType, String(g.members)])
      for (const line of formatTable(['GROUP', 'STATE', 'PROTOCOL-TYPE', 'MEMBERS'], rows)) this.log(line)
    }
    return groups
  }
}
