/**
 * What the log cleaner keeps of one stored batch, Kafka's rules (LogCleaner.shouldRetainRecord and
 * MemoryRecords.filterTo) for RecordBatch v2:
 *
 * - A batch of an aborted transaction is dropped whole (cleaner-transactions.ts).
 * - A control batch (attributes bit 5: a transaction marker) is kept as it is while a batch of its
 *   transaction is left; after that it gets a delete horizon like a tombstone's (below), and the
 *   first cleaning after the horizon drops it.
 * - A record past the offset map's reach (above the last offset it was built from) is kept.
 * - Otherwise a record is kept when it has a key, its offset is the latest the map holds for that
 *   key, and it has a value or is a tombstone whose batch's delete horizon has not passed yet. A
 *   record without a key is dropped: a compacted topic refuses them, so they can only predate
 *   compaction.
 * - A batch keeping all its records is kept byte for byte, unless it keeps a tombstone and has no
 *   delete horizon yet; a batch keeping none is dropped; any other is rewritten.
 *
 * Delete horizon (KIP-534): the first cleaning that keeps a tombstone marks its batch (attributes bit
 * 6) and stores now + delete.retention.ms as the batch's baseTimestamp, the record timestamp deltas
 * moved to match, so every record keeps its timestamp. Cleanings after that time drop the batch's
 * tombstones. So a tombstone stays readable at least delete.retention.ms after it was first
 * compacted: long enough for a consumer that read the key's earlier value to see the deletion.
 *
 * A rewritten batch keeps its baseOffset and lastOffsetDelta (the offsets of the records it kept do
 * not move; gaps are allowed), partition leader epoch, producerId, producerEpoch, baseSequence and
 * attributes (codec, timestamp type, transactional); it gets the new record count, for CreateTime
 * the largest timestamp of the records it kept, its records section compressed again with its
 * codec, and a new CRC-32C.
 */
import {crc32c} from '@node-rs/crc32'
import {CODEC_MASK, type RecordCompression} from './cleaner-compression.js'
import {type OffsetMap} from './cleaner-offset-map.js'
import {type CleanerTransactions} from './cleaner-transactions.js'
import {encodeRecords, readRecords, recordKey, type RecordTable} from './cleaner-records.js'
import {ATTRIBUTES_AT, BATCH_HEADER_SIZE, BATCH_LENGTH_AT, CONTROL_FLAG, CRC_AT, LOG_APPEND_TIME_FLAG, LOG_OVERHEAD, MAX_TIMESTAMP_AT} from './stored-batch.js'

/** header fields storage otherwise never reads (stored-batch.ts has the others) */
const BASE_TIMESTAMP_AT = 27
const RECORD_COUNT_AT = 57
const DELETE_HORIZON_FLAG = 0x40

/** A batch's records, decompressed, and where each lies. */
export interface OpenedBatch {
  baseOffset: number
  data: Buffer
  table: RecordTable
}

/** Whether a batch is a control batch (kept as it is, and never put in the offset map). */
export function isControlBatch(batch: Buffer): boolean {
  return (batch.readInt16BE(ATTRIBUTES_AT) & CONTROL_FLAG) !== 0
}

/** The batch's record count, from its header. */
export function recordCount(batch: Buffer): number {
  return batch.readInt32BE(RECORD_COUNT_AT)
}

/** Whether the batch's records can be read: uncompressed, or compressed with codecs at hand. */
export function canOpen(batch: Buffer, compression: RecordCompression | undefined): boolean {
  return (batch.readInt16BE(ATTRIBUTES_AT) & CODEC_MASK) === 0 || compression !== undefined
}

/** Decompresses (when needed) and reads the records of a whole, CRC-checked batch; canOpen() must hold. */
export async function openBatch(batch: Buffer, compression: RecordCompression | undefined): Promise<OpenedBatch> {
  const codec = batch.readInt16BE(ATTRIBUTES_AT) & CODEC_MASK
  const payload = batch.subarray(BATCH_HEADER_SIZE)
  const data = codec === 0 ? payload : await (compression as RecordCompression).decompress(codec, payload)
  return {baseOffset: Number(batch.readBigInt64BE(0)), data, table: readRecords(data, batch.readInt32BE(RECORD_COUNT_AT))}
}

export interface FilterContext {
  map: OffsetMap
  /** the last offset the map speaks for: records above it are kept (the dirty part the map did not reach) */
  reach: number
  now: number
  deleteRetentionMs: number
  compression: RecordCompression | undefined
  /** the aborted transactions and markers met so far in this cleaning's walk */
  transactions: CleanerTransactions
}

export interface FilteredBatch {
  /** the batch to write: `batch` itself when unchanged, null when nothing of it is kept */
  bytes: Buffer | null
  /** the delete horizon of a kept batch that holds tombstones */
  deleteHorizon?: number
}

/** Applies the header comment's rules to one whole, CRC-checked stored batch. */
export async function filterBatch(batch: Buffer, context: FilterContext): Promise<FilteredBatch> {
  if (isControlBatch(batch)) return filterMarker(batch, context)
  if (context.transactions.isAborted(batch, Number(batch.readBigInt64BE(0)))) return {bytes: null}
  if (!canOpen(batch, context.compression)) return {bytes: batch}
  const opened = await openBatch(batch, context.compression)
  const horizon = deleteHorizonOf(batch)
  const kept = keptRecords(opened, horizon, context)
  if (kept.length === 0) return {bytes: null}
  const {table} = opened
  const keepsTombstone = kept.some((i) => (table.valueLength[i] as number) < 0)
  const newHorizon = keepsTombstone && horizon === undefined ? context.now + context.deleteRetentionMs : horizon
  const deleteHorizon = keepsTombstone ? newHorizon : undefined
  if (kept.length === table.count && newHorizon === horizon) return {bytes: batch, ...(deleteHorizon !== undefined && {deleteHorizon})}
  const rewritten = await rewrite(batch, opened, kept, newHorizon, context.compression)
  return {bytes: rewritten, ...(deleteHorizon !== undefined && {deleteHorizon})}
}

/** A marker: kept while its transaction has batches left; then given a delete horizon, and dropped after it. */
async function filterMarker(batch: Buffer, context: FilterContext): Promise<FilteredBatch> {
  if (!context.transactions.markerMayGo(batch)) return {bytes: batch}
  const horizon = deleteHorizonOf(batch)
  if (horizon !== undefined) return horizon <= context.now ? {bytes: null} : {bytes: batch, deleteHorizon: horizon}
  const deleteHorizon = context.now + context.deleteRetentionMs
  const opened = await openBatch(batch, undefined)
  const all = Array.from({length: opened.table.count}, (_, i) => i)
  return {bytes: await rewrite(batch, opened, all, deleteHorizon, undefined), deleteHorizon}
}

function deleteHorizonOf(batch: Buffer): number | undefined {
  return batch.readInt16BE(ATTRIBUTES_AT) & DELETE_HORIZON_FLAG ? Number(batch.readBigInt64BE(BASE_TIMESTAMP_AT)) : undefined
}

function keptRecords(opened: OpenedBatch, horizon: number | undefined, context: FilterContext): number[] {
  const {data, table, baseOffset} = opened
  const {map, now} = context
  const tombstonesLive = horizon === undefined || now < horizon
  const kept: number[] = []
  for (let i = 0; i < table.count; i++) {
    const offset = baseOffset + (table.offsetDelta[i] as number)
    if (offset > context.reach) {
      kept.push(i)
      continue
    }
    if ((table.keyLength[i] as number) < 0) continue
    const latest = offset >= map.get(recordKey(data, table, i))
    if (latest && ((table.valueLength[i] as number) >= 0 || tombstonesLive)) kept.push(i)
  }
  return kept
}

async function rewrite(batch: Buffer, opened: OpenedBatch, kept: number[], horizon: number | undefined, compression: RecordCompression | undefined): Promise<Buffer> {
  const attributes = batch.readInt16BE(ATTRIBUTES_AT)
  const oldBase = Number(batch.readBigInt64BE(BASE_TIMESTAMP_AT))
  const newBase = horizon ?? oldBase
  const records = encodeRecords(opened.data, opened.table, kept, oldBase - newBase)
  const codec = attributes & CODEC_MASK
  const payload = codec === 0 ? records : await (compression as RecordCompression).compress(codec, records)
  const out = Buffer.allocUnsafe(BATCH_HEADER_SIZE + payload.length)
  batch.copy(out, 0, 0, BATCH_HEADER_SIZE)
  payload.copy(out, BATCH_HEADER_SIZE)
  out.writeInt32BE(out.length - LOG_OVERHEAD, BATCH_LENGTH_AT)
  out.writeInt16BE(horizon === undefined ? attributes : attributes | DELETE_HORIZON_FLAG, ATTRIBUTES_AT)
  out.writeBigInt64BE(BigInt(newBase), BASE_TIMESTAMP_AT)
  if ((attributes & LOG_APPEND_TIME_FLAG) === 0) out.writeBigInt64BE(BigInt(largestTimestamp(opened.table, kept, oldBase)), MAX_TIMESTAMP_AT)
  out.writeInt32BE(kept.length, RECORD_COUNT_AT)
  out.writeUInt32BE(crc32c(out.subarray(ATTRIBUTES_AT)), CRC_AT)
  return out
}

function largestTimestamp(table: RecordTable, kept: number[], baseTimestamp: number): number {
  let largest = -Infinity
  for (const i of kept) largest = Math.max(largest, baseTimestamp + (table.timestampDelta[i] as number))
  return largest
}
