import {Args, Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {parseKeyValueList} from '../../src/cli/key-value-pairs.js'
import {TOPIC_EXISTS, hasCode, topicError} from '../../src/cli/topic-errors.js'

export interface TopicCreateResult {
  topic: string
  created: boolean
  partitions: number | null
  replicationFactor: number
  configs: Record<string, string>
}

/** The broker picks the partition count (its --default-partitions) when none is given. */
const BROKER_DEFAULT = -1

export default class TopicsCreate extends BaseCommand {
  static override summary = 'Create a topic.'
  static override description = `Creates TOPIC with the given number of partitions, as kafka-topics.sh --create does. \
Without --partitions the server's default applies (weir server start --default-partitions). \
A single Weir server keeps one copy of each record, so --replication-factor can only be 1; \
it is accepted for scripts written for Kafka. Prints "Created topic TOPIC." on success.`

  static override examples = [
    {description: 'Create a topic with three partitions.', command: '<%= config.bin %> <%= command.id %> orders --partitions 3'},
    {description: 'Keep records for a day, and succeed if the topic is already there.',
      command: '<%= config.bin %> <%= command.id %> orders --config retention.ms=86400000 --if-not-exists'},
  ]

  static override args = {
    topic: Args.string({description: 'Name of the topic to create.', required: true}),
  }

  static override flags = {
    ...connectionFlags,
    partitions: Flags.integer({helpValue: 'N', char: 'p', summary: 'Number of partitions.', min: 1}),
    'replication-factor': Flags.integer({helpValue: 'N', char: 'r', summary: 'Copies of each partition (1 on a single server).', min: 1, default: 1}),
    config: Flags.string({helpValue: 'KEY=VALUE', char: 'c', summary: 'A topic config KEY=VALUE; repeat for more.', multiple: true}),
    'if-not-exists': Flags.boolean({summary: 'Succeed without change if the topic already exists.'}),
  }

  async run(): Promise<TopicCreateResult> {
    const {args, flags} = await this.parse(TopicsCreate)
    const configs = parseKeyValueList(flags.config, 'config')
    const client = await this.connect(flags)
    const [result] = await client.admin().createTopics([{
      name: args.topic,
      partitions: flags.partitions ?? BROKER_DEFAULT,
      replicationFactor: flags['replication-factor'],
      configs,
    }])
    const outcome = {topic: args.topic, partitions: flags.partitions ?? null, replicationFactor: flags['replication-factor'], configs}
    if (result.errorCode !== 0) {
      const error = topicError(result)
      if (!(flags['if-not-exists'] && hasCode(error, TOPIC_EXISTS))) throw error
      this.log(`Topic ${args.topic} already exists.`)
      return {...outcome, created: false}
    }
    this.log(`Created topic ${args.topic}.`)
    return {...outcome, created: true}
  }
}
