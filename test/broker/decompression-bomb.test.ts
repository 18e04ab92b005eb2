import {expect} from 'chai'
import {ApiKey, encodeRecordBatch, ErrorCode, MAX_DECOMPRESSED_BATCH_BYTES} from '../../src/protocol/index.js'
import {BrokerHarness, produceBody} from './broker-harness.js'

/**
 * A compacted topic's Produce decompresses the batch to check every record has a key: a small
 * batch claiming more than MAX_DECOMPRESSED_BATCH_BYTES is refused as corrupt before it is inflated,
 * and the broker goes on serving.
 */
describe('a decompression bomb sent to a compacted topic', function () {
  this.timeout(60_000)
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('users', 1, {'cleanup.policy': 'compact'})
  })
  afterEach(() => h.close())

  it('is answered CORRUPT_MESSAGE, appends nothing, and leaves the broker serving', async () => {
    const value = Buffer.alloc(MAX_DECOMPRESSED_BATCH_BYTES + 1024 * 1024)
    const bomb = await encodeRecordBatch([{key: Buffer.from('k'), value, headers: [], timestamp: 1_700_000_000_000}], {compression: 'zstd'})
    expect(bomb.length).to.be.below(64 * 1024)
    const response = await h.call(ApiKey.Produce, 9, produceBody('users', 0, bomb))
    const answer = response.responses[0].partitionResponses[0]
    expect(answer.errorCode).to.equal(ErrorCode.CORRUPT_MESSAGE)
    expect(answer.errorMessage).to.match(/may decompress to \d+ bytes/)
    expect(h.logs.partition('users', 0)!.logEndOffset).to.equal(0)
    const keyed = await encodeRecordBatch([{key: Buffer.from('k'), value: Buffer.from('v'), headers: [], timestamp: 1_700_000_000_000}],
      {compression: 'zstd'})
    expect((await h.call(ApiKey.Produce, 9, produceBody('users', 0, keyed))).responses[0].partitionResponses[0].errorCode).to.equal(0)
  })
})
