/**
 * The broker configs this daemon runs with: what was set at start (validated), over the defaults
 * of broker-config-definitions.ts. From them come the topic configs' broker-wide defaults, in
 * topic-config names, which storage applies to every topic without an override of its own.
 */
import {BROKER_CONFIGS, type BrokerConfigDefinition} from './broker-config-definitions.js'
import {BrokerConfigError} from './errors.js'
import {TOPIC_CONFIG_DEFINITIONS} from './topic-config-definitions.js'

export interface GroupSettings {
  initialRebalanceDelayMs: number
  minSessionTimeoutMs: number
  maxSessionTimeoutMs: number
  maxSize: number
  offsetMetadataMaxBytes: number
  offsetsRetentionMs: number
  offsetsRetentionCheckIntervalMs: number
  offsetsTopicPartitions: number
  offsetsTopicSegmentBytes: number
}

export interface TransactionSettings {
  maxTimeoutMs: number
  abortTimedOutIntervalMs: number
  removeExpiredIntervalMs: number
  stateLogPartitions: number
  stateLogSegmentBytes: number
  transactionalIdExpirationMs: number
}

export class BrokerSettings {
  /** Every broker config at its default. */
  static readonly DEFAULTS = new BrokerSettings(new Map())

  private readonly defaultsOfTopics: Readonly<Record<string, string>>

  private constructor(private readonly explicit: ReadonlyMap<string, string>) {
    this.defaultsOfTopics = Object.freeze(topicDefaultsOf(explicit))
  }

  /** Settings from broker configs by Kafka name; throws BrokerConfigError at the first unknown key or bad value. */
  static from(configs: Readonly<Record<string, string>>): BrokerSettings {
    const explicit = new Map<string, string>()
    for (const [name, value] of Object.entries(configs)) {
      const definition = BROKER_CONFIGS.get(name)
      if (definition === undefined) throw new BrokerConfigError(name, `unknown broker config "${name}"`)
      const refusal = definition.check(value)
      if (refusal !== null) throw new BrokerConfigError(name, `broker config ${name}=${value} ${refusal}`)
      explicit.set(name, value.trim())
    }
    return new BrokerSettings(explicit)
  }

  /** The value set at start, or undefined when the config is at its default. */
  setValue(name: string): string | undefined {
    return this.explicit.get(name)
  }

  /** The value in force: set at start, else the default (null for a finer-unit synonym nobody set). */
  value(name: string): string | null {
    return this.explicit.get(name) ?? definition(name).defaultValue
  }

  get autoCreateTopics(): boolean {
    return this.value('auto.create.topics.enable')?.toLowerCase() === 'true'
  }

  get numPartitions(): number {
    return Number(this.value('num.partitions'))
  }

  /** producer.id.expiration.ms: how long a partition keeps an idle producer's state. */
  get producerIdExpirationMs(): number {
    return Number(this.value('producer.id.expiration.ms'))
  }

  get retentionCheckIntervalMs(): number {
    return Number(this.value('log.retention.check.interval.ms'))
  }

  get cleanerBackoffMs(): number {
    return Number(this.value('log.cleaner.backoff.ms'))
  }

  /** The group coordinator's settings (group.* and offsets.*), as numbers in their own units. */
  get groups(): GroupSettings {
    return {
      initialRebalanceDelayMs: Number(this.value('group.initial.rebalance.delay.ms')),
      minSessionTimeoutMs: Number(this.value('group.min.session.timeout.ms')),
      maxSessionTimeoutMs: Number(this.value('group.max.session.timeout.ms')),
      maxSize: Number(this.value('group.max.size')),
      offsetMetadataMaxBytes: Number(this.value('offset.metadata.max.bytes')),
      offsetsRetentionMs: Number(this.value('offsets.retention.minutes')) * 60_000,
      offsetsRetentionCheckIntervalMs: Number(this.value('offsets.retention.check.interval.ms')),
      offsetsTopicPartitions: Number(this.value('offsets.topic.num.partitions')),
      offsetsTopicSegmentBytes: Number(this.value('offsets.topic.segment.bytes')),
    }
  }

  /** The transaction coordinator's settings (transaction.* and transactional.id.expiration.ms), in ms and counts. */
  get transactions(): TransactionSettings {
    return {
      maxTimeoutMs: Number(this.value('transaction.max.timeout.ms')),
      abortTimedOutIntervalMs: Number(this.value('transaction.abort.timed.out.transaction.cleanup.interval.ms')),
      removeExpiredIntervalMs: Number(this.value('transaction.remove.expired.transaction.cleanup.interval.ms')),
      stateLogPartitions: Number(this.value('transaction.state.log.num.partitions')),
      stateLogSegmentBytes: Number(this.value('transaction.state.log.segment.bytes')),
      transactionalIdExpirationMs: Number(this.value('transactional.id.expiration.ms')),
    }
  }

  /**
   * The topic configs whose default was changed at start, by topic-config name, in milliseconds
   * where the broker config counts hours or minutes (log.retention.ms wins over .minutes over .hours).
   */
  topicDefaults(): Readonly<Record<string, string>> {
    return this.defaultsOfTopics
  }
}

function topicDefaultsOf(explicit: ReadonlyMap<string, string>): Record<string, string> {
  const defaults: Record<string, string> = {}
  for (const topic of TOPIC_CONFIG_DEFINITIONS) {
    const synonym = topic.brokerSynonyms.find(({name}) => explicit.has(name))
    if (synonym !== undefined) defaults[topic.name] = inMilliseconds(explicit.get(synonym.name)!, synonym.unitMs)
  }
  return defaults
}

function definition(name: string): BrokerConfigDefinition {
  const found = BROKER_CONFIGS.get(name)
  if (found === undefined) throw new Error(`no broker config ${name}`)
  return found
}

/** `value` units of `unitMs` each, as milliseconds; a negative value means "forever" (-1), as in Kafka. */
function inMilliseconds(value: string, unitMs: number): string {
  if (unitMs === 1) return value
  const ms = BigInt(value) * BigInt(unitMs)
  return ms < 0n ? '-1' : ms.toString()
}
