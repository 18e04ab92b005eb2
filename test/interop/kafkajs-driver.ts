// kafkajs 2.2.4 in this process: admin (createTopics, fetchTopicMetadata, fetchTopicOffsets)
// and producer. kafkajs ships only gzip; snappy, lz4 and zstd are plugged in as kafkajs
// expects plugins to be, backed by the same npm codec packages Weir depends on.
import {createRequire} from 'node:module'

import type {Codec} from './drivers.js'
import type {TestRecord} from './records.js'

const require = createRequire(import.meta.url)
// kafkajs is CommonJS with its own typings.
const kafkajs = require('kafkajs') as typeof import('kafkajs')

interface KafkajsCodec {
  compress(encoder: {buffer: Buffer}): Promise<Buffer>
  decompress(buffer: Buffer): Promise<Buffer>
}

let pluginsRegistered = false

async function registerCodecPlugins(): Promise<void> {
  if (pluginsRegistered) return
  const snappy = await import('snappy')
  const lz4 = await import('lz4-napi')
  const zstd = await import('@mongodb-js/zstd')
  const codecs = kafkajs.CompressionCodecs as unknown as Record<number, () => KafkajsCodec>
  codecs[kafkajs.CompressionTypes.Snappy] = () => ({
    compress: async (encoder) => snappy.compressSync(encoder.buffer),
    decompress: async (buffer) => snappy.uncompressSync(buffer) as Buffer,
  })
  codecs[kafkajs.CompressionTypes.LZ4] = () => ({
    compress: async (encoder) => lz4.compressFrameSync(encoder.buffer),
    decompress: async (buffer) => lz4.decompressFrameSync(buffer),
  })
  codecs[kafkajs.CompressionTypes.ZSTD] = () => ({
    compress: async (encoder) => zstd.compress(encoder.buffer, 3),
    decompress: async (buffer) => zstd.decompress(buffer),
  })
  pluginsRegistered = true
}

const compressionTypes: Record<Codec, number> = {
  none: kafkajs.CompressionTypes.None,
  gzip: kafkajs.CompressionTypes.GZIP,
  snappy: kafkajs.CompressionTypes.Snappy,
  lz4: kafkajs.CompressionTypes.LZ4,
  zstd: kafkajs.CompressionTypes.ZSTD,
}

export function kafkajsClient(bootstrap: string): import('kafkajs').Kafka {
  return new kafkajs.Kafka({
    clientId: 'weir-interop',
    brokers: [bootstrap],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: {retries: 3},
  })
}

/** kafkajs headers are an object of name -> value(s); names repeat through arrays. */
function toKafkajsHeaders(record: TestRecord): Record<string, Buffer | Buffer[]> {
  const headers: Record<string, Buffer[]> = {}
  for (const [name, value] of record.headers) {
    if (value === null) throw new Error('kafkajs cannot send a null header value')
    ;(headers[name] ??= []).push(value)
  }
  return Object.fromEntries(Object.entries(headers).map(([name, values]) => [name, values.length === 1 ? values[0] : values]))
}

export async function kafkajsProduce(bootstrap: string, topic: string, codec: Codec, records: TestRecord[]): Promise<void> {
  await registerCodecPlugins()
  const producer = kafkajsClient(bootstrap).producer({allowAutoTopicCreation: false})
  await producer.connect()
  try {
    await producer.send({
      topic,
      acks: -1,
      compression: compressionTypes[codec],
      messages: records.map((record) => ({
        partition: 0,
        key: record.key,
        value: record.value,
        headers: toKafkajsHeaders(record),
      })),
    })
  } finally {
    await producer.disconnect()
  }
}
