import {expect} from 'chai'
import {checkProducedBatch, MAX_COMPRESSED_BATCH_RECORDS} from '../../src/broker/produced-batch.js'
import {encodeRecordBatch, ErrorCode, stampBatchCrc} from '../../src/protocol/index.js'
import {batchOf} from './broker-harness.js'

describe('checkProducedBatch', () => {
  const opts = {maxMessageBytes: 1_000_000, produceVersion: 9}
  const code = (result: ReturnType<typeof checkProducedBatch>) => (result.ok ? 0 : result.errorCode)

  it('accepts one valid batch', async () => {
    expect(checkProducedBatch(await batchOf(['a', 'b']), opts)).to.deep.equal({ok: true})
  })

  it('answers unreadable bytes with 2: short, or a length past the end', async () => {
    const good = await batchOf(['a'])
    const wrongLength = Buffer.from(good)
    wrongLength.writeInt32BE(good.length, 8)
    const tooShortLength = Buffer.from(good)
    tooShortLength.writeInt32BE(10, 8)
    for (const bad of [good.subarray(0, 40), wrongLength, tooShortLength, good.subarray(0, good.length - 1)]) {
      expect(code(checkProducedBatch(bad, opts))).to.equal(ErrorCode.CORRUPT_MESSAGE)
    }
  })

  it('answers no batch, more than one batch and magic 1 with 87 (invalid record)', async () => {
    const good = await batchOf(['a'])
    const magic1 = Buffer.from(good)
    magic1[16] = 1
    for (const bad of [null, Buffer.alloc(0), magic1, Buffer.concat([good, good])]) {
      expect(code(checkProducedBatch(bad, opts))).to.equal(ErrorCode.INVALID_RECORD)
    }
  })

  it('refuses a batch with a producer id and no sequence with 87, as Kafka', async () => {
    const batch = await encodeRecordBatch([{key: null, value: Buffer.from('a'), headers: [], timestamp: 1}],
      {compression: 'none', producerId: 5, producerEpoch: 0, baseSequence: -1})
    const result = checkProducedBatch(batch, opts)
    expect(code(result)).to.equal(ErrorCode.INVALID_RECORD)
    expect(result.ok ? '' : result.message).to.equal('Invalid sequence number -1 in record batch with producerId 5')
    batch.writeInt32BE(0, 53)
    stampBatchCrc(batch)
    expect(checkProducedBatch(batch, opts)).to.deep.equal({ok: true})
  })

  it('refuses a record count that does not match lastOffsetDelta with 87', async () => {
    const batch = await batchOf(['a', 'b'])
    batch.writeInt32BE(3, 57)
    stampBatchCrc(batch)
    expect(code(checkProducedBatch(batch, opts))).to.equal(ErrorCode.INVALID_RECORD)
  })

  const claiming = (batch: Buffer, count: number) => {
    const forged = Buffer.from(batch)
    forged.writeInt32BE(count - 1, 23)
    forged.writeInt32BE(count, 57)
    stampBatchCrc(forged)
    return forged
  }

  it('refuses an uncompressed batch claiming more records than its bytes can hold', async () => {
    const batch = await batchOf(['a', 'b', 'c'])
    const capacity = Math.floor((batch.length - 61) / 7)
    expect(code(checkProducedBatch(claiming(batch, capacity), opts))).to.equal(0)
    expect(code(checkProducedBatch(claiming(batch, capacity + 1), opts))).to.equal(ErrorCode.INVALID_RECORD)
    expect(code(checkProducedBatch(claiming(batch, 0x7fffffff), opts))).to.equal(ErrorCode.INVALID_RECORD)
  })

  it('refuses a compressed batch claiming more than MAX_COMPRESSED_BATCH_RECORDS', async () => {
    const batch = await batchOf(['a'], {compression: 'gzip'})
    expect(code(checkProducedBatch(claiming(batch, MAX_COMPRESSED_BATCH_RECORDS), opts))).to.equal(0)
    expect(code(checkProducedBatch(claiming(batch, MAX_COMPRESSED_BATCH_RECORDS + 1), opts))).to.equal(ErrorCode.INVALID_RECORD)
    expect(code(checkProducedBatch(claiming(batch, 0x7fffffff), opts))).to.equal(ErrorCode.INVALID_RECORD)
  })

  it('checks size before the CRC, so an oversize batch is 10 whatever its bytes', async () => {
    const batch = await batchOf(['x'.repeat(100)])
    batch[batch.length - 1] ^= 1
    expect(code(checkProducedBatch(batch, {...opts, maxMessageBytes: 50}))).to.equal(ErrorCode.MESSAGE_TOO_LARGE)
    expect(code(checkProducedBatch(batch, opts))).to.equal(ErrorCode.CORRUPT_MESSAGE)
  })
})
