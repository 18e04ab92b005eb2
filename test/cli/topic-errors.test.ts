import {expect} from 'chai'

import {UsageError} from '../../src/cli/cli-errors.js'
import {UNKNOWN_TOPIC, deliveryError} from '../../src/cli/topic-errors.js'
import {KafkaProtocolError} from '../../src/client/errors.js'

describe('deliveryError', () => {
  it('words a missing topic as consume and topics do', () => {
    const error = deliveryError(new KafkaProtocolError(3, 'topic orders'), 'orders')
    expect(error).to.include({code: UNKNOWN_TOPIC, message: "topic 'orders' does not exist"})
  })

  it('makes a partition the topic lacks a usage error', () => {
    const error = deliveryError(new KafkaProtocolError(3, 'orders/7', 'topic orders has 3 partitions'), 'orders')
    expect(error).to.be.instanceOf(UsageError)
    expect(error).to.include({message: 'topic orders has no partition 7', exit: 2})
  })

  it('passes other failures unchanged', () => {
    const tooLarge = new KafkaProtocolError(10, 'orders/0')
    expect(deliveryError(tooLarge, 'orders')).to.equal(tooLarge)
    const other = new Error('boom')
    expect(deliveryError(other, 'orders')).to.equal(other)
  })
})
