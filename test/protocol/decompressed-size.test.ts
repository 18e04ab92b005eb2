import {expect} from 'chai'
import {createRequire} from 'node:module'
import {compress, decompress, decompressSync, ProtocolError} from '../../src/protocol/index.js'
import {decompressedSizeBound} from '../../src/protocol/decompressed-size.js'

const require = createRequire(import.meta.url)
const snappy = require('snappy') as typeof import('snappy')

/** Text-like data that compresses, but not to nothing. */
function textOf(bytes: number): Buffer {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']
  let seed = 7
  const parts: string[] = []
  let length = 0
  while (length < bytes) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff
    const word = words[seed % words.length]! + (seed % 1000) + ' '
    parts.push(word)
    length += word.length
  }
  return Buffer.from(parts.join('')).subarray(0, bytes)
}

/** The xerial stream the Java client writes: header, then int32-length-prefixed raw snappy blocks. */
function xerial(blocks: Buffer[]): Buffer {
  const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1])
  return Buffer.concat([header, ...blocks.flatMap((block) => {
    const length = Buffer.alloc(4)
    length.writeInt32BE(block.length)
    return [length, block]
  })])
}

describe('decompressed size bounds', () => {
  const sizes = [0, 1, 1000, 100_000, 1_500_000]

  for (const codec of ['snappy', 'lz4', 'zstd'] as const) {
    it(`bound ${codec} output from above, within one block of the real size`, async () => {
      for (const size of sizes) {
        for (const data of [textOf(size), Buffer.alloc(size)]) {
          const compressed = await compress(codec, data)
          const bound = decompressedSizeBound(codec, compressed)
          expect(bound, `${codec} of ${size} bytes`).to.be.at.least(data.length)
          expect(bound, `${codec} of ${size} bytes`).to.be.at.most(data.length + 4 * 1024 * 1024)
          expect((await decompress(codec, compressed)).equals(data)).to.equal(true)
        }
      }
    })
  }

  it('bounds a xerial snappy stream by the sum of its blocks', () => {
    const blocks = [textOf(5000), Buffer.alloc(70_000)].map((block) => snappy.compressSync(block))
    expect(decompressedSizeBound('snappy', xerial(blocks))).to.equal(75_000)
  })

  it('sums concatenated frames and steps over skippable ones', async () => {
    const first = await compress('zstd', textOf(10_000))
    const skippable = Buffer.from([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3])
    const second = await compress('zstd', Buffer.alloc(20_000))
    const bound = decompressedSizeBound('zstd', Buffer.concat([first, skippable, second]))
    expect(bound).to.be.at.least(30_000)
    expect(decompressedSizeBound('zstd', Buffer.concat([first, skippable]))).to.equal(decompressedSizeBound('zstd', first))
  })

  it('refuses truncated or unknown frames as corrupt', async () => {
    const lz4 = await compress('lz4', textOf(10_000))
    expect(() => decompressedSizeBound('lz4', lz4.subarray(0, lz4.length - 6))).to.throw(ProtocolError, /truncated/)
    expect(() => decompressedSizeBound('zstd', Buffer.from('not a zstd frame'))).to.throw(ProtocolError, /no frame magic/)
    expect(() => decompressedSizeBound('snappy', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]))).to.throw(ProtocolError, /length preamble/)
  })
})

describe('bounded decompression', () => {
  // 8 MiB of zeros: a few hundred bytes compressed, 8 MiB decompressed; a 1 MiB limit stands for the default 128 MiB.
  const zeros = Buffer.alloc(8 * 1024 * 1024)
  const limit = 1024 * 1024

  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`refuses ${codec} data that would decompress past the limit, before it takes the memory`, async () => {
      const bomb = await compress(codec, zeros)
      expect(bomb.length).to.be.below(zeros.length / 20)
      const error = await decompress(codec, bomb, limit).then(() => null, (e: unknown) => e)
      expect(error).to.be.instanceOf(ProtocolError)
      expect((error as Error).message).to.match(/more than the \d+ allowed|more bytes than allowed/)
      expect((await decompress(codec, bomb, zeros.length)).length).to.equal(zeros.length)
      if (codec !== 'zstd') expect(() => decompressSync(codec, bomb, limit)).to.throw(ProtocolError)
    })
  }
})
