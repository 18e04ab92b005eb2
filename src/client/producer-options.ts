// The producer's settings and their defaults.
import type {Compression} from '../protocol/index.js'
import {WeirError} from './errors.js'

export interface ProducerOptions {
  /** 0: no response; 1: the leader appended; -1: durable (fsync'd on Weir, all in-sync replicas on Kafka). */
  acks?: 0 | 1 | -1
  compression?: Compression
  /** How long a batch waits for more records before it is sent. Default 5. */
  lingerMs?: number
  /** Upper bound on a batch's uncompressed size. Default and maximum: MAX_BATCH_BYTES. */
  batchBytes?: number
  /**
   * Produce requests in flight per broker connection. Default 5. Above 1 and without idempotence, a
   * retried batch may land after later batches of its partition that were already in flight (see the
   * ordering note in producer.ts).
   */
  maxInFlight?: number
  /** Bytes accepted but not yet acknowledged above which send() returns false. Default 32 MiB. */
  bufferBytes?: number
  /** Attempts after the first for a batch that fails with a retriable error. Default 8. */
  retries?: number
  /** First retry delay; doubles per attempt up to 1 s. Default 100. */
  retryBackoffMs?: number
  /**
   * Idempotent delivery (Java's enable.idempotence): the broker drops retried duplicates and keeps each
   * partition in send order. Left out, it is on where the settings allow it (acks -1, at most 5 in flight,
   * retries) and the broker offers InitProducerId, as Java's default; true insists (a usage error with
   * acks 0 or 1, an error against a broker without it); false turns it off.
   */
  idempotence?: boolean
  /** Makes the producer transactional (implies idempotence): see Producer.initTransactions(). */
  transactionalId?: string
  /** How long the coordinator lets a transaction stay open before aborting it. Default 60000, as Java. */
  transactionTimeoutMs?: number
}

/**
 * Kafka's default max.message.bytes is 1048588 (1 MiB + 12); batches stay below 1,000,000 bytes
 * uncompressed so that record overhead never pushes one past it.
 */
export const MAX_BATCH_BYTES = 1_000_000

/** Kafka's broker keeps the last 5 batches of each producer: no more may be unacknowledged per partition. */
export const MAX_IDEMPOTENT_IN_FLIGHT = 5

/** 'required': asked for (fails where impossible); 'preferred': the default, used where the broker offers it. */
export type IdempotenceMode = 'off' | 'preferred' | 'required'

export interface ResolvedProducerOptions extends Required<Omit<ProducerOptions, 'idempotence' | 'transactionalId'>> {
  idempotence: IdempotenceMode
  transactionalId: string | null
}

/** The options with every default filled in and every bound applied. */
export function resolveProducerOptions(options: ProducerOptions): ResolvedProducerOptions {
  const resolved = {
    acks: options.acks ?? -1,
    compression: options.compression ?? 'none',
    lingerMs: options.lingerMs ?? 5,
    batchBytes: Math.min(options.batchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES),
    maxInFlight: Math.max(1, options.maxInFlight ?? 5),
    bufferBytes: options.bufferBytes ?? 32 * 1024 * 1024,
    retries: options.retries ?? 8,
    retryBackoffMs: options.retryBackoffMs ?? 100,
    transactionTimeoutMs: options.transactionTimeoutMs ?? 60_000,
    transactionalId: options.transactionalId ?? null,
  }
  return {...resolved, idempotence: idempotenceMode(options, resolved)}
}

/**
 * Java's rules: idempotence needs acks=all, at most 5 requests in flight and retries. Asked for
 * explicitly (or by a transactional id) with settings against it is a configuration error; left to its
 * default, such settings quietly turn it off.
 */
function idempotenceMode(options: ProducerOptions, resolved: {acks: number; maxInFlight: number; retries: number; transactionalId: string | null}): IdempotenceMode {
  const conflict =
    resolved.acks !== -1 ? `acks=${resolved.acks} (it needs acks=all)`
    : resolved.maxInFlight > MAX_IDEMPOTENT_IN_FLIGHT ? `maxInFlight=${resolved.maxInFlight} (at most ${MAX_IDEMPOTENT_IN_FLIGHT})`
    : resolved.retries <= 0 ? 'retries=0 (it needs retries)'
    : null
  const asked = options.idempotence === true || resolved.transactionalId !== null
  if (asked && conflict) {
    const what = resolved.transactionalId !== null ? 'a transactional producer' : 'idempotence'
    throw new WeirError('WEIR_ERR_PRODUCER_CONFIG', `${what} cannot be used with ${conflict}`)
  }
  if (options.idempotence === false && resolved.transactionalId !== null) {
    throw new WeirError('WEIR_ERR_PRODUCER_CONFIG', 'a transactional producer cannot turn idempotence off')
  }
  if (asked) return 'required'
  return options.idempotence === false || conflict ? 'off' : 'preferred'
}
