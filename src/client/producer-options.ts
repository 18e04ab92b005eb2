// The producer's settings and their defaults.
import type {Compression} from '../protocol/index.js'

export interface ProducerOptions {
  /** 0: no response; 1: the leader appended; -1: durable (fsync'd on Weir, all in-sync replicas on Kafka). */
  acks?: 0 | 1 | -1
  compression?: Compression
  /** How long a batch waits for more records before it is sent. Default 5. */
  lingerMs?: number
  /** Upper bound on a batch's uncompressed size. Default and maximum: MAX_BATCH_BYTES. */
  batchBytes?: number
  /**
   * Produce requests in flight per broker connection. Default 5. Above 1, a retried batch may land after
   * later batches of its partition that were already in flight (see the ordering note in producer.ts).
   */
  maxInFlight?: number
  /** Bytes accepted but not yet acknowledged above which send() returns false. Default 32 MiB. */
  bufferBytes?: number
  /** Attempts after the first for a batch that fails with a retriable error. Default 8. */
  retries?: number
  /** First retry delay; doubles per attempt up to 1 s. Default 100. */
  retryBackoffMs?: number
}

/**
 * Kafka's default max.message.bytes is 1048588 (1 MiB + 12); batches stay below 1,000,000 bytes
 * uncompressed so that record overhead never pushes one past it.
 */
export const MAX_BATCH_BYTES = 1_000_000

export type ResolvedProducerOptions = Required<ProducerOptions>

/** The options with every default filled in and every bound applied. */
export function resolveProducerOptions(options: ProducerOptions): ResolvedProducerOptions {
  return {
    acks: options.acks ?? -1,
    compression: options.compression ?? 'none',
    lingerMs: options.lingerMs ?? 5,
    batchBytes: Math.min(options.batchBytes ?? MAX_BATCH_BYTES, MAX_BATCH_BYTES),
    maxInFlight: Math.max(1, options.maxInFlight ?? 5),
    bufferBytes: options.bufferBytes ?? 32 * 1024 * 1024,
    retries: options.retries ?? 8,
    retryBackoffMs: options.retryBackoffMs ?? 100,
  }
}
