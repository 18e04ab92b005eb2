/**
 * RecordCompression: how the log cleaner decompresses and recompresses a batch's records section.
 *
 * The codecs (gzip, snappy, lz4, zstd) are loaded by src/protocol/compression.ts, which storage must
 * not import (storage imports nothing above it). So storage names only what it needs, this
 * interface, and whoever opens the log manager hands it one (LogManagerOptions.compression): the
 * daemon passes protocol's codecs. Codec ids are the batch attributes' bits 0-2: 1 gzip, 2 snappy,
 * 3 lz4, 4 zstd (0, none, never reaches the interface).
 *
 * Without it the cleaner cleans uncompressed batches only and keeps compressed ones as they are,
 * whole: nothing is lost, they are just not compacted (said once per log in the log).
 */
export interface RecordCompression {
  decompress(codecId: number, data: Buffer): Promise<Buffer>
  compress(codecId: number, data: Buffer): Promise<Buffer>
}

/** Bits 0-2 of the batch attributes */
export const CODEC_MASK = 0x07
