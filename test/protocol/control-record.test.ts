import {crc32c} from '@node-rs/crc32'
import {expect} from 'chai'
import {
  CONTROL_BATCH_SIZE,
  controlBatchType,
  decodeControlRecord,
  decodeControlRecordKey,
  encodeControlBatch,
  encodeControlRecordKey,
  encodeControlRecordValue,
} from '../../src/protocol/control-record.js'
import {inflateBatchSync} from '../../src/protocol/inflate-batch.js'
import {ProtocolError} from '../../src/protocol/protocol-error.js'
import {batchCrcIsValid, stampBatchCrc} from '../../src/protocol/record-batch.js'
import {encodeRecordBatch} from '../../src/protocol/record-batch-encoder.js'

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex')

const T = 1_700_000_000_000 // 0000018bcfe56800

// A COMMIT marker of producer 4000, epoch 3, coordinator epoch 5, worked out by hand from the
// RecordBatch v2 layout; the CRC (bytes 17-20) is the CRC-32C of everything after it.
const COMMIT_BATCH_AFTER_CRC = hex(`
  0030
  00000000
  0000018bcfe56800
  0000018bcfe56800
  0000000000000fa0
  0003
  ffffffff
  00000001
  20 00 00 00 08 00000001 0c 000000000005 00`)
const COMMIT_BATCH = Buffer.concat([
  hex('0000000000000000 00000042 ffffffff 02'),
  hex(crc32c(COMMIT_BATCH_AFTER_CRC).toString(16).padStart(8, '0')),
  COMMIT_BATCH_AFTER_CRC,
])

const commit = {producerId: 4000, producerEpoch: 3, type: 'COMMIT', coordinatorEpoch: 5, timestamp: T} as const

describe('control records', () => {
  it('key and value of the transaction markers', () => {
    expect(encodeControlRecordKey('ABORT')).to.deep.equal(hex('0000 0000'))
    expect(encodeControlRecordKey('COMMIT')).to.deep.equal(hex('0000 0001'))
    expect(encodeControlRecordValue(5)).to.deep.equal(hex('0000 00000005'))
    expect(encodeControlRecordValue(-1)).to.deep.equal(hex('0000 ffffffff'))
  })

  it('a control batch: bits 4 and 5, baseSequence -1, one record, the bytes worked out by hand', () => {
    const batch = encodeControlBatch(commit)
    expect(batch.length).to.equal(CONTROL_BATCH_SIZE)
    expect(batch.toString('hex')).to.equal(COMMIT_BATCH.toString('hex'))
    expect(batchCrcIsValid(batch)).to.equal(true)
  })

  it('round-trips through the batch decoder', () => {
    const abort = encodeControlBatch({...commit, type: 'ABORT', coordinatorEpoch: 0, producerId: 2 ** 40})
    const {header, records} = inflateBatchSync(abort)
    expect(header).to.include({
      isControl: true,
      isTransactional: true,
      compression: 'none',
      producerId: 2 ** 40,
      producerEpoch: 3,
      baseSequence: -1,
      recordCount: 1,
      lastOffsetDelta: 0,
      baseTimestamp: T,
      maxTimestamp: T,
    })
    expect(records).to.have.length(1)
    expect(records[0]).to.include({offset: 0, timestamp: T})
    expect(records[0].headers).to.deep.equal([])
    expect(decodeControlRecord(records[0].key, records[0].value)).to.deep.equal({type: 'ABORT', coordinatorEpoch: 0})
  })

  describe('decodeControlRecord', () => {
    it('reads key and value, later versions as version 0 (as Kafka does)', () => {
      expect(decodeControlRecord(hex('0000 0001'), hex('0000 00000005'))).to.deep.equal({type: 'COMMIT', coordinatorEpoch: 5})
      expect(decodeControlRecord(hex('0001 0000 ff'), hex('0002 00000007 ff'))).to.deep.equal({type: 'ABORT', coordinatorEpoch: 7})
    })

    it('refuses short, null and negative-version keys and values, and other control types', () => {
      expect(() => decodeControlRecordKey(hex('0000 00'))).to.throw(ProtocolError, /control record key: 3 bytes/)
      expect(() => decodeControlRecordKey(null)).to.throw(ProtocolError, /control record key: null/)
      expect(() => decodeControlRecordKey(hex('ffff 0001'))).to.throw(ProtocolError, /version -1/)
      expect(() => decodeControlRecordKey(hex('0000 0002'))).to.throw(ProtocolError, /control record type 2 is not a transaction marker/)
      expect(() => decodeControlRecord(hex('0000 0001'), hex('0000 000000'))).to.throw(ProtocolError, /COMMIT marker value: 5 bytes/)
      expect(() => decodeControlRecord(hex('0000 0000'), null)).to.throw(ProtocolError, /ABORT marker value: null/)
      expect(() => decodeControlRecord(hex('0000 0000'), hex('8000 00000000'))).to.throw(ProtocolError, /version -32768/)
    })
  })

  describe('controlBatchType', () => {
    it('reads the type from the first record key, at an offset of stored bytes, without checking the CRC', async () => {
      const data = await encodeRecordBatch([{key: null, value: hex('aa'), headers: [], timestamp: T}], {compression: 'none'})
      const abort = encodeControlBatch({...commit, type: 'ABORT'})
      const log = Buffer.concat([data, COMMIT_BATCH, abort])
      expect(controlBatchType(log, 0)).to.equal(null)
      expect(controlBatchType(log, data.length)).to.equal('COMMIT')
      expect(controlBatchType(log, data.length + COMMIT_BATCH.length)).to.equal('ABORT')
      // The broker rewrites baseOffset and partitionLeaderEpoch; the type does not move.
      log.writeBigInt64BE(1234n, data.length)
      log.writeInt32BE(9, data.length + 12)
      expect(controlBatchType(log, data.length)).to.equal('COMMIT')
    })

    it('refuses control batches it cannot read: compressed, truncated, empty, other types', async () => {
      const marker = {key: encodeControlRecordKey('COMMIT'), value: encodeControlRecordValue(5), headers: [], timestamp: T}
      const gzip = await encodeRecordBatch([marker], {compression: 'gzip', transactional: true, control: true})
      expect(() => controlBatchType(gzip)).to.throw(ProtocolError, /compressed \(gzip\)/)
      expect(() => controlBatchType(COMMIT_BATCH.subarray(0, 64))).to.throw(ProtocolError, /malformed control batch at offset 0/)
      const empty = Buffer.from(COMMIT_BATCH)
      empty.writeInt32BE(0, 57)
      expect(() => controlBatchType(empty)).to.throw(ProtocolError, /holds no record/)
      const other = Buffer.from(COMMIT_BATCH)
      other.writeInt16BE(3, 68) // the key's type: KRaft's snapshot header
      stampBatchCrc(other)
      expect(() => controlBatchType(other)).to.throw(ProtocolError, /control record type 3/)
    })
  })
})
