/**
 * Protocol's compression codecs as storage's log cleaner takes them (storage's RecordCompression):
 * storage must not import src/protocol, so the daemon hands these to the log manager at open, and
 * the cleaner rewrites compressed batches of compacted topics with their own codec.
 */
import {type Compression, compress, decompress} from '../protocol/index.js'
import {type RecordCompression} from '../storage/index.js'

/** Codec ids as the batch attributes' bits 0-2 name them. */
const CODECS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

function codecOf(id: number): Compression {
  const codec = CODECS[id]
  if (codec === undefined) throw new Error(`unknown compression codec id ${id}`)
  return codec
}

export const recordCompression: RecordCompression = {
  compress: (id, data) => compress(codecOf(id), data),
  decompress: (id, data) => decompress(codecOf(id), data),
}
