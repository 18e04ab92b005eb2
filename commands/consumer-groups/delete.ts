import {Args, Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {UsageError} from '../../src/cli/cli-errors.js'
import {canPrompt, confirm} from '../../src/cli/confirm.js'
import {deleteGroupsError} from '../../src/cli/group-errors.js'

export interface GroupDeleteResult {
  deleted: string[]
}

export default class ConsumerGroupsDelete extends BaseCommand {
  static override summary = 'Delete consumer groups and their committed offsets.'
  static override description = `Deletes each GROUP with every offset it has committed, as kafka-consumer-groups.sh --delete does. \
A group that still has active members is refused (Kafka's "The group is not empty."): stop its consumers first. \
On a terminal, asks for confirmation first unless --yes is given; anywhere else (scripts, pipes, --json) it never asks \
and needs --yes. Prints "Deletion of requested consumer groups ('G') was successful." for the groups deleted; any group \
that could not be deleted (not empty, does not exist) is named in the error, exit status 1.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> old-app',
    {description: 'In a script.', command: '<%= config.bin %> <%= command.id %> old-app older-app --yes'},
  ]

  static override strict = false
  static override args = {
    group: Args.string({description: 'Groups to delete.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    yes: Flags.boolean({char: 'y', summary: 'Delete without asking for confirmation.', aliases: ['force']}),
  }

  async run(): Promise<GroupDeleteResult> {
    const {argv, flags} = await this.parse(ConsumerGroupsDelete)
    const groups = [...new Set(argv as string[])]
    const named = groups.map((g) => `'${g}'`).join(', ')
    if (!flags.yes) {
      if (this.jsonEnabled() || !canPrompt()) {
        throw new UsageError(`refusing to delete consumer group${groups.length === 1 ? '' : 's'} ${named} without confirmation`, 'pass --yes to delete')
      }
      if (!await confirm(`Delete consumer group${groups.length === 1 ? '' : 's'} ${named} and ${groups.length === 1 ? 'its' : 'their'} committed offsets?`)) {
        this.logToStderr('Nothing deleted.')
        return {deleted: []}
      }
    }
    const admin = (await this.connect(flags)).admin()
    const results = await admin.deleteGroups(groups)
    const deleted = results.filter((r) => r.errorCode === 0).map((r) => r.groupId)
    if (deleted.length > 0) this.log(`Deletion of requested consumer groups (${deleted.map((g) => `'${g}'`).join(', ')}) was successful.`)
    const failed = results.filter((r) => r.errorCode !== 0)
    if (failed.length > 0) throw deleteGroupsError(failed)
    return {deleted}
  }
}
