import {ProtocolError} from './protocol-error.js'
import {Reader} from './reader.js'

/**
 * Snappy as the Java client writes it: the xerial snappy-java stream format. A 16-byte header
 * (0x82 "SNAPPY" 0x00, then int32 version and int32 compatible version) followed by blocks, each
 * an int32 length and one raw snappy block. librdkafka and this codec write raw snappy; consumers
 * must read both, told apart by the magic.
 */
const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00])
const HEADER_SIZE = 16

export function isXerialFramed(data: Buffer): boolean {
  return data.length >= HEADER_SIZE && data.subarray(0, MAGIC.length).equals(MAGIC)
}

/** The raw snappy blocks of a xerial stream (views into `data`). */
export function xerialBlocks(data: Buffer): Buffer[] {
  const r = new Reader(data, HEADER_SIZE)
  const blocks: Buffer[] = []
  while (r.remaining > 0 && !r.failed) {
    const length = r.int32()
    if (length < 0) r.fail(`negative block length ${length}`)
    else blocks.push(r.raw(length))
  }
  if (r.failed) throw new ProtocolError(`malformed xerial snappy stream: ${r.failure}`)
  return blocks
}
