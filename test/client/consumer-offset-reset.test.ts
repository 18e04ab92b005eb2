// The consumer's reset policy (auto.offset.reset) when a Fetch answers OFFSET_OUT_OF_RANGE: earliest,
// latest, or none. Separate from the read tests because it covers one option and its callback; helpers in
// consumer-fixtures.ts.
import {expect} from 'chai'
import {ApiKey} from '../../src/protocol/index.js'
import {type Consumer, type OffsetReset} from '../../src/client/index.js'
import {KafkaProtocolError} from '../../src/client/errors.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {append, consumeUntil, consumer, values} from './consumer-fixtures.js'

describe('Consumer', () => {
  closeSessionAfterEach()

  describe('offset reset policy', () => {
    it("with 'earliest', goes on from the log start when the position fell below it, and says so", async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a', 'b'])
      await append(fake, 't', 0, ['c', 'd'])
      await append(fake, 't', 0, ['e'])
      let fetches = 0
      fake.intercept(ApiKey.Fetch, (request, _context, next) => {
        if (++fetches === 2) fake.partition('t', 0).logStartOffset = 4 // retention ran between two fetches
        return next(request)
      })
      const resets: OffsetReset[] = []
      const c = consumer({partitionMaxBytes: 1, offsetReset: 'earliest', onOffsetReset: (reset) => resets.push(reset)})
      await c.assign([{topic: 't', partition: 0, offset: 0}])
      const seen: string[] = []
      const items = await consumeUntil(c, (got) => {
        seen.push(`${values(got.slice(-1)).join(',')}|${resets.length}`)
        return values(got).length === 3
      })
      expect(values(items)).to.deep.equal(['a', 'b', 'e'])
      expect(resets).to.deep.equal([{topic: 't', partition: 0, from: 2, to: 4, policy: 'earliest'}])
      expect(seen[0], 'the records fetched before the reset come first').to.equal('a,b|0')
      expect(c.position('t', 0)).to.equal(5)
    })

    it("with 'latest', goes on from the end", async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a', 'b', 'c'])
      fake.partition('t', 0).logStartOffset = 2
      const resets: OffsetReset[] = []
      const c = consumer({offsetReset: 'latest', onOffsetReset: (reset) => resets.push(reset)})
      await c.assign([{topic: 't', partition: 0, offset: 0}])
      let appended = false
      const items = await consumeUntil(c, (got) => {
        if (resets.length === 1 && !appended) {
          appended = true
          void append(fake, 't', 0, ['new'])
        }
        return values(got).length > 0
      })
      expect(values(items)).to.deep.equal(['new'])
      expect(resets).to.deep.equal([{topic: 't', partition: 0, from: 0, to: 3, policy: 'latest'}])
    })

    it('applies to a position past the end too (the log was cut back)', async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a'])
      const resets: OffsetReset[] = []
      const c = consumer({offsetReset: 'earliest', onOffsetReset: (reset) => resets.push(reset)})
      await c.assign([{topic: 't', partition: 0, offset: 7}])
      expect(values(await consumeUntil(c, (got) => values(got).length > 0))).to.deep.equal(['a'])
      expect(resets).to.deep.equal([{topic: 't', partition: 0, from: 7, to: 0, policy: 'earliest'}])
    })

    it("with 'none' (the default), reports the error and stops the partition", async () => {
      await start()
      fake.createTopic('t', 1)
      await append(fake, 't', 0, ['a'])
      fake.partition('t', 0).logStartOffset = 1
      const c = consumer({offsetReset: 'none'})
      await c.assign([{topic: 't', partition: 0, offset: 0}])
      const failure = await consumeUntil(c, () => false).then(() => null, (error: unknown) => error)
      expect(failure).to.be.instanceOf(KafkaProtocolError)
      expect((failure as Error).message).to.include('t/0: OFFSET_OUT_OF_RANGE (offset 0 is outside')
    })
  })
})
