/**
 * The internal topic __transaction_state: created by the broker on the first write, with
 * transaction.state.log.num.partitions partitions, compacted, with transaction.state.log.segment.bytes
 * segments. A transactional id lives in the partition transactionStatePartition places it in, over
 * the partition count the topic has (a later change of the setting does not move ids, as in Kafka).
 */
import {transactionStatePartition} from '../../protocol/index.js'
import {TopicExistsError, type LogManager, type PartitionLog, type TopicMetadata} from '../../storage/index.js'
import type {TransactionSettings} from '../broker-settings.js'

export const TRANSACTION_STATE_TOPIC = '__transaction_state'

export class TransactionStateTopic {
  /** The creation under way: concurrent first writes share it, so the topic is created once. */
  private creating: Promise<TopicMetadata> | undefined

  constructor(private readonly logs: LogManager, private readonly settings: TransactionSettings,
    private readonly log: (line: string) => void) {}

  /** The partition logs of the topic, [] when it does not exist yet. */
  partitions(): PartitionLog[] {
    const meta = this.logs.topic(TRANSACTION_STATE_TOPIC)
    if (meta === undefined) return []
    const logs: PartitionLog[] = []
    for (let i = 0; i < meta.partitions; i++) {
      const partition = this.logs.partition(TRANSACTION_STATE_TOPIC, i)
      if (partition !== undefined) logs.push(partition)
    }
    return logs
  }

  /** The partition log holding `transactionalId`'s records, creating the topic when it does not exist. */
  async partitionOf(transactionalId: string): Promise<PartitionLog> {
    const meta = this.logs.topic(TRANSACTION_STATE_TOPIC) ?? await this.create()
    const index = transactionStatePartition(transactionalId, meta.partitions)
    const partition = this.logs.partition(TRANSACTION_STATE_TOPIC, index)
    if (partition === undefined) throw new Error(`${TRANSACTION_STATE_TOPIC}-${index} is missing`)
    return partition
  }

  private create(): Promise<TopicMetadata> {
    this.creating ??= this.createTopic().finally(() => {
      this.creating = undefined
    })
    return this.creating
  }

  private async createTopic(): Promise<TopicMetadata> {
    const spec = {name: TRANSACTION_STATE_TOPIC, partitions: this.settings.stateLogPartitions,
      configs: {'cleanup.policy': 'compact', 'segment.bytes': String(this.settings.stateLogSegmentBytes)}}
    try {
      const meta = await this.logs.createTopic(spec)
      this.log(`created ${TRANSACTION_STATE_TOPIC} with ${meta.partitions} partitions`)
      return meta
    } catch (error) {
      const existing = this.logs.topic(TRANSACTION_STATE_TOPIC)
      if (error instanceof TopicExistsError && existing !== undefined) return existing
      throw error
    }
  }
}
