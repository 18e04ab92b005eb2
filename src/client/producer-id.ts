// InitProducerId, the request that gives a producer its id and epoch. An idempotent producer asks any
// broker; a transactional one asks its transaction coordinator (transaction-manager.ts), which bumps the
// epoch of the transactional id and so fences older instances. Since v3 (KIP-360) the request may name
// the producer's current id and epoch, so that a producer whose sequences went astray continues with a
// bumped epoch instead of a new id.
import {ApiKey, ErrorCode, errorInfo, type InitProducerIdResponse} from '../protocol/index.js'
import type {BrokerConnection, Cluster} from './cluster.js'
import {KafkaProtocolError, isTransportError} from './errors.js'
import {backoffMs, sleep} from './retry.js'

export interface ProducerIdAndEpoch {
  producerId: number
  epoch: number
}

export const NO_PRODUCER: ProducerIdAndEpoch = {producerId: -1, epoch: -1}

/** The timeout an idempotent producer sends (the broker ignores it without a transactional id). */
const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000

/** The first InitProducerId version whose request carries the current id and epoch. */
export const FIRST_EPOCH_BUMP_VERSION = 3

/** Answers after which InitProducerId is simply sent again (after a backoff). */
const RETRY_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  ErrorCode.COORDINATOR_NOT_AVAILABLE,
  ErrorCode.NOT_COORDINATOR,
  ErrorCode.CONCURRENT_TRANSACTIONS,
])

export function isInitRetriable(errorCode: number): boolean {
  return RETRY_ERRORS.has(errorCode)
}

/** Whether this broker can bump an epoch on request (InitProducerId v3+). */
export function canBumpEpoch(broker: BrokerConnection): boolean {
  return (broker.versions.brokerRange(ApiKey.InitProducerId)?.max ?? -1) >= FIRST_EPOCH_BUMP_VERSION
}

/** Whether the broker offers InitProducerId at all (Kafka 0.11+; Weir once its coordinator runs). */
export function offersProducerIds(broker: BrokerConnection): boolean {
  return broker.versions.brokerRange(ApiKey.InitProducerId) !== undefined
}

/**
 * One InitProducerId request. `current` is sent where the version carries it (v3+), so the broker bumps
 * that epoch; older brokers ignore it (a new id, or the transactional id's next epoch).
 */
export async function sendInitProducerId(broker: BrokerConnection, transactionalId: string | null, transactionTimeoutMs: number,
  current: ProducerIdAndEpoch = NO_PRODUCER): Promise<InitProducerIdResponse> {
  const version = broker.versions.version(ApiKey.InitProducerId)
  const request = {transactionalId, transactionTimeoutMs, producerId: current.producerId, producerEpoch: current.epoch}
  return broker.connection.request(ApiKey.InitProducerId, version, request)
}

/** Epochs are int16: at the last one a producer needs a new id instead. */
const MAX_EPOCH = 32767

/**
 * An idempotent producer's id from any broker, asked again (with backoff, until `attempts` run out) while
 * the broker is not ready or the connection fails. With `current`, the broker is asked to bump that epoch
 * (v3+). null when the broker has no InitProducerId at all.
 */
export async function obtainProducerId(cluster: Cluster, current: ProducerIdAndEpoch, attempts: number, backoffBaseMs: number): Promise<ProducerIdAndEpoch | null> {
  for (let attempt = 0; ; attempt++) {
    let failure: Error
    try {
      const broker = await cluster.anyConnection()
      if (!offersProducerIds(broker)) return null
      const bumpable = current.producerId >= 0 && current.epoch < MAX_EPOCH && canBumpEpoch(broker)
      const response = await sendInitProducerId(broker, null, DEFAULT_TRANSACTION_TIMEOUT_MS, bumpable ? current : NO_PRODUCER)
      if (response.errorCode === ErrorCode.NONE) return {producerId: response.producerId, epoch: response.producerEpoch}
      failure = new KafkaProtocolError(response.errorCode, 'InitProducerId')
      if (!isInitRetriable(response.errorCode) && !errorInfo(response.errorCode).retriable) throw failure
    } catch (error) {
      if (!isTransportError(error)) throw error
      failure = error as Error
    }
    if (attempt >= attempts) throw failure
    await sleep(backoffMs(attempt, backoffBaseMs), cluster.signal)
  }
}
