import {createRequire} from 'node:module'
import {randomBytes} from 'node:crypto'
import {expect} from 'chai'
import {StickyPartitioner, murmur2, partitionForKey} from '../../src/client/partitioner.js'

// kafkajs' Long-based port of the Java murmur2: an independent reference for random inputs.
const requireCjs = createRequire(import.meta.url)
const kafkajsMurmur2 = requireCjs('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: Buffer) => number

describe('partitioner', () => {
  describe('murmur2', () => {
    it('matches the Java client test vectors', () => {
      expect(murmur2(Buffer.from('21'))).to.equal(-973932308)
      expect(murmur2(Buffer.from('foobar'))).to.equal(-790332482)
      expect(murmur2(Buffer.from('abc'))).to.equal(479470107)
    })

    it('agrees with an independent implementation for every tail length', () => {
      for (let length = 0; length < 64; length++) {
        for (let round = 0; round < 20; round++) {
          const key = randomBytes(length)
          expect(murmur2(key), key.toString('hex')).to.equal(kafkajsMurmur2(key))
        }
      }
    })
  })

  describe('partitionForKey', () => {
    it('masks the sign bit instead of taking the absolute value', () => {
      // murmur2("21") is negative: Math.abs would give 973932308 % 6 = 2, the mask gives 1173551340 % 6 = 0
      expect(partitionForKey(Buffer.from('21'), 6)).to.equal(((-973932308 & 0x7fffffff) % 6))
      expect(partitionForKey(Buffer.from('21'), 6)).to.equal(0)
    })

    it('places "abc" where the Java client does on 6 partitions', () => {
      expect(partitionForKey(Buffer.from('abc'), 6)).to.equal(3)
    })
  })

  describe('StickyPartitioner', () => {
    it('keeps a topic on one partition until its batch closes', () => {
      const sticky = new StickyPartitioner()
      const first = sticky.partition('t', 8)
      for (let i = 0; i < 100; i++) expect(sticky.partition('t', 8)).to.equal(first)
      sticky.batchClosed('t', first, 8)
      expect(sticky.partition('t', 8)).to.not.equal(first)
    })

    it('ignores the closing of a batch it is not sticking to', () => {
      const sticky = new StickyPartitioner()
      const first = sticky.partition('t', 8)
      sticky.batchClosed('t', (first + 1) % 8, 8)
      expect(sticky.partition('t', 8)).to.equal(first)
    })

    it('never repeats the closed partition even when the random source insists', () => {
      const sticky = new StickyPartitioner(() => 0)
      expect(sticky.partition('t', 3)).to.equal(0)
      sticky.batchClosed('t', 0, 3)
      expect(sticky.partition('t', 3)).to.equal(1)
    })

    it('stays on the only partition of a one-partition topic', () => {
      const sticky = new StickyPartitioner()
      sticky.batchClosed('t', sticky.partition('t', 1), 1)
      expect(sticky.partition('t', 1)).to.equal(0)
    })

    it('spreads keyless records over all partitions as batches close', () => {
      const sticky = new StickyPartitioner()
      const seen = new Set<number>()
      for (let i = 0; i < 500; i++) {
        const p = sticky.partition('t', 4)
        seen.add(p)
        sticky.batchClosed('t', p, 4)
      }
      expect([...seen].sort()).to.deep.equal([0, 1, 2, 3])
    })

    it('keeps topics independent', () => {
      const sticky = new StickyPartitioner()
      const a = sticky.partition('a', 16)
      const b = sticky.partition('b', 16)
      sticky.batchClosed('b', b, 16)
      expect(sticky.partition('a', 16)).to.equal(a)
    })
  })
})
