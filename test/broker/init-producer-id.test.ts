import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {TxnBroker} from './txn-harness.js'

const idempotent = {transactionalId: null, transactionTimeoutMs: -1, producerId: -1, producerEpoch: -1}

describe('InitProducerId without a transactional id (idempotent producers)', () => {
  let h: TxnBroker
  beforeEach(async () => { h = await TxnBroker.open() })
  afterEach(() => h.close())

  it('gives each call a fresh producer id with epoch 0, at every version', async () => {
    const seen = new Set<number>()
    for (let version = 0; version <= 5; version++) {
      const response = await h.call(ApiKey.InitProducerId, version, idempotent)
      expect(response).to.deep.include({errorCode: 0, producerEpoch: 0, throttleTimeMs: 0})
      expect(response.producerId).to.be.at.least(0)
      seen.add(response.producerId)
    }
    expect(seen.size).to.equal(6)
    // No transactional id: nothing is written to __transaction_state.
    expect(h.logs.topic('__transaction_state')).to.equal(undefined)
  })

  it('ignores a v3+ producer id and epoch (KIP-360 bump of an idempotent producer): a new id, epoch 0', async () => {
    const first = await h.call(ApiKey.InitProducerId, 4, idempotent)
    const again = await h.call(ApiKey.InitProducerId, 4, {...idempotent, producerId: first.producerId, producerEpoch: 0})
    expect(again.errorCode).to.equal(0)
    expect(again.producerEpoch).to.equal(0)
    expect(again.producerId).to.not.equal(first.producerId)
  })

  it('answers concurrent calls with distinct ids', async () => {
    const responses = await Promise.all(Array.from({length: 50}, () => h.call(ApiKey.InitProducerId, 4, idempotent)))
    expect(new Set(responses.map(r => r.producerId)).size).to.equal(50)
    expect(responses.every(r => r.errorCode === 0)).to.equal(true)
  })

  it('never hands out an id again after a restart', async () => {
    const before = await Promise.all([1, 2, 3].map(() => h.call(ApiKey.InitProducerId, 4, idempotent)))
    await h.restart()
    const after = await h.call(ApiKey.InitProducerId, 4, idempotent)
    expect(after.errorCode).to.equal(0)
    expect(Math.min(...before.map(r => r.producerId))).to.be.below(after.producerId)
    expect(before.map(r => r.producerId)).to.not.include(after.producerId)
  })

  it('answers INVALID_REQUEST (v3+) when only one of producer id and epoch is set', async () => {
    const response = await h.call(ApiKey.InitProducerId, 3, {...idempotent, producerId: 5, producerEpoch: -1})
    expect(response).to.deep.include({errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1})
  })
})
