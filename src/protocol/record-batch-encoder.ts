import {type Compression, compress, compressionId} from './compression.js'
import {ProtocolError} from './protocol-error.js'
import type {ProducerRecord, RecordHeader} from './record.js'
import {ATTRIBUTE_CONTROL, ATTRIBUTE_TRANSACTIONAL, BATCH_HEADER_SIZE, LOG_OVERHEAD, RECORD_BATCH_MAGIC, stampBatchCrc} from './record-batch.js'
import {writeInt64At, writeVarintAt, writeVarlongAt} from './writer.js'

/**
 * The header fields a producer chooses. An idempotent producer sets producerId, producerEpoch and
 * the baseSequence of the batch's first record (-1 each when left out: not idempotent); a
 * transactional one also sets `transactional` (attribute bit 4). `control` (bit 5) marks a batch of
 * control records, which only a broker writes (see control-record.ts).
 */
export interface BatchOptions {
  compression: Compression
  producerId?: number
  producerEpoch?: number
  baseSequence?: number
  transactional?: boolean
  control?: boolean
}

/** First buffer of a builder; it doubles as records arrive, so small (lingered) batches stay small. */
const INITIAL_CAPACITY = 16 * 1024

/**
 * One RecordBatch v2 built record by record, as a producer fills it. Each record is encoded into
 * the batch's buffer when it is added, so a producer keeps no per-record objects alive and never
 * walks a batch twice; the size is exact at every step, which lets the caller cut batches just
 * under a byte limit. finish() writes the header (baseOffset 0, partitionLeaderEpoch -1: the
 * broker assigns both; baseTimestamp = the first record's timestamp), compresses and stamps the CRC.
 */
export class RecordBatchBuilder {
  private buf: Buffer
  private pos = BATCH_HEADER_SIZE
  private count = 0
  private maxTimestamp: number

  /**
   * `storage` is the capacity of the first buffer, or a buffer to write into (a producer reusing the
   * buffer of a batch that was acknowledged); a larger one replaces it when the records outgrow it.
   */
  constructor(
    readonly baseTimestamp: number,
    storage: number | Buffer = INITIAL_CAPACITY,
  ) {
    const reusable = typeof storage !== 'number' && storage.length >= BATCH_HEADER_SIZE
    this.buf = reusable ? storage : Buffer.allocUnsafe(Math.max(typeof storage === 'number' ? storage : 0, BATCH_HEADER_SIZE))
    this.maxTimestamp = baseTimestamp
  }

  /** The buffer the records are written into; an uncompressed finished batch is a view of it. */
  get storage(): Buffer {
    return this.buf
  }

  /** Exact size of the uncompressed batch so far, header included. */
  get sizeBytes(): number {
    return this.pos
  }

  get recordCount(): number {
    return this.count
  }

  /**
   * Encodes a record at the end of the batch and returns the bytes it took. When the batch already
   * holds records and this one would take it past `limitBytes`, adds nothing and returns 0. (The
   * fields come one by one so that a producer need not make an object per record.)
   */
  tryAppend(key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeader[], timestamp: number,
    limitBytes = Infinity): number {
    const timestampDelta = timestamp - this.baseTimestamp
    const body = recordBodySize(key, value, headers, timestampDelta, this.count)
    const size = zigzagSize(body) + body
    if (this.count > 0 && this.pos + size > limitBytes) return 0
    this.ensure(size)
    const buf = this.buf
    let at = writeVarintAt(buf, this.pos, body)
    buf[at++] = 0 // attributes: unused in v2 records
    at = writeVarlongAt(buf, at, timestampDelta)
    at = writeVarintAt(buf, at, this.count)
    at = writeBytesAt(buf, at, key)
    at = writeBytesAt(buf, at, value)
    at = writeVarintAt(buf, at, headers.length)
    for (const header of headers) {
      at = writeVarintAt(buf, at, Buffer.byteLength(header.key))
      at += buf.write(header.key, at, 'utf8')
      at = writeBytesAt(buf, at, header.value)
    }
    this.pos = at
    this.count++
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp
    return size
  }

  /** The finished batch. The builder must not be used afterwards (the batch may share its buffer). */
  async finish(opts: BatchOptions): Promise<Buffer> {
    if (opts.compression === 'none') return this.finishUncompressed(opts)
    this.checkNotEmpty()
    const compressed = await compress(opts.compression, this.buf.subarray(BATCH_HEADER_SIZE, this.pos))
    const batch = Buffer.allocUnsafe(BATCH_HEADER_SIZE + compressed.length)
    compressed.copy(batch, BATCH_HEADER_SIZE)
    this.writeHeader(batch, opts)
    stampBatchCrc(batch)
    return batch
  }

  /** finish() of an uncompressed batch, without a promise (control batches, for one). */
  finishUncompressed(opts: Omit<BatchOptions, 'compression'>): Buffer {
    this.checkNotEmpty()
    const batch = this.buf.subarray(0, this.pos)
    this.writeHeader(batch, {...opts, compression: 'none'})
    stampBatchCrc(batch)
    return batch
  }

  private checkNotEmpty(): void {
    if (this.count === 0) throw new ProtocolError('a record batch needs at least one record')
  }

  private writeHeader(batch: Buffer, opts: BatchOptions): void {
    const attributes =
      compressionId(opts.compression) | (opts.transactional ? ATTRIBUTE_TRANSACTIONAL : 0) | (opts.control ? ATTRIBUTE_CONTROL : 0)
    let at = writeInt64At(batch, 0, 0)
    at = batch.writeInt32BE(batch.length - LOG_OVERHEAD, at)
    at = batch.writeInt32BE(-1, at)
    at = batch.writeInt8(RECORD_BATCH_MAGIC, at)
    at += 4 // CRC, stamped last
    at = batch.writeInt16BE(attributes, at)
    at = batch.writeInt32BE(this.count - 1, at)
    at = writeInt64At(batch, at, this.baseTimestamp)
    at = writeInt64At(batch, at, this.maxTimestamp)
    at = writeInt64At(batch, at, opts.producerId ?? -1)
    at = batch.writeInt16BE(opts.producerEpoch ?? -1, at)
    at = batch.writeInt32BE(opts.baseSequence ?? -1, at)
    batch.writeInt32BE(this.count, at)
  }

  private ensure(n: number): void {
    const needed = this.pos + n
    if (needed <= this.buf.length) return
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2))
    this.buf.copy(grown, 0, 0, this.pos)
    this.buf = grown
  }
}

/**
 * Encodes records as one RecordBatch v2, as a producer sends it (see RecordBatchBuilder);
 * producer fields -1 unless given.
 */
export async function encodeRecordBatch(records: ProducerRecord[], opts: BatchOptions): Promise<Buffer> {
  if (records.length === 0) throw new ProtocolError('a record batch needs at least one record')
  const builder = new RecordBatchBuilder(records[0].timestamp, estimateSize(records))
  for (const {key, value, headers, timestamp} of records) builder.tryAppend(key, value, headers, timestamp)
  return builder.finish(opts)
}

/** Exact encoded size of a record (its length prefix included) at `offsetDelta` of a batch. */
export function encodedRecordSize(record: ProducerRecord, timestampDelta: number, offsetDelta: number): number {
  const body = recordBodySize(record.key, record.value, record.headers, timestampDelta, offsetDelta)
  return zigzagSize(body) + body
}

/** Bytes of a record after its length prefix. */
function recordBodySize(key: Uint8Array | null, value: Uint8Array | null, headers: readonly RecordHeader[],
  timestampDelta: number, offsetDelta: number): number {
  let size = 1 + zigzagSize(timestampDelta) + zigzagSize(offsetDelta) + bytesSize(key) + bytesSize(value)
  size += zigzagSize(headers.length)
  for (let i = 0; i < headers.length; i++) size += headerSize(headers[i])
  return size
}

function headerSize(header: RecordHeader): number {
  const keyLength = Buffer.byteLength(header.key)
  return zigzagSize(keyLength) + keyLength + bytesSize(header.value)
}

/** Writes a varint-length-prefixed value (-1 for null) at `at`; returns the offset after it. */
function writeBytesAt(buf: Buffer, at: number, bytes: Uint8Array | null): number {
  if (bytes === null) return writeVarintAt(buf, at, -1)
  if (!(bytes instanceof Uint8Array)) throw new ProtocolError(`expected a Buffer, got ${typeof bytes}`)
  at = writeVarintAt(buf, at, bytes.length)
  buf.set(bytes, at)
  return at + bytes.length
}

/** Bytes of a varint-length-prefixed value (-1 for null). */
function bytesSize(bytes: Uint8Array | null): number {
  return bytes === null ? 1 : zigzagSize(bytes.length) + bytes.length
}

/** Bytes of a zigzag varint or varlong, counted from sign and magnitude as writeVarlongAt writes it. */
export function zigzagSize(v: number): number {
  if (v >= -64 && v < 64) return 1 // the common cases first: deltas and lengths of small records
  if (v >= -8192 && v < 8192) return 2
  let rest = Math.floor((v >= 0 ? v : -v - 1) / 64)
  let size = 1
  while (rest > 0) {
    rest = Math.floor(rest / 0x80)
    size++
  }
  return size
}

/** Per-record bytes beyond key and value, enough for most records so that the buffer rarely grows. */
const RECORD_OVERHEAD_ESTIMATE = 24

function estimateSize(records: ProducerRecord[]): number {
  let size = BATCH_HEADER_SIZE
  for (const record of records) {
    size += RECORD_OVERHEAD_ESTIMATE + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  }
  return size
}
