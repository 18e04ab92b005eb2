import {expect} from 'chai'
import {checkProducedBatch} from '../../src/broker/produced-batch.js'
import {ErrorCode} from '../../src/protocol/index.js'
import {batchOf} from './broker-harness.js'

describe('checkProducedBatch', () => {
  const opts = {maxMessageBytes: 1_000_000, produceVersion: 9}
  const code = (result: ReturnType<typeof checkProducedBatch>) => (result.ok ? 0 : result.errorCode)

  it('accepts one valid batch', async () => {
    expect(checkProducedBatch(await batchOf(['a', 'b']), opts)).to.deep.equal({ok: true})
  })

  it('refuses missing, short, magic-1 and length-inconsistent batches as corrupt', async () => {
    const good = await batchOf(['a'])
    const magic1 = Buffer.from(good)
    magic1[16] = 1
    const wrongLength = Buffer.from(good)
    wrongLength.writeInt32BE(good.length, 8)
    for (const bad of [null, Buffer.alloc(0), good.subarray(0, 40), magic1, wrongLength, good.subarray(0, good.length - 1)]) {
      expect(code(checkProducedBatch(bad, opts))).to.equal(ErrorCode.CORRUPT_MESSAGE)
    }
  })

  it('refuses a record count that does not match lastOffsetDelta', async () => {
    const batch = await batchOf(['a', 'b'])
    batch.writeInt32BE(3, 57)
    expect(code(checkProducedBatch(batch, opts))).to.equal(ErrorCode.CORRUPT_MESSAGE)
  })

  it('checks size before the CRC, so an oversize batch is 10 whatever its bytes', async () => {
    const batch = await batchOf(['x'.repeat(100)])
    batch[batch.length - 1] ^= 1
    expect(code(checkProducedBatch(batch, {...opts, maxMessageBytes: 50}))).to.equal(ErrorCode.MESSAGE_TOO_LARGE)
    expect(code(checkProducedBatch(batch, opts))).to.equal(ErrorCode.CORRUPT_MESSAGE)
  })
})
