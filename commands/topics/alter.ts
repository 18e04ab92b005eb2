import {Args, Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {selectPartitions} from '../../src/cli/partition-selection.js'
import {alterationLines, configOperations, topicAlteration} from '../../src/cli/topic-alteration.js'
import {topicError} from '../../src/cli/topic-errors.js'

export interface TopicAlterResult {
  topic: string
  dryRun: boolean
  set: Record<string, string>
  deleted: string[]
  partitions: {from: number; to: number} | null
}

export default class TopicsAlter extends BaseCommand {
  static override summary = 'Change the configs or the partition count of a topic.'
  static override description = `Sets topic configs (--config KEY=VALUE, as kafka-configs.sh --add-config), removes them so that \
the server's default applies again (--delete-config KEY), and raises the number of partitions (--partitions N; \
it can only grow, and keyed records of existing keys may land in other partitions afterwards). \
Configs change with IncrementalAlterConfigs, or on older Kafka brokers by reading the topic's configs and writing \
them back with AlterConfigs. --dry-run asks the server to check every change and makes none. \
Prints one line per change; see the result with: weir topics describe TOPIC --all-configs.`

  static override examples = [
    {description: 'Keep records for one day.', command: '<%= config.bin %> <%= command.id %> orders --config retention.ms=86400000'},
    {description: 'Back to the server\'s retention, and six partitions.', command: '<%= config.bin %> <%= command.id %> orders --delete-config retention.ms --partitions 6'},
    {description: 'Check a change without making it.', command: '<%= config.bin %> <%= command.id %> orders --config cleanup.policy=compact --dry-run'},
  ]

  static override args = {
    topic: Args.string({description: 'Name of the topic to change.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    config: Flags.string({helpValue: 'KEY=VALUE', char: 'c', summary: 'Set a topic config; repeat for more.', multiple: true}),
    'delete-config': Flags.string({helpValue: 'KEY', summary: 'Remove a topic config so the default applies; repeat for more.', multiple: true}),
    partitions: Flags.integer({helpValue: 'N', char: 'p', summary: 'New total number of partitions (only grows).', min: 1}),
    'dry-run': Flags.boolean({summary: 'Check the changes on the server without making them.'}),
  }

  async run(): Promise<TopicAlterResult> {
    const {args, flags} = await this.parse(TopicsAlter)
    const alteration = topicAlteration(flags)
    const dryRun = flags['dry-run'] === true
    const client = await this.connect(flags)
    const admin = client.admin()
    const from = (await selectPartitions(admin, args.topic, undefined)).all.length

    const operations = configOperations(alteration)
    if (operations.length > 0) {
      const [result] = await admin.incrementalAlterConfigs([{resource: {type: 'topic', name: args.topic}, operations}], {validateOnly: dryRun})
      if (result.errorCode !== 0) throw topicError({name: args.topic, errorCode: result.errorCode, errorMessage: result.errorMessage})
      for (const line of alterationLines(args.topic, {...alteration, partitions: null}, from, dryRun)) this.log(line)
    }
    if (alteration.partitions !== null) {
      const [result] = await admin.createPartitions([{topic: args.topic, count: alteration.partitions}], {validateOnly: dryRun})
      if (result.errorCode !== 0) throw topicError(result)
      for (const line of alterationLines(args.topic, {set: {}, deleted: [], partitions: alteration.partitions}, from, dryRun)) this.log(line)
    }
    return {
      topic: args.topic,
      dryRun,
      set: alteration.set,
      deleted: alteration.deleted,
      partitions: alteration.partitions === null ? null : {from, to: alteration.partitions},
    }
  }
}
