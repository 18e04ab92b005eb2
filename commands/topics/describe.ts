import {Args, Flags} from '@oclif/core'

import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {UNKNOWN_TOPIC, hasCode, topicError} from '../../src/cli/topic-errors.js'
import {describeTopicLines} from '../../src/cli/topic-describe-format.js'

export interface TopicDescribeResult {
  topics: {
    name: string
    topicId: string
    internal: boolean
    partitionCount: number
    replicationFactor: number
    partitions: {partition: number; leader: number; replicas: number[]; isr: number[]}[]
  }[]
}

export default class TopicsDescribe extends BaseCommand {
  static override summary = 'Show the partitions of topics.'
  static override description = `Prints each topic in the layout of kafka-topics.sh --describe, which existing scripts parse: \
a header line (Topic, TopicId, PartitionCount, ReplicationFactor), then one line per partition \
that starts with a TAB (Topic, Partition, Leader, Replicas, Isr), fields separated by TABs. \
Without TOPIC, describes every topic. A missing topic is an error unless --if-exists is given.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    {description: 'Leaders of every partition, as JSON.', command: '<%= config.bin %> <%= command.id %> orders --json'},
  ]

  static override strict = false
  static override args = {
    topic: Args.string({description: 'Topics to describe (default: all).'}),
  }

  static override flags = {
    ...connectionFlags,
    'if-exists': Flags.boolean({summary: 'Skip missing topics instead of failing.'}),
    'exclude-internal': Flags.boolean({summary: 'Leave out internal topics when describing all.'}),
  }

  async run(): Promise<TopicDescribeResult> {
    const {argv, flags} = await this.parse(TopicsDescribe)
    const client = await this.connect(flags)
    const admin = client.admin()
    let names = argv as string[]
    if (names.length === 0) {
      const listed = await admin.listTopics()
      names = listed.filter((topic) => !(flags['exclude-internal'] && topic.internal)).map((topic) => topic.name).sort()
    }
    if (names.length === 0) return {topics: []}
    const found = []
    for (const topic of await admin.describeTopics(names)) {
      if (topic.errorCode === 0) {
        found.push(topic)
        continue
      }
      const error = topicError({name: topic.name, errorCode: topic.errorCode}, 'pass --if-exists to skip missing topics')
      if (!(flags['if-exists'] && hasCode(error, UNKNOWN_TOPIC))) throw error
    }
    const topics: TopicDescribeResult['topics'] = []
    for (const topic of found) {
      for (const line of describeTopicLines(topic)) this.log(line)
      topics.push({
        name: topic.name,
        topicId: topic.topicId,
        internal: topic.internal,
        partitionCount: topic.partitions.length,
        replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
        partitions: [...topic.partitions].sort((a, b) => a.partition - b.partition)
          .map(({partition, leader, replicas, isr}) => ({partition, leader, replicas: [...replicas], isr: [...isr]})),
      })
    }
    return {topics}
  }
}
