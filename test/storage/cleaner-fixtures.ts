// Test helper for the log cleaner: compacted logs filled with keyed records, built and read back with
// src/protocol's encoder and decoder (independent of storage's own record reader), which also checks
// every batch's CRC when it decodes it.
import {recordCompression} from '../../src/broker/record-compression.js'
import {type Compression, encodeRecordBatch, inflateBatch, splitBatches} from '../../src/protocol/index.js'
import {type Fs} from '../../src/storage/fs.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'

export const SEGMENT_BYTES = 2048
export const T0 = 1_700_000_000_000

export interface StoredRecord {
  offset: number
  key: string | null
  value: string | null
}

export async function openCompacted(
  dataDir: string,
  configs: Record<string, string> = {},
  options: {fs?: Fs; create?: boolean; logger?: (line: string) => void} = {},
): Promise<{manager: LogManager; log: PartitionLog}> {
  const manager = await LogManager.open(dataDir, {
    minSegmentBytes: SEGMENT_BYTES,
    cleanerIntervalMs: 1_000_000_000,
    compression: recordCompression,
    ...(options.fs && {fs: options.fs}),
    ...(options.logger && {logger: options.logger}),
  })
  if (options.create !== false) {
    await manager.createTopic({
      name: 't',
      partitions: 1,
      configs: {'cleanup.policy': 'compact', 'segment.bytes': String(SEGMENT_BYTES), 'index.interval.bytes': '256', ...configs},
    })
  }
  return {manager, log: manager.partition('t', 0) as PartitionLog}
}

/** The next sequence of each log's idempotent producer: the log refuses a batch out of sequence. */
const nextSequences = new WeakMap<PartitionLog, number>()

/**
 * Appends one batch of [key, value] records (null value: a tombstone); with `producerId`, as that
 * idempotent producer at epoch 3, its sequences starting at 7 in each log.
 */
export async function appendRecords(
  log: PartitionLog,
  records: [string | null, string | null][],
  options: {compression?: Compression; timestamp?: number; producerId?: number} = {},
): Promise<number> {
  const timestamp = options.timestamp ?? T0
  const baseSequence = nextSequences.get(log) ?? 7
  if (options.producerId !== undefined) nextSequences.set(log, baseSequence + records.length)
  const batch = await encodeRecordBatch(
    records.map(([key, value], i) => ({
      key: key === null ? null : Buffer.from(key),
      value: value === null ? null : Buffer.from(value),
      headers: [],
      timestamp: timestamp + i,
    })),
    {compression: options.compression ?? 'none', ...(options.producerId !== undefined && {producerId: options.producerId, producerEpoch: 3, baseSequence})},
  )
  return log.append(batch).baseOffset
}

/** `rounds` rounds of one value for each of `keys` keys, a batch of `perBatch` records at a time. */
export async function fillRounds(log: PartitionLog, keys: number, rounds: number, perBatch = 5, compression: Compression = 'none'): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < keys; k += perBatch) {
      const records: [string, string][] = []
      for (let j = k; j < Math.min(keys, k + perBatch); j++) records.push([`key-${j}`, `value-${j}-round-${round}`])
      await appendRecords(log, records, {compression})
    }
  }
}

/** Every stored batch from the log start, as stored. */
export function storedBatches(log: PartitionLog): Buffer[] {
  const batches: Buffer[] = []
  let offset = log.logStartOffset
  while (offset < log.logEndOffset) {
    const read = splitBatches(log.read(offset, 1 << 20))
    if (read.length === 0) break
    batches.push(...read)
    const last = read[read.length - 1] as Buffer
    offset = Number(last.readBigInt64BE(0)) + last.readInt32BE(23) + 1
  }
  return batches
}

/** Every record from the log start, decoded (CRC checked) by src/protocol. */
export async function readAll(log: PartitionLog): Promise<StoredRecord[]> {
  const records: StoredRecord[] = []
  for (const batch of storedBatches(log)) {
    for (const record of (await inflateBatch(batch)).records) {
      records.push({offset: record.offset, key: record.key?.toString() ?? null, value: record.value?.toString() ?? null})
    }
  }
  return records
}

/** The latest value of each key, as a compacted log must keep it. */
export function latestByKey(records: readonly StoredRecord[]): Map<string | null, StoredRecord> {
  const latest = new Map<string | null, StoredRecord>()
  for (const record of records) latest.set(record.key, record)
  return latest
}

/**
 * Seals the active segment (a retention pass at a time past segment.ms rolls it) and waits until
 * everything is on disk: the cleaner only cleans segments below the recovery point.
 */
export async function roll(log: PartitionLog): Promise<void> {
  const before = log.segmentCount
  await log.enforceRetention(Date.now() + 366 * 24 * 3600 * 1000)
  if (log.segmentCount === before) throw new Error('the active segment did not roll')
  await log.flush()
}
