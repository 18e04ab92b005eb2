import {Args, Flags} from '@oclif/core'

import type {Admin, ConfigDescription} from '../../src/client/index.js'
import {UnsupportedVersionError} from '../../src/client/errors.js'
import {BaseCommand, connectionFlags} from '../../src/cli/base-command.js'
import {type TopicConfig, configTableLines, setConfigs, topicConfig} from '../../src/cli/topic-config-format.js'
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
    /** The configs something set (all of them with --all-configs); null when the broker could not say. */
    configs: TopicConfig[] | null
  }[]
}

export default class TopicsDescribe extends BaseCommand {
  static override summary = 'Show the partitions of topics.'
  static override description = `Prints each topic in the layout of kafka-topics.sh --describe, which existing scripts parse: \
a header line (Topic, TopicId, PartitionCount, ReplicationFactor, Configs), then one line per partition \
that starts with a TAB (Topic, Partition, Leader, Replicas, Isr), fields separated by TABs. \
Configs lists what was set for the topic or by the server's settings, as KEY=VALUE joined by commas; \
--all-configs adds a table of every config with its value and source (DYNAMIC_TOPIC_CONFIG: set on the topic, \
STATIC_BROKER_CONFIG: the server's setting, DEFAULT_CONFIG: the built-in default). \
Without TOPIC, describes every topic. A missing topic is an error unless --if-exists is given.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> orders',
    {description: 'Leaders of every partition, as JSON.', command: '<%= config.bin %> <%= command.id %> orders --json'},
    {description: 'Every config of the topic, with where its value comes from.', command: '<%= config.bin %> <%= command.id %> orders --all-configs'},
  ]

  static override strict = false
  static override args = {
    topic: Args.string({description: 'Topics to describe (default: all).'}),
  }

  static override flags = {
    ...connectionFlags,
    'if-exists': Flags.boolean({summary: 'Skip missing topics instead of failing.'}),
    'exclude-internal': Flags.boolean({summary: 'Leave out internal topics when describing all.'}),
    'all-configs': Flags.boolean({summary: 'Show every config of the topic with its source, defaults included.'}),
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
    const configs = await topicConfigs(admin, found.map((topic) => topic.name), flags['all-configs'])
    const topics: TopicDescribeResult['topics'] = []
    for (const [index, topic] of found.entries()) {
      const shown = configs?.get(topic.name) ?? null
      if (flags['all-configs'] && index > 0) this.log('')
      for (const line of describeTopicLines({...topic, configs: shown === null ? undefined : setConfigs(shown)})) this.log(line)
      if (flags['all-configs'] && shown !== null) for (const line of configTableLines(shown)) this.log(line)
      topics.push({
        name: topic.name,
        topicId: topic.topicId,
        internal: topic.internal,
        partitionCount: topic.partitions.length,
        replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
        partitions: [...topic.partitions].sort((a, b) => a.partition - b.partition)
          .map(({partition, leader, replicas, isr}) => ({partition, leader, replicas: [...replicas], isr: [...isr]})),
        configs: shown,
      })
    }
    return {topics}
  }
}

/**
 * Each topic's configs: those something set, or all of them. A broker without DescribeConfigs (before
 * Kafka 0.11), or a topic it cannot describe, leaves the configs out rather than failing the description.
 */
async function topicConfigs(admin: Admin, names: string[], all: boolean): Promise<Map<string, TopicConfig[]> | null> {
  if (names.length === 0) return new Map()
  let described: ConfigDescription[]
  try {
    described = await admin.describeConfigs(names.map((name) => ({type: 'topic', name})))
  } catch (error) {
    if (error instanceof UnsupportedVersionError) return null
    throw error
  }
  const configs = new Map<string, TopicConfig[]>()
  for (const description of described) {
    if (description.errorCode !== 0) continue
    const entries = description.configs.map(topicConfig)
    configs.set(description.resource.name, all ? entries : entries.filter((entry) => !entry.isDefault))
  }
  return configs
}
