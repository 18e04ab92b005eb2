import {ProtocolError} from './protocol-error.js'
import {isXerialFramed, xerialBlocks} from './xerial-snappy.js'

/**
 * How large a compressed payload can become, read from the codecs' own headers before anything is
 * decompressed: a batch of a few kilobytes can claim gigabytes (zstd and lz4 expand runs of one byte
 * tens of thousands of times), and decompressing it whole would take the process's memory. gzip has
 * no such header; it is capped while it inflates (zlib's maxOutputLength, see compression.ts).
 *
 * The bounds, per format:
 *   snappy (raw)  the uncompressed length, a varint at the start of the block: exact.
 *   xerial snappy the sum of its raw blocks' lengths.
 *   lz4 frame     its number of blocks times the block maximum size the header declares (64 KiB to
 *                 4 MiB).
 *   zstd          the sum over its blocks: a raw or RLE block's size exactly, a compressed block's
 *                 maximum (128 KiB).
 * The frames' content-size fields are skipped, not believed: the decoders enforce the block limits,
 * so the block sums bound the output even when a header lies. Concatenated and skippable frames are
 * summed. A header that does not parse is corrupt data.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 128 * 1024 * 1024

export type BoundedCodec = 'snappy' | 'lz4' | 'zstd'

/** Throws ProtocolError when `data` of `codec` can decompress to more than `limit` bytes. */
export function checkDecompressedSize(codec: BoundedCodec, data: Buffer, limit: number): void {
  const bound = decompressedSizeBound(codec, data)
  if (bound > limit) {
    throw new ProtocolError(`${codec} data of ${data.length} bytes may decompress to ${bound} bytes, more than the ${limit} allowed`)
  }
}

export function decompressedSizeBound(codec: BoundedCodec, data: Buffer): number {
  switch (codec) {
    case 'snappy':
      return isXerialFramed(data) ? xerialBlocks(data).reduce((sum, block) => sum + snappyLength(block), 0) : snappyLength(data)
    case 'lz4':
      return framesBound(data, LZ4_MAGIC, lz4FrameBound, 'lz4')
    case 'zstd':
      return framesBound(data, ZSTD_MAGIC, zstdFrameBound, 'zstd')
  }
}

/** The uncompressed length a raw snappy block starts with (a little-endian base-128 varint of 32 bits). */
function snappyLength(block: Buffer): number {
  let value = 0
  for (let i = 0; i < 5; i++) {
    if (i >= block.length) break
    const byte = block[i]!
    value += (byte & 0x7f) * 2 ** (7 * i)
    if ((byte & 0x80) === 0) return value
  }
  throw new ProtocolError('malformed snappy block: no length preamble')
}

const LZ4_MAGIC = 0x184d2204
const ZSTD_MAGIC = 0xfd2fb528
/** Skippable frames of both formats: magic 0x184D2A50 to 0x184D2A5F, a 4-byte size, then that many bytes. */
const SKIPPABLE_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50

/** One frame's bound and where the frame ends. */
interface Frame {
  bound: number
  end: number
}

function framesBound(data: Buffer, magic: number, frame: (data: Buffer, start: number) => Frame, codec: string): number {
  let bound = 0
  let position = 0
  while (position < data.length) {
    need(data, position, 4, codec)
    const found = data.readUInt32LE(position)
    if ((found & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      need(data, position + 4, 4, codec)
      position += 8 + data.readUInt32LE(position + 4)
    } else if (found === magic) {
      const next = frame(data, position + 4)
      bound += next.bound
      position = next.end
    } else {
      throw new ProtocolError(`malformed ${codec} data: no frame magic at byte ${position}`)
    }
  }
  if (position > data.length) throw new ProtocolError(`malformed ${codec} data: a frame runs past the end`)
  return bound
}

/** Throws unless `count` bytes from `at` are there. */
function need(data: Buffer, at: number, count: number, codec: string): void {
  if (at + count > data.length) throw new ProtocolError(`malformed ${codec} data: truncated at byte ${at}`)
}

const LZ4_BLOCK_MAX_SIZES: Record<number, number> = {4: 64 * 1024, 5: 256 * 1024, 6: 1024 * 1024, 7: 4 * 1024 * 1024}

/** An lz4 frame after its magic: FLG, BD, [content size 8], [dict id 4], HC, blocks, end mark, [checksum 4]. */
function lz4FrameBound(data: Buffer, start: number): Frame {
  need(data, start, 2, 'lz4')
  const flags = data[start]!
  const blockMax = LZ4_BLOCK_MAX_SIZES[(data[start + 1]! >> 4) & 0x07]
  if (flags >> 6 !== 1 || blockMax === undefined) throw new ProtocolError('malformed lz4 data: unknown frame version or block size')
  const blockChecksum = (flags & 0x10) !== 0
  const contentChecksum = (flags & 0x04) !== 0
  const contentSizeBytes = (flags & 0x08) !== 0 ? 8 : 0
  const dictionaryIdBytes = (flags & 0x01) !== 0 ? 4 : 0
  // Then the header checksum byte.
  let position = start + 2 + contentSizeBytes + dictionaryIdBytes + 1
  let blocks = 0
  for (;;) {
    need(data, position, 4, 'lz4')
    const size = data.readUInt32LE(position) & 0x7fffffff
    position += 4
    if (size === 0) break
    position += size + (blockChecksum ? 4 : 0)
    blocks++
  }
  if (contentChecksum) position += 4
  return {bound: blocks * blockMax, end: position}
}

/** The largest a compressed zstd block decompresses to (Block_Maximum_Size). */
const ZSTD_BLOCK_MAX = 128 * 1024
const ZSTD_FCS_BYTES = [0, 2, 4, 8]
const ZSTD_DICT_ID_BYTES = [0, 1, 2, 4]

/** A zstd frame after its magic: descriptor, [window], [dict id], [content size], blocks (3-byte headers), [checksum 4]. */
function zstdFrameBound(data: Buffer, start: number): Frame {
  need(data, start, 1, 'zstd')
  const descriptor = data[start]!
  const singleSegment = (descriptor & 0x20) !== 0
  const fcsFlag = descriptor >> 6
  const fcsBytes = fcsFlag === 0 && singleSegment ? 1 : ZSTD_FCS_BYTES[fcsFlag]!
  let position = start + 1 + (singleSegment ? 0 : 1) + ZSTD_DICT_ID_BYTES[descriptor & 0x03]! + fcsBytes
  let bound = 0
  for (let last = false; !last;) {
    need(data, position, 3, 'zstd')
    const header = data.readUIntLE(position, 3)
    last = (header & 1) === 1
    const type = (header >> 1) & 0x03
    const size = header >>> 3
    position += 3
    if (type === 3) throw new ProtocolError('malformed zstd data: reserved block type')
    bound += type === 2 ? ZSTD_BLOCK_MAX : size
    position += type === 1 ? 1 : size
  }
  if ((descriptor & 0x04) !== 0) position += 4
  return {bound, end: position}
}
