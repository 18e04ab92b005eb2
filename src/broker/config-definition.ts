/**
 * What the broker knows about one config key, topic or broker: its type, default, documentation
 * and value check; and the codes DescribeConfigs reports them with.
 */
import type {Check} from './config-checks.js'

/** Kafka's ConfigDef types as DescribeConfigs (v3+) numbers them. */
export const ConfigType = {
  BOOLEAN: 1,
  STRING: 2,
  INT: 3,
  SHORT: 4,
  LONG: 5,
  DOUBLE: 6,
  LIST: 7,
  CLASS: 8,
  PASSWORD: 9,
} as const

export type ConfigTypeValue = (typeof ConfigType)[keyof typeof ConfigType]

/** Where a value comes from, as DescribeConfigs (v1+) reports it. */
export const ConfigSource = {
  /** A topic's own override (Kafka's DYNAMIC_TOPIC_CONFIG). */
  TOPIC_CONFIG: 1,
  /** Set at start: `weir server start --config` or <data-dir>/server.properties. */
  STATIC_BROKER_CONFIG: 4,
  /** Nobody set it: Kafka's default. */
  DEFAULT_CONFIG: 5,
} as const

export type ConfigSourceValue = (typeof ConfigSource)[keyof typeof ConfigSource]

export interface ConfigDefinition {
  readonly name: string
  readonly type: ConfigTypeValue
  /** The value when nobody sets it; null where Kafka has none (a synonym decides). */
  readonly defaultValue: string | null
  readonly documentation: string
  readonly check: Check
}
