import {Args, Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {UsageError} from '../../src/cli/cli-errors.js'
import {canPrompt, confirm} from '../../src/cli/confirm.js'
import {UNKNOWN_TOPIC, hasCode, topicError} from '../../src/cli/topic-errors.js'

export interface TopicDeleteResult {
  topic: string
  deleted: boolean
}

export default class TopicsDelete extends BaseCommand {
  static override summary = 'Delete a topic and all its records.'
  static override description = `Deletes TOPIC and every record in it. This cannot be undone. \
On a terminal, asks for confirmation first unless --yes is given. Anywhere else (scripts, \
pipes, CI, --json) it never asks: without --yes it refuses with exit status 2. \
A missing topic is an error unless --if-exists is given.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    {description: 'In a script: no question, and no failure if it is already gone.',
      command: '<%= config.bin %> <%= command.id %> orders --yes --if-exists'},
  ]

  static override args = {
    topic: Args.string({description: 'Name of the topic to delete.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    yes: Flags.boolean({char: 'y', summary: 'Delete without asking for confirmation.', aliases: ['force']}),
    'if-exists': Flags.boolean({summary: 'Succeed without change if the topic does not exist.'}),
  }

  async run(): Promise<TopicDeleteResult> {
    const {args, flags} = await this.parse(TopicsDelete)
    if (!flags.yes) {
      if (this.jsonEnabled() || !canPrompt()) {
        throw new UsageError(`refusing to delete topic ${args.topic} without confirmation`, 'pass --yes to delete it')
      }
      if (!await confirm(`Delete topic ${args.topic} and all its records?`)) {
        this.logToStderr('Nothing deleted.')
        return {topic: args.topic, deleted: false}
      }
    }
    const client = await this.connect(flags)
    const [result] = await client.admin().deleteTopics([args.topic])
    if (result.errorCode !== 0) {
      const error = topicError(result, 'pass --if-exists to accept a missing topic')
      if (!(flags['if-exists'] && hasCode(error, UNKNOWN_TOPIC))) throw error
      this.log(`Topic ${args.topic} does not exist.`)
      return {topic: args.topic, deleted: false}
    }
    this.log(`Deleted topic ${args.topic}.`)
    return {topic: args.topic, deleted: true}
  }
}
