import {expect} from 'chai'
import {
  describeSingleFrame,
  frameCrcIsValid,
  readFrameHeader,
  stampLogAppendTime,
  stampOffsets,
  wholeFramesLength,
} from '../../src/storage/stored-batch.js'
import {buildBatch, parseBatch} from './record-batch.js'

describe('stored-batch', () => {
  it('reads baseOffset, lastOffset and size from a frame header', () => {
    const batch = buildBatch(['a', 'b', 'c'], {baseOffset: 40})
    expect(readFrameHeader(batch, 0)).to.deep.equal({baseOffset: 40, lastOffset: 42, size: batch.length, maxTimestamp: 1_700_000_000_000})
  })

  it('reads a header at a position inside a larger buffer', () => {
    const first = buildBatch(['x'])
    const second = buildBatch(['y', 'z'], {baseOffset: 7})
    const bytes = Buffer.concat([first, second])
    expect(readFrameHeader(bytes, first.length)).to.deep.equal({baseOffset: 7, lastOffset: 8, size: second.length, maxTimestamp: 1_700_000_000_000})
  })

  it('names the defect of a bad length, magic or offset delta', () => {
    const cases: {damage: (batch: Buffer) => void; defect: string}[] = [
      {damage: (b) => b.writeInt32BE(48, 8), defect: 'bad-length'},
      {damage: (b) => b.writeInt32BE(-5, 8), defect: 'bad-length'},
      {damage: (b) => b.writeInt8(1, 16), defect: 'bad-magic'},
      {damage: (b) => b.writeInt32BE(-1, 23), defect: 'bad-offset-delta'},
    ]
    for (const {damage, defect} of cases) {
      const batch = buildBatch(['a'])
      damage(batch)
      expect(readFrameHeader(batch, 0)).to.equal(defect)
    }
  })

  it('checks the CRC over bytes 21 to the end only', () => {
    const batch = buildBatch(['hello', 'world'])
    expect(frameCrcIsValid(batch, 0, batch.length)).to.equal(true)
    batch.writeBigInt64BE(123n, 0)
    batch.writeInt32BE(9, 12)
    expect(frameCrcIsValid(batch, 0, batch.length)).to.equal(true)
    batch[batch.length - 3] ^= 0x01
    expect(frameCrcIsValid(batch, 0, batch.length)).to.equal(false)
  })

  it('stamps baseOffset and leader epoch 0 and keeps the CRC valid', () => {
    const batch = buildBatch(['a', 'b'], {baseOffset: 0, partitionLeaderEpoch: 17})
    stampOffsets(batch, 2 ** 40 + 5)
    const parsed = parseBatch(batch)
    expect(parsed).to.include({baseOffset: 2 ** 40 + 5, lastOffset: 2 ** 40 + 6, partitionLeaderEpoch: 0, crcValid: true})
    expect(parsed.values).to.deep.equal(['a', 'b'])
  })

  it('stamps LogAppendTime: attribute bit 3, maxTimestamp, and a recomputed CRC', () => {
    const batch = buildBatch(['a'], {timestamp: 1000})
    stampLogAppendTime(batch, 1_800_000_000_000)
    const parsed = parseBatch(batch)
    expect(parsed.attributes & 0x08).to.equal(0x08)
    expect(parsed.maxTimestamp).to.equal(1_800_000_000_000)
    expect(parsed.crcValid).to.equal(true)
  })

  it('accepts exactly one whole frame as an incoming batch', () => {
    const batch = buildBatch(['a', 'b'])
    expect(describeSingleFrame(batch)).to.deep.equal({baseOffset: 0, lastOffset: 1, size: batch.length, maxTimestamp: 1_700_000_000_000})
    expect(describeSingleFrame(batch.subarray(0, batch.length - 1))).to.equal('size-mismatch')
    expect(describeSingleFrame(Buffer.concat([batch, batch]))).to.equal('size-mismatch')
    expect(describeSingleFrame(batch.subarray(0, 30))).to.equal('size-mismatch')
  })

  it('measures the whole frames at the start of a buffer', () => {
    const a = buildBatch(['a'])
    const b = buildBatch(['bb', 'bb'])
    const c = buildBatch(['ccc'])
    const bytes = Buffer.concat([a, b, c])
    expect(wholeFramesLength(bytes, a.length)).to.equal(bytes.length)
    expect(wholeFramesLength(bytes.subarray(0, bytes.length - 1), a.length)).to.equal(a.length + b.length)
    expect(wholeFramesLength(bytes.subarray(0, a.length + 20), a.length)).to.equal(a.length)
    const garbage = Buffer.concat([a, Buffer.alloc(80)])
    expect(wholeFramesLength(garbage, a.length)).to.equal('bad-length')
  })
})
