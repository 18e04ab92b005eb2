// What a caller hands the producer, and the check that keeps the batch encoder from meeting
// anything it cannot write.
import type {RecordHeader} from '../protocol/index.js'
import {WeirError} from './errors.js'

export interface OutgoingRecord {
  topic: string
  /** Chosen by key (murmur2) or sticky partitioning when absent. */
  partition?: number
  key: Buffer | null
  value: Buffer | null
  headers?: RecordHeader[]
  /** Milliseconds since the epoch; now when absent. */
  timestamp?: number
}

export const NO_HEADERS: RecordHeader[] = []

/** Rejects what the batch encoder could not write, before the record is counted anywhere. */
export function checkRecord(input: OutgoingRecord): void {
  if (!isPayload(input.key) || !isPayload(input.value)) {
    throw new WeirError('WEIR_ERR_INVALID_RECORD', 'a record key and value must each be a Buffer (or null)')
  }
  for (const header of input.headers ?? NO_HEADERS) {
    if (typeof header?.key !== 'string' || !isPayload(header.value)) {
      throw new WeirError('WEIR_ERR_INVALID_RECORD', 'a record header needs a string key and a Buffer (or null) value')
    }
  }
}

function isPayload(bytes: unknown): boolean {
  return bytes === null || bytes instanceof Uint8Array
}
