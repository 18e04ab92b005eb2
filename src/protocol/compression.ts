import {createRequire} from 'node:module'
import {promisify} from 'node:util'
import zlib from 'node:zlib'
import type * as Lz4 from 'lz4-napi'
import type * as Snappy from 'snappy'
import type * as Zstd from '@mongodb-js/zstd'
import {checkDecompressedSize, MAX_DECOMPRESSED_BATCH_BYTES} from './decompressed-size.js'
import {ProtocolError} from './protocol-error.js'
import {isXerialFramed, xerialBlocks} from './xerial-snappy.js'

/**
 * Record batch compression: the codec is bits 0-2 of the batch attributes. gzip uses node:zlib;
 * snappy (raw, and xerial-framed on decode), lz4 (frame format) and zstd use native packages that
 * are loaded on first use, so a command that never meets a compressed batch never loads them. They
 * are loaded with require rather than import() because the synchronous decode path (the consumer's
 * hot path) cannot wait for a promise; all three are CommonJS packages.
 *
 * Decompression is bounded: a batch that would inflate beyond `limit` bytes (default
 * MAX_DECOMPRESSED_BATCH_BYTES) is refused as corrupt before it is inflated (decompressed-size.ts),
 * or, for gzip, as soon as zlib passes the limit, so a small hostile batch cannot take the memory.
 */
export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

const CODEC_IDS: Record<Compression, number> = {none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4}
const CODECS_BY_ID: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

export function compressionId(codec: Compression): number {
  const id = CODEC_IDS[codec]
  if (id === undefined) throw new ProtocolError(`unknown compression codec ${JSON.stringify(codec)}`)
  return id
}

export function compressionFromId(id: number): Compression {
  const codec = CODECS_BY_ID[id]
  if (codec === undefined) throw new ProtocolError(`unknown compression codec id ${id}`)
  return codec
}

const require = createRequire(import.meta.url)
let snappyModule: typeof Snappy | undefined
let lz4Module: typeof Lz4 | undefined
let zstdModule: typeof Zstd | undefined
const snappy = (): typeof Snappy => (snappyModule ??= require('snappy') as typeof Snappy)
const lz4 = (): typeof Lz4 => (lz4Module ??= require('lz4-napi') as typeof Lz4)
const zstd = (): typeof Zstd => (zstdModule ??= require('@mongodb-js/zstd') as typeof Zstd)

const gzip = promisify(zlib.gzip)
const gunzip = promisify(zlib.gunzip)
const ZSTD_LEVEL = 3

export async function compress(codec: Compression, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case 'none':
      return data
    case 'gzip':
      return gzip(data)
    case 'snappy':
      return snappy().compress(data)
    case 'lz4':
      return lz4().compressFrame(data)
    case 'zstd':
      return zstd().compress(data, ZSTD_LEVEL)
    default:
      throw new ProtocolError(`unknown compression codec ${JSON.stringify(codec)}`)
  }
}

/** Decompresses off the main thread where the codec allows. Snappy may be raw or xerial-framed. */
export async function decompress(codec: Compression, data: Buffer, limit = MAX_DECOMPRESSED_BATCH_BYTES): Promise<Buffer> {
  try {
    if (codec === 'snappy' || codec === 'lz4' || codec === 'zstd') checkDecompressedSize(codec, data, limit)
    switch (codec) {
      case 'gzip':
        return await gunzip(data, {maxOutputLength: limit})
      case 'snappy':
        return isXerialFramed(data) ? unframeSnappy(data) : asBuffer(await snappy().uncompress(data, {asBuffer: true}))
      case 'lz4':
        return await lz4().decompressFrame(data)
      case 'zstd':
        return await zstd().decompress(data)
      default:
        return decompressSync(codec, data, limit)
    }
  } catch (error) {
    throw corrupt(codec, error)
  }
}

/** Synchronous decompression for every codec but zstd, whose package is asynchronous only. */
export function decompressSync(codec: Compression, data: Buffer, limit = MAX_DECOMPRESSED_BATCH_BYTES): Buffer {
  try {
    if (codec === 'snappy' || codec === 'lz4') checkDecompressedSize(codec, data, limit)
    switch (codec) {
      case 'none':
        return data
      case 'gzip':
        return zlib.gunzipSync(data, {maxOutputLength: limit})
      case 'snappy':
        return isXerialFramed(data) ? unframeSnappy(data) : asBuffer(snappy().uncompressSync(data, {asBuffer: true}))
      case 'lz4':
        return lz4().decompressFrameSync(data)
      case 'zstd':
        throw new ProtocolError('zstd batches can only be decompressed asynchronously (use inflateBatch)')
      default:
        throw new ProtocolError(`unknown compression codec ${JSON.stringify(codec)}`)
    }
  } catch (error) {
    throw corrupt(codec, error)
  }
}

function unframeSnappy(data: Buffer): Buffer {
  const blocks = xerialBlocks(data).map((block) => asBuffer(snappy().uncompressSync(block, {asBuffer: true})))
  return blocks.length === 1 ? blocks[0] : Buffer.concat(blocks)
}

function asBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : value
}

function corrupt(codec: Compression, error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error
  if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
    return new ProtocolError(`${codec} data decompresses to more bytes than allowed (${(error as Error).message})`)
  }
  const reason = error instanceof Error ? error.message : String(error)
  return new ProtocolError(`cannot decompress ${codec} data: ${reason}`)
}
