/**
 * What every API handler may use: the logs, this node's identity and address, the topic-creation
 * policy, the broker configs, the log line writer and the broker-wide wake signal. One object per Broker.
 */
import type {LogManager, NameLocks} from '../storage/index.js'
import type {BrokerSettings} from './broker-settings.js'
import type {CorruptionReporter} from './corruption-reporter.js'
import type {GroupCoordinator} from './groups/group-coordinator.js'
import type {OffsetStore} from './groups/offset-store.js'
import type {TransactionCoordinator} from './transactions/transaction-coordinator.js'
import type {WakeSignal} from './wake-signal.js'

export interface AdvertisedAddress {
  host: string
  port: number
}

export interface BrokerOptions {
  logs: LogManager
  /** Kafka node id of this broker; always 1 for a single daemon. */
  nodeId: number
  clusterId: string
  /** The TCP address clients reconnect to after bootstrap; null when TCP is off. */
  advertised: AdvertisedAddress | null
  autoCreateTopics: boolean
  defaultPartitions: number
  /** Broker-wide cap on one Fetch response's record bytes (fetch.max.bytes); default FETCH_MAX_BYTES. */
  fetchMaxBytes?: number
  /**
   * The broker configs set at start (default: none), for DescribeConfigs and the topic configs'
   * defaults; the daemon derives autoCreateTopics and defaultPartitions from the same settings.
   */
  settings?: BrokerSettings
  logger: (line: string) => void
}

/** Kafka's fetch.max.bytes default (55 MiB): no client's MaxBytes makes a response larger. */
export const FETCH_MAX_BYTES = 57_671_680

export interface BrokerContext {
  readonly logs: LogManager
  readonly nodeId: number
  readonly clusterId: string
  /** The address put in Metadata's broker list (a placeholder when TCP is off, see broker.ts). */
  readonly advertised: AdvertisedAddress
  readonly autoCreateTopics: boolean
  readonly defaultPartitions: number
  /** Caps the MaxBytes and PartitionMaxBytes a client asks for (the first batch still goes whole). */
  readonly fetchMaxBytes: number
  readonly settings: BrokerSettings
  readonly log: (line: string) => void
  /** Logs, once each, the damaged batches reads run into. */
  readonly corruption: CorruptionReporter
  readonly wake: WakeSignal
  /** Consumer groups: members, generations, rebalances (JoinGroup, SyncGroup, Heartbeat, ...). */
  readonly groups: GroupCoordinator
  /** Committed offsets and the __consumer_offsets topic that keeps them and the groups' metadata. */
  readonly offsets: OffsetStore
  /** Producer ids, transactional ids and their transactions, and the __transaction_state topic that keeps them. */
  readonly transactions: TransactionCoordinator
  /**
   * Config alterations run one at a time per topic: each reads the topic's overrides, works out the
   * new set and stores it, and two interleaved would each store a set missing the other's change.
   */
  readonly topicAlterations: NameLocks
  /** True once the broker is closing: long polls answer at once. */
  readonly closing: () => boolean
  /**
   * Aborted once the client that sent the request has hung up (stopped sending, or its connection
   * closed): long polls answer at once. Set on the context of requests that came over a connection.
   */
  readonly hangup?: AbortSignal
  /**
   * The client's address as Kafka records a group member's ClientHost ("/10.0.0.7"; "localhost" on
   * the Unix socket). Set on the context of requests that came over a connection.
   */
  readonly clientHost?: string
  /**
   * Called by a handler once it only waits (a long poll between reads): its connection may then
   * start the next request. Set per request by the connection that serves one request at a time.
   */
  readonly parked?: () => void
}
