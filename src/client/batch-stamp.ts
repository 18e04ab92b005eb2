// Rewrites the producer fields of an encoded RecordBatch v2 (producerId, producerEpoch, baseSequence and
// the transactional attribute) and stamps its CRC again. The idempotent producer writes these fields
// when it encodes a batch; only a batch encoded before the producer had its id, or kept across a new
// epoch, is stamped again here, so the CRC pass this costs stays off the common path.
import {stampBatchCrc} from '../protocol/index.js'

/** Header positions and the transactional attribute bit (record-batch.ts). */
const ATTRIBUTES_AT = 21
const PRODUCER_ID_AT = 43
const PRODUCER_EPOCH_AT = 51
const BASE_SEQUENCE_AT = 53
const ATTRIBUTE_TRANSACTIONAL = 0x10

export function stampProducer(batch: Buffer, producerId: number, epoch: number, baseSequence: number, transactional: boolean): void {
  const attributes = batch.readInt16BE(ATTRIBUTES_AT)
  batch.writeInt16BE(transactional ? attributes | ATTRIBUTE_TRANSACTIONAL : attributes & ~ATTRIBUTE_TRANSACTIONAL, ATTRIBUTES_AT)
  batch.writeBigInt64BE(BigInt(producerId), PRODUCER_ID_AT)
  batch.writeInt16BE(epoch, PRODUCER_EPOCH_AT)
  batch.writeInt32BE(baseSequence, BASE_SEQUENCE_AT)
  stampBatchCrc(batch)
}
