// The consumer's assigned partitions: one unassigned stops being read, a deleted topic ends the partition
// after a few Metadata lookups unless it comes back, and position() refuses a partition not assigned.
// Separate from the read and fetching tests; helpers in consumer-fixtures.ts.
import {expect} from 'chai'
import {ApiKey, ErrorCode, type ResponseTypes} from '../../src/protocol/index.js'
import {type Consumer} from '../../src/client/index.js'
import {KafkaProtocolError, WeirError} from '../../src/client/errors.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {append, consumeUntil, consumer, values} from './consumer-fixtures.js'

describe('Consumer', () => {
  closeSessionAfterEach()

  it('stops reading an unassigned partition', async () => {
    await start()
    fake.createTopic('t', 2)
    await append(fake, 't', 0, ['a'])
    await append(fake, 't', 1, ['b'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}, {topic: 't', partition: 1, offset: 0}])
    c.unassign('t', 1)
    await append(fake, 't', 0, ['c'])
    const items = await consumeUntil(c, (got) => values(got).length === 2)
    expect(values(items)).to.deep.equal(['a', 'c'])
    expect(values(items, 1)).to.deep.equal([])
    expect(() => c.position('t', 1)).to.throw(WeirError, 'not assigned')
  })

  it('stops with UNKNOWN_TOPIC_OR_PARTITION after a few spaced Metadata lookups when its topic is deleted mid-consume', async () => {
    await start()
    fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a'])
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    let metadataBeforeDelete = 0
    try {
      await consumeUntil(c, () => {
        if (c.position('t', 0) >= 1 && fake.topics.delete('t')) metadataBeforeDelete = fake.requestsOf(ApiKey.Metadata).length
        return false
      })
      expect.fail('iteration ended')
    } catch (error) {
      expect(error).to.be.instanceOf(KafkaProtocolError)
      expect((error as KafkaProtocolError).kafkaCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
      expect((error as Error).message).to.match(/^t\/0: UNKNOWN_TOPIC_OR_PARTITION/)
    }
    // one lookup per retry (eight in a row end it), not a lookup loop
    const lookups = fake.requestsOf(ApiKey.Metadata).length - metadataBeforeDelete
    expect(lookups).to.be.within(1, 8)
    await c.close()
  })

  it('keeps reading when a deleted topic comes back before the retries run out', async () => {
    await start()
    const topic = fake.createTopic('t', 1)
    await append(fake, 't', 0, ['a'])
    let misses = 0
    fake.intercept(ApiKey.Metadata, async (_request, _context, next) => {
      const reply = (await next()) as ResponseTypes[3]
      if (reply.topics[0]?.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && ++misses === 3) fake.topics.set('t', topic)
      return reply
    })
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 0}])
    let appended = false
    const items = await consumeUntil(c, () => {
      if (c.position('t', 0) === 1 && misses === 0) fake.topics.delete('t')
      if (misses >= 3 && !appended) {
        appended = true
        void append(fake, 't', 0, ['b'])
      }
      return c.position('t', 0) >= 2
    })
    expect(values(items)).to.deep.equal(['a', 'b'])
    expect(misses).to.equal(3)
    await c.close()
  })

  it('refuses position() for a partition it was not assigned', async () => {
    await start()
    const c = consumer()
    expect(() => c.position('t', 0)).to.throw(WeirError, 't/0 is not assigned to this consumer')
  })
})
