import {Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'

export interface TopicListResult {
  topics: {name: string; partitions: number; internal: boolean}[]
}

export default class TopicsList extends BaseCommand {
  static override summary = 'List topics.'
  static override description = `Prints the name of every topic, one per line and sorted, as kafka-topics.sh --list does. \
Internal topics (such as __consumer_offsets) are included unless --exclude-internal is given. \
With --json, prints {"topics":[{"name","partitions","internal"}]}.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'Topic names and partition counts, for scripts.', command: '<%= config.bin %> <%= command.id %> --json'},
    {description: 'List the topics of a Kafka cluster.', command: '<%= config.bin %> <%= command.id %> --bootstrap-server kafka1:9092'},
  ]

  static override flags = {
    ...connectionFlags,
    'exclude-internal': Flags.boolean({summary: 'Leave out internal topics.'}),
  }

  async run(): Promise<TopicListResult> {
    const {flags} = await this.parse(TopicsList)
    const client = await this.connect(flags)
    const all = await client.admin().listTopics()
    const topics = all
      .filter((topic) => !(flags['exclude-internal'] && topic.internal))
      .map(({name, partitions, internal}) => ({name, partitions, internal}))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const topic of topics) this.log(topic.name)
    return {topics}
  }
}
