import {createRequire} from 'node:module'
import zlib from 'node:zlib'
import {crc32c} from '@node-rs/crc32'
import {expect} from 'chai'
import {type Compression, compress, decompress, decompressSync} from '../../src/protocol/compression.js'
import {inflateBatch, inflateBatchSync, inflateLayoutSync} from '../../src/protocol/inflate-batch.js'
import {RecordView} from '../../src/protocol/record-layout.js'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import type {ProducerRecord} from '../../src/protocol/record.js'
import {
  BATCH_HEADER_SIZE,
  batchCrcIsValid,
  readBatchHeader,
  splitBatches,
  stampBatchCrc,
} from '../../src/protocol/record-batch.js'
import {RecordBatchBuilder, encodeRecordBatch, encodedRecordSize} from '../../src/protocol/record-batch-encoder.js'

const require = createRequire(import.meta.url)
const snappy = require('snappy') as typeof import('snappy')

const BASE_TIME = 1_700_000_000_000
const CODECS: Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

function sampleRecords(): ProducerRecord[] {
  return [
    {key: Buffer.from('k1'), value: Buffer.from('v1'), headers: [], timestamp: BASE_TIME},
    {key: null, value: Buffer.from('x'.repeat(300)), headers: [{key: 'trace-ïd', value: Buffer.from('abc')}], timestamp: BASE_TIME + 5},
    {key: Buffer.from('tomb'), value: null, headers: [{key: 'h', value: null}, {key: 'h', value: Buffer.alloc(0)}], timestamp: BASE_TIME - 2 ** 40},
    {key: Buffer.alloc(0), value: Buffer.alloc(0), headers: [], timestamp: BASE_TIME + 2 ** 33},
  ]
}

/** What inflating must give back: the records with their offsets and timestamps. */
function expectedRecords(records: ProducerRecord[], baseOffset: number): object[] {
  return records.map((record, i) => ({...record, offset: baseOffset + i, timestampType: 'CreateTime'}))
}

/** kafkajs 2.2.4's own record batch encoder: an independent implementation to compare bytes with. */
async function kafkajsBatch(records: ProducerRecord[], gzip: boolean): Promise<Buffer> {
  const {RecordBatch} = require('kafkajs/src/protocol/recordBatch/v0')
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0')
  const Long = require('kafkajs/src/utils/long')
  const encoder = await RecordBatch({
    compression: gzip ? 1 : 0,
    firstTimestamp: records[0].timestamp,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp)),
    partitionLeaderEpoch: -1,
    lastOffsetDelta: records.length - 1,
    producerId: Long.fromValue(-1),
    producerEpoch: -1,
    firstSequence: -1,
    records: records.map((record, i) =>
      Record({
        offsetDelta: i,
        timestampDelta: record.timestamp - records[0].timestamp,
        key: record.key,
        value: record.value,
        headers: Object.fromEntries(record.headers.map((h) => [h.key, h.value])),
      }),
    ),
  })
  return encoder.buffer as Buffer
}

describe('record batches', () => {
  describe('encode then inflate, every codec', () => {
    for (const compression of CODECS) {
      it(compression, async () => {
        const records = sampleRecords()
        const batch = await encodeRecordBatch(records, {compression, producerId: 77, producerEpoch: 3, baseSequence: 10})
        expect(batchCrcIsValid(batch)).to.equal(true)
        const {header, records: decoded} = await inflateBatch(batch)
        expect(header).to.include({
          baseOffset: 0,
          batchLength: batch.length - 12,
          partitionLeaderEpoch: -1,
          magic: 2,
          lastOffsetDelta: 3,
          baseTimestamp: BASE_TIME,
          maxTimestamp: BASE_TIME + 2 ** 33,
          producerId: 77,
          producerEpoch: 3,
          baseSequence: 10,
          recordCount: 4,
          compression,
          isTransactional: false,
          isControl: false,
          timestampType: 'CreateTime',
        })
        expect(decoded).to.deep.equal(expectedRecords(records, 0))
        if (compression === 'zstd') {
          expect(() => inflateBatchSync(batch)).to.throw(ProtocolError, /asynchronously/)
        } else {
          expect(inflateBatchSync(batch).records).to.deep.equal(decoded)
        }
      })
    }
  })

  it('writes the bytes kafkajs writes (uncompressed and gzip)', async () => {
    // kafkajs can carry neither two headers with one key nor a null header value.
    const records = sampleRecords()
    records[2].headers = [{key: 'h', value: Buffer.from('v')}]
    for (const compression of ['none', 'gzip'] as const) {
      const ours = await encodeRecordBatch(records, {compression})
      expect(ours.toString('hex'), compression).to.equal((await kafkajsBatch(records, compression === 'gzip')).toString('hex'))
    }
  })

  it('reads what kafkajs writes', async () => {
    const records = sampleRecords()
    records[2].headers = [{key: 'h', value: Buffer.from('only')}]
    const {records: decoded} = inflateBatchSync(await kafkajsBatch(records, false))
    expect(decoded).to.deep.equal(expectedRecords(records, 0))
  })

  it('producer fields default to -1 and the transactional bit is set on request', async () => {
    const plain = readBatchHeader(await encodeRecordBatch(sampleRecords(), {compression: 'none'}))
    expect(plain).to.include({producerId: -1, producerEpoch: -1, baseSequence: -1, isTransactional: false})
    const txn = readBatchHeader(await encodeRecordBatch(sampleRecords(), {compression: 'lz4', transactional: true}))
    expect(txn).to.include({isTransactional: true, compression: 'lz4', attributes: 0x13})
  })

  describe('idempotent and transactional producer batches', () => {
    // One record (null key, value "v") at BASE_TIME, worked out by hand; the CRC is stamped below.
    const batchHex = (attributes: string, producer: string): string =>
      '0000000000000000' + '00000039' + 'ffffffff' + '02' + '00000000' + attributes + '00000000' +
      '0000018bcfe56800' + '0000018bcfe56800' + producer + '00000001' +
      '0e' + '00' + '00' + '00' + '01' + '02' + '76' + '00'
    const stamped = (text: string): Buffer => {
      const bytes = Buffer.from(text, 'hex')
      stampBatchCrc(bytes)
      return bytes
    }
    const record: ProducerRecord = {key: null, value: Buffer.from('v'), headers: [], timestamp: BASE_TIME}
    // producerId 2^40 + 5, epoch 7, baseSequence 42.
    const producer = '0000010000000005' + '0007' + '0000002a'

    it('an idempotent batch carries producer id, epoch and base sequence, no attribute bit', async () => {
      const batch = await encodeRecordBatch([record], {compression: 'none', producerId: 2 ** 40 + 5, producerEpoch: 7, baseSequence: 42})
      expect(batch.toString('hex')).to.equal(stamped(batchHex('0000', producer)).toString('hex'))
    })

    it('a transactional batch also sets attribute bit 4', async () => {
      const opts = {producerId: 2 ** 40 + 5, producerEpoch: 7, baseSequence: 42, transactional: true}
      const batch = await encodeRecordBatch([record], {compression: 'none', ...opts})
      expect(batch.toString('hex')).to.equal(stamped(batchHex('0010', producer)).toString('hex'))
      expect(readBatchHeader(batch)).to.include({producerId: 2 ** 40 + 5, producerEpoch: 7, baseSequence: 42, isTransactional: true, isControl: false})
    })

    it('the largest sequence and epoch fit (the sequence wraps to 0 after them)', async () => {
      const batch = await encodeRecordBatch([record], {compression: 'gzip', producerId: 0, producerEpoch: 32767, baseSequence: 2147483647})
      expect(readBatchHeader(batch)).to.include({producerId: 0, producerEpoch: 32767, baseSequence: 2147483647, compression: 'gzip'})
      expect((await inflateBatch(batch)).records[0].value).to.deep.equal(record.value)
    })

    it('finishUncompressed writes, without a promise, the bytes finish writes', async () => {
      const opts = {producerId: 2 ** 40 + 5, producerEpoch: 7, baseSequence: 42, transactional: true}
      const builder = new RecordBatchBuilder(BASE_TIME)
      builder.tryAppend(record.key, record.value, record.headers, record.timestamp)
      expect(builder.finishUncompressed(opts).toString('hex')).to.equal(stamped(batchHex('0010', producer)).toString('hex'))
      expect(() => new RecordBatchBuilder(BASE_TIME).finishUncompressed({})).to.throw(ProtocolError, /at least one record/)
    })
  })

  describe('RecordBatchBuilder', () => {
    it('builds, record by record, the batch encodeRecordBatch writes, its size exact at every step', async () => {
      const records = sampleRecords()
      const builder = new RecordBatchBuilder(records[0].timestamp, 64)
      records.forEach((record, i) => {
        const before = builder.sizeBytes
        expect(builder.tryAppend(record.key, record.value, record.headers, record.timestamp)).to.equal(encodedRecordSize(record, record.timestamp - BASE_TIME, i))
        expect(builder.sizeBytes - before).to.equal(encodedRecordSize(record, record.timestamp - BASE_TIME, i))
      })
      const built = await builder.finish({compression: 'none'})
      expect(built.length).to.equal(builder.sizeBytes)
      expect(built.toString('hex')).to.equal((await encodeRecordBatch(records, {compression: 'none'})).toString('hex'))
    })

    it('refuses a record past the limit unless the batch is empty', () => {
      const value = Buffer.alloc(100)
      const builder = new RecordBatchBuilder(BASE_TIME)
      const size = builder.tryAppend(null, value, [], BASE_TIME, 10)
      expect(size).to.be.greaterThan(100)
      expect(builder.tryAppend(null, value, [], BASE_TIME, BATCH_HEADER_SIZE + 2 * size - 1)).to.equal(0)
      expect(builder.recordCount).to.equal(1)
      expect(builder.tryAppend(null, value, [], BASE_TIME, BATCH_HEADER_SIZE + 2 * size)).to.equal(size)
      expect(builder.recordCount).to.equal(2)
    })
  })

  it('a batch needs at least one record', async () => {
    let error: unknown
    await encodeRecordBatch([], {compression: 'none'}).catch((e: unknown) => (error = e))
    expect(error).to.be.instanceOf(ProtocolError)
  })

  describe('CRC', () => {
    it('is the CRC-32C of the bytes from the attributes on', async () => {
      const batch = await encodeRecordBatch(sampleRecords(), {compression: 'none'})
      expect(batch.readUInt32BE(17)).to.equal(crc32c(batch.subarray(21)))
    })

    it('survives the broker rewriting baseOffset and partitionLeaderEpoch', async () => {
      const batch = await encodeRecordBatch(sampleRecords(), {compression: 'gzip'})
      batch.writeBigInt64BE(1000n, 0)
      batch.writeInt32BE(0, 12)
      expect(batchCrcIsValid(batch)).to.equal(true)
      const {records} = await inflateBatch(batch)
      expect(records.map((r) => r.offset)).to.deep.equal([1000, 1001, 1002, 1003])
    })

    it('a flipped byte anywhere it covers is detected', async () => {
      const batch = await encodeRecordBatch(sampleRecords(), {compression: 'none'})
      for (const at of [21, 30, 60, 61, batch.length - 1]) {
        const bad = Buffer.from(batch)
        bad[at] ^= 0x01
        expect(batchCrcIsValid(bad), `byte ${at}`).to.equal(false)
        expect(() => inflateBatchSync(bad), `byte ${at}`).to.throw(ProtocolError, /CRC/)
      }
    })

    it('a batch whose length runs past the buffer is not valid', async () => {
      const batch = await encodeRecordBatch(sampleRecords(), {compression: 'none'})
      expect(batchCrcIsValid(batch.subarray(0, batch.length - 1))).to.equal(false)
      expect(batchCrcIsValid(batch.subarray(0, 40))).to.equal(false)
      expect(() => inflateBatchSync(batch.subarray(0, batch.length - 1))).to.throw(ProtocolError, /truncated/)
    })
  })

  describe('splitBatches', () => {
    it('cuts a blob into whole batches as views and drops a truncated tail', async () => {
      const batches = await Promise.all([1, 2, 3, 4].map(() => encodeRecordBatch(sampleRecords(), {compression: 'none'})))
      const blob = Buffer.concat(batches)
      for (const cut of [blob.length, blob.length - 1, blob.length - batches[3].length + 11, blob.length - batches[3].length + 61]) {
        const parts = splitBatches(blob.subarray(0, cut))
        const whole = cut === blob.length ? 4 : 3
        expect(parts, `cut at ${cut}`).to.have.length(whole)
        expect(parts[1].equals(batches[1])).to.equal(true)
        expect(parts[1].buffer, 'a view, not a copy').to.equal(blob.buffer)
      }
      expect(splitBatches(Buffer.alloc(0))).to.deep.equal([])
    })

    it('refuses a batch declaring less than a header', () => {
      const blob = Buffer.alloc(70)
      blob.writeInt32BE(10, 8)
      expect(() => splitBatches(blob)).to.throw(ProtocolError, /declares a length of 10/)
    })
  })

  describe('readBatchHeader', () => {
    it('reads at an offset', async () => {
      const batch = await encodeRecordBatch(sampleRecords(), {compression: 'none'})
      const blob = Buffer.concat([Buffer.alloc(5), batch])
      expect(readBatchHeader(blob, 5)).to.deep.equal(readBatchHeader(batch))
    })

    it('refuses short input, other magics and unknown codecs', async () => {
      const batch = await encodeRecordBatch(sampleRecords(), {compression: 'none'})
      expect(() => readBatchHeader(batch.subarray(0, 60))).to.throw(ProtocolError, /needs 61 bytes, got 60/)
      const legacy = Buffer.from(batch)
      legacy[16] = 1
      expect(() => readBatchHeader(legacy)).to.throw(ProtocolError, /magic 1/)
      const codec = Buffer.from(batch)
      codec.writeInt16BE(5, 21)
      expect(() => readBatchHeader(codec)).to.throw(ProtocolError, /codec id 5/)
    })
  })

  it('LogAppendTime batches give every record the batch maxTimestamp', async () => {
    const batch = await encodeRecordBatch(sampleRecords(), {compression: 'none'})
    batch.writeInt16BE(batch.readInt16BE(21) | 0x08, 21)
    batch.writeBigInt64BE(123456789n, 35)
    stampBatchCrc(batch)
    const {header, records} = inflateBatchSync(batch)
    expect(header.timestampType).to.equal('LogAppendTime')
    expect(records.map((r) => [r.timestamp, r.timestampType])).to.deep.equal(Array(4).fill([123456789, 'LogAppendTime']))
  })

  it('control batches are flagged', async () => {
    // A COMMIT marker: key = version 0 + type 1, value = version 0 + coordinator epoch 5.
    const marker = {key: Buffer.from('00000001', 'hex'), value: Buffer.from('000000000005', 'hex'), headers: [], timestamp: BASE_TIME}
    const batch = await encodeRecordBatch([marker], {compression: 'none', producerId: 9, producerEpoch: 0, transactional: true, control: true})
    const {header, records} = inflateBatchSync(batch)
    expect(header).to.include({isControl: true, isTransactional: true, attributes: 0x30})
    expect(records[0].key).to.deep.equal(marker.key)
  })

  describe('xerial-framed snappy (Java producers)', () => {
    const text = Buffer.from('hello xerial snappy '.repeat(50))
    /** The snappy-java stream: magic, version 1, compatible version 1, then [length][raw block]*. */
    const xerial = (chunks: Buffer[]): Buffer =>
      Buffer.concat([
        Buffer.from('82534e415050590000000001000000001', 'hex').subarray(0, 16),
        ...chunks.flatMap((chunk) => {
          const block = snappy.compressSync(chunk)
          const length = Buffer.alloc(4)
          length.writeInt32BE(block.length)
          return [length, block]
        }),
      ])

    it('decodes one block and several', async () => {
      for (const chunks of [[text], [text.subarray(0, 333), text.subarray(333)]]) {
        const framed = xerial(chunks)
        expect(framed.subarray(0, 8).toString('latin1')).to.equal('\x82SNAPPY\x00')
        expect(decompressSync('snappy', framed).equals(text)).to.equal(true)
        expect((await decompress('snappy', framed)).equals(text)).to.equal(true)
      }
    })

    it('inflates a batch whose records section is xerial-framed', async () => {
      const records = sampleRecords()
      const plain = await encodeRecordBatch(records, {compression: 'none'})
      const framed = xerial([plain.subarray(BATCH_HEADER_SIZE)])
      const batch = Buffer.concat([plain.subarray(0, BATCH_HEADER_SIZE), framed])
      batch.writeInt32BE(batch.length - 12, 8)
      batch.writeInt16BE(2, 21)
      stampBatchCrc(batch)
      expect(inflateBatchSync(batch).records).to.deep.equal(expectedRecords(records, 0))
    })

    it('a truncated xerial block is a ProtocolError', () => {
      const framed = xerial([text])
      expect(() => decompressSync('snappy', framed.subarray(0, framed.length - 3))).to.throw(ProtocolError)
    })
  })

  describe('compression', () => {
    for (const codec of CODECS) {
      it(`${codec} round-trips`, async () => {
        const data = Buffer.from('some log line, repeated. '.repeat(100))
        const packed = await compress(codec, data)
        if (codec !== 'none') expect(packed.length).to.be.lessThan(data.length)
        expect((await decompress(codec, packed)).equals(data)).to.equal(true)
      })
    }

    it('gzip output is plain gzip', async () => {
      const data = Buffer.from('abc')
      expect(zlib.gunzipSync(await compress('gzip', data)).equals(data)).to.equal(true)
    })

    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      it(`corrupt ${codec} data is a ProtocolError`, async () => {
        const garbage = Buffer.from('this is not compressed data at all, not even close')
        let error: unknown
        await decompress(codec, garbage).catch((e: unknown) => (error = e))
        expect(error).to.be.instanceOf(ProtocolError)
        if (codec !== 'zstd') expect(() => decompressSync(codec, garbage)).to.throw(ProtocolError)
      })
    }
  })

  describe('RecordLayout', () => {
    it('places every key and value in the batch bytes, and its views read as the records', async () => {
      const records = sampleRecords()
      const layout = inflateLayoutSync(await encodeRecordBatch(records, {compression: 'none'}))
      expect(layout.count).to.equal(records.length)
      const view = new RecordView()
      records.forEach((record, i) => {
        expect(layout.keyLength(i)).to.equal(record.key === null ? -1 : record.key.length)
        expect(layout.valueLength(i)).to.equal(record.value === null ? -1 : record.value.length)
        if (record.value !== null) {
          expect(layout.data.subarray(layout.valueStart(i), layout.valueStart(i) + layout.valueLength(i))).to.deep.equal(record.value)
        }
        if (record.key !== null) expect(layout.data.subarray(layout.keyStart(i), layout.keyStart(i) + layout.keyLength(i))).to.deep.equal(record.key)
        const {key, value, headers, timestamp, offset, timestampType} = view.moveTo(layout, i)
        expect({key, value, headers, timestamp, offset, timestampType}).to.deep.equal(layout.record(i))
      })
      expect(layout.records()).to.deep.equal(expectedRecords(records, 0))
    })

    it('a view read before it is placed is an error, not a wrong record', () => {
      expect(() => new RecordView().value).to.throw(ProtocolError)
    })
  })

  describe('hostile records', () => {
    /** length 10, attributes 0, timestamp delta 0, offset delta 0, key "k1", value "v1", no headers. */
    const VALID_RECORD = '14' + '00' + '00' + '00' + '04' + '6b31' + '04' + '7631' + '00'

    it('the valid record used below decodes', async () => {
      const {records} = inflateBatchSync(await withRecords(Buffer.from(VALID_RECORD, 'hex')))
      expect(records.map((r) => [r.key?.toString(), r.value?.toString()])).to.deep.equal([['k1', 'v1']])
    })

    /** A one-record uncompressed batch whose records section is replaced by `records`. */
    async function withRecords(records: Buffer, count = 1): Promise<Buffer> {
      const plain = await encodeRecordBatch(sampleRecords().slice(0, 1), {compression: 'none'})
      const batch = Buffer.concat([plain.subarray(0, BATCH_HEADER_SIZE), records])
      batch.writeInt32BE(batch.length - 12, 8)
      batch.writeInt32BE(count, 57)
      stampBatchCrc(batch)
      return batch
    }

    it('a record count the bytes cannot hold', async () => {
      expect(() => inflateBatchSync(Buffer.alloc(0))).to.throw(ProtocolError)
      const batch = await withRecords(Buffer.from(VALID_RECORD, 'hex'), 2 ** 30)
      expect(() => inflateBatchSync(batch)).to.throw(ProtocolError, /claims 1073741824 records/)
      const negative = await withRecords(Buffer.from(VALID_RECORD, 'hex'), -1)
      expect(() => inflateBatchSync(negative)).to.throw(ProtocolError, /claims -1 records/)
    })

    it('a record whose length disagrees with its fields', async () => {
      const batch = await withRecords(Buffer.from('16' + VALID_RECORD.slice(2), 'hex'))
      expect(() => inflateBatchSync(batch)).to.throw(ProtocolError, /record 0 is 10 bytes, its length says 11/)
    })

    it('a negative key length other than -1', async () => {
      const batch = await withRecords(Buffer.from('14000000' + '09' + '6b31' + '04' + '7631' + '00', 'hex'))
      expect(() => inflateBatchSync(batch)).to.throw(ProtocolError, /negative bytes length -5/)
    })

    it('a value running past the end', async () => {
      const batch = await withRecords(Buffer.from('1400000004' + '6b31' + '7e' + '7631', 'hex'))
      expect(() => inflateBatchSync(batch)).to.throw(ProtocolError)
    })

    it('a header count the bytes cannot hold', async () => {
      const batch = await withRecords(Buffer.from('1400000004' + '6b31' + '04' + '7631' + 'feffffff0f', 'hex'))
      expect(() => inflateBatchSync(batch)).to.throw(ProtocolError, /header count/)
    })
  })
})
