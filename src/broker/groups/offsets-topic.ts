/**
 * The internal topic __consumer_offsets: created by the broker on the first write, with
 * offsets.topic.num.partitions partitions, compacted, with offsets.topic.segment.bytes segments.
 * A group lives in the partition consumerOffsetsPartition places it in, over the partition count
 * the topic has (which a later change of the setting does not alter, as in Kafka).
 */
import {consumerOffsetsPartition} from '../../protocol/index.js'
import {TopicExistsError, type LogManager, type PartitionLog, type TopicMetadata} from '../../storage/index.js'
import type {GroupSettings} from '../broker-settings.js'

export const CONSUMER_OFFSETS_TOPIC = '__consumer_offsets'

export class OffsetsTopic {
  /** The creation under way: concurrent first writes share it, so the topic is created once. */
  private creating: Promise<TopicMetadata> | undefined

  constructor(private readonly logs: LogManager, private readonly settings: GroupSettings,
    private readonly log: (line: string) => void) {}

  /** The partition logs of the topic, [] when it does not exist yet. */
  partitions(): PartitionLog[] {
    const meta = this.logs.topic(CONSUMER_OFFSETS_TOPIC)
    if (meta === undefined) return []
    const logs: PartitionLog[] = []
    for (let i = 0; i < meta.partitions; i++) {
      const partition = this.logs.partition(CONSUMER_OFFSETS_TOPIC, i)
      if (partition !== undefined) logs.push(partition)
    }
    return logs
  }

  /** Partition `index` of the topic, undefined when the topic or the partition does not exist. */
  partitionAt(index: number): PartitionLog | undefined {
    return this.logs.partition(CONSUMER_OFFSETS_TOPIC, index)
  }

  /** The partition index of `groupId`, creating the topic when it does not exist. */
  async partitionIndexOf(groupId: string): Promise<number> {
    const meta = this.logs.topic(CONSUMER_OFFSETS_TOPIC) ?? await this.create()
    return consumerOffsetsPartition(groupId, meta.partitions)
  }

  /** The partition index of `groupId` in the topic as it is, undefined when it does not exist yet. */
  existingPartitionIndexOf(groupId: string): number | undefined {
    const meta = this.logs.topic(CONSUMER_OFFSETS_TOPIC)
    return meta === undefined ? undefined : consumerOffsetsPartition(groupId, meta.partitions)
  }

  /** The partition log holding `groupId`'s records, creating the topic when it does not exist. */
  async partitionOf(groupId: string): Promise<PartitionLog> {
    const meta = this.logs.topic(CONSUMER_OFFSETS_TOPIC) ?? await this.create()
    const index = consumerOffsetsPartition(groupId, meta.partitions)
    const partition = this.logs.partition(CONSUMER_OFFSETS_TOPIC, index)
    if (partition === undefined) throw new Error(`${CONSUMER_OFFSETS_TOPIC}-${index} is missing`)
    return partition
  }

  private create(): Promise<TopicMetadata> {
    this.creating ??= this.createTopic().finally(() => {
      this.creating = undefined
    })
    return this.creating
  }

  private async createTopic(): Promise<TopicMetadata> {
    const spec = {name: CONSUMER_OFFSETS_TOPIC, partitions: this.settings.offsetsTopicPartitions,
      configs: {'cleanup.policy': 'compact', 'segment.bytes': String(this.settings.offsetsTopicSegmentBytes)}}
    try {
      const meta = await this.logs.createTopic(spec)
      this.log(`created ${CONSUMER_OFFSETS_TOPIC} with ${meta.partitions} partitions`)
      return meta
    } catch (error) {
      const existing = this.logs.topic(CONSUMER_OFFSETS_TOPIC)
      if (error instanceof TopicExistsError && existing !== undefined) return existing
      throw error
    }
  }
}
