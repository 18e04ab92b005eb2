import {ProtocolError} from './protocol-error.js'
import {Reader} from './reader.js'
import {BATCH_HEADER_SIZE, LOG_OVERHEAD, readBatchHeader} from './record-batch.js'
import {RecordBatchBuilder} from './record-batch-encoder.js'

/**
 * Control records: the transaction markers a broker writes to every partition of a transaction
 * when it ends (Kafka's EndTransactionMarker). A control batch is a RecordBatch v2 with attribute
 * bits 4 (transactional) and 5 (control), the transaction's producer id and epoch, baseSequence -1,
 * never compressed, holding one record:
 *
 *   key   version int16 = 0 | type int16 (0 ABORT, 1 COMMIT)
 *   value version int16 = 0 | coordinatorEpoch int32
 *
 * The record has no headers and timestamp delta 0; the batch's timestamps are the marker's.
 * Consumers never show control records; a read_committed one drops an aborted transaction's
 * batches up to its ABORT marker. Other control types (KRaft's 2 and above) are not transaction
 * markers and are refused here. Readers accept key and value versions above 0 and read them as
 * version 0, as Kafka does.
 */

export type TransactionMarkerType = 'ABORT' | 'COMMIT'

/** The type ids of the control record key. */
export const ControlRecordType = {ABORT: 0, COMMIT: 1} as const

export interface TransactionMarker {
  readonly type: TransactionMarkerType
  readonly coordinatorEpoch: number
}

export interface ControlBatchOptions extends TransactionMarker {
  readonly producerId: number
  readonly producerEpoch: number
  /** Milliseconds since the epoch: the batch's base and max timestamp. */
  readonly timestamp: number
}

const KEY_SIZE = 4
const VALUE_SIZE = 6
const MARKER_VERSION = 0
/** The whole control batch: header, then one record of 17 bytes (length varint included). */
export const CONTROL_BATCH_SIZE = BATCH_HEADER_SIZE + 17

export function encodeControlRecordKey(type: TransactionMarkerType): Buffer {
  const key = Buffer.allocUnsafe(KEY_SIZE)
  key.writeInt16BE(MARKER_VERSION, 0)
  key.writeInt16BE(ControlRecordType[type], 2)
  return key
}

export function encodeControlRecordValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.allocUnsafe(VALUE_SIZE)
  value.writeInt16BE(MARKER_VERSION, 0)
  value.writeInt32BE(coordinatorEpoch, 2)
  return value
}

/** A control batch holding one transaction marker, as a broker appends it (baseOffset 0 until then). */
export function encodeControlBatch(opts: ControlBatchOptions): Buffer {
  const builder = new RecordBatchBuilder(opts.timestamp, CONTROL_BATCH_SIZE)
  builder.tryAppend(encodeControlRecordKey(opts.type), encodeControlRecordValue(opts.coordinatorEpoch), [], opts.timestamp)
  return builder.finishUncompressed({
    producerId: opts.producerId,
    producerEpoch: opts.producerEpoch,
    baseSequence: -1,
    transactional: true,
    control: true,
  })
}

/** The marker type a control record key names; ProtocolError for a short key, a negative version or another type. */
export function decodeControlRecordKey(key: Buffer | null): TransactionMarkerType {
  if (key === null || key.length < KEY_SIZE) throw new ProtocolError(`malformed control record key: ${key === null ? 'null' : `${key.length} bytes`}`)
  const version = key.readInt16BE(0)
  if (version < 0) throw new ProtocolError(`malformed control record key: version ${version}`)
  return markerType(key.readInt16BE(2))
}

/** The marker a control record's key and value hold (the record of a control batch). */
export function decodeControlRecord(key: Buffer | null, value: Buffer | null): TransactionMarker {
  const type = decodeControlRecordKey(key)
  if (value === null || value.length < VALUE_SIZE) {
    throw new ProtocolError(`malformed ${type} marker value: ${value === null ? 'null' : `${value.length} bytes`}`)
  }
  const version = value.readInt16BE(0)
  if (version < 0) throw new ProtocolError(`malformed ${type} marker value: version ${version}`)
  return {type, coordinatorEpoch: value.readInt32BE(2)}
}

/**
 * The marker type of the batch at `offset` of `buf` (stored or fetched bytes), read from its first
 * record's key without inflating the batch or checking its CRC; null when the batch is not a
 * control batch. ProtocolError when it is one whose first key cannot be read (compressed,
 * truncated, no record) or is not a transaction marker.
 */
export function controlBatchType(buf: Buffer, offset = 0): TransactionMarkerType | null {
  const header = readBatchHeader(buf, offset)
  if (!header.isControl) return null
  if (header.compression !== 'none') throw new ProtocolError(`control batch at offset ${header.baseOffset} is compressed (${header.compression})`)
  if (header.recordCount < 1) throw new ProtocolError(`control batch at offset ${header.baseOffset} holds no record`)
  const end = Math.min(buf.length, offset + LOG_OVERHEAD + header.batchLength)
  const r = new Reader(buf, offset + BATCH_HEADER_SIZE, end)
  r.varint() // record length
  r.skip(1) // attributes
  r.varlong() // timestamp delta
  r.varint() // offset delta
  const key = r.varintBytes()
  r.check(`control batch at offset ${header.baseOffset}`)
  return decodeControlRecordKey(key)
}

function markerType(id: number): TransactionMarkerType {
  if (id === ControlRecordType.ABORT) return 'ABORT'
  if (id === ControlRecordType.COMMIT) return 'COMMIT'
  throw new ProtocolError(`control record type ${id} is not a transaction marker`)
}
