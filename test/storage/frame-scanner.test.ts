import {expect} from 'chai'
import {closeSync, openSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {FrameScanner, type ScanStep} from '../../src/storage/frame-scanner.js'
import {nodeFileSystem} from '../../src/storage/fs.js'
import {seededRandom} from './random.js'
import {buildBatch} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'

describe('FrameScanner', () => {
  const tempDir = useTempDirs()

  function writeLog(batches: Buffer[], tail = Buffer.alloc(0)): {path: string; size: number} {
    const path = join(tempDir(), 'log')
    const bytes = Buffer.concat([...batches, tail])
    writeFileSync(path, bytes)
    return {path, size: bytes.length}
  }

  function scanAll(path: string, size: number, options: {verifyCrc: boolean; chunkBytes?: number}): ScanStep[] {
    const fd = openSync(path, 'r')
    try {
      const scanner = new FrameScanner(nodeFileSystem, fd, 0, size, options)
      const steps: ScanStep[] = []
      for (;;) {
        const step = scanner.next()
        steps.push(step)
        if (!('frame' in step)) return steps
      }
    } finally {
      closeSync(fd)
    }
  }

  function batchesOfRandomSizes(count: number): Buffer[] {
    const random = seededRandom(count)
    return Array.from({length: count}, (_, i) =>
      buildBatch(Array.from({length: random.between(1, 5)}, () => 'v'.repeat(random.between(0, 700))), {baseOffset: i * 10}),
    )
  }

  it('yields every frame with its position, whatever the chunk size', () => {
    const batches = batchesOfRandomSizes(60)
    const {path, size} = writeLog(batches)
    const large = scanAll(path, size, {verifyCrc: true})
    for (const chunkBytes of [61, 100, 1000, 4096]) {
      expect(scanAll(path, size, {verifyCrc: true, chunkBytes}), `chunk ${chunkBytes}`).to.deep.equal(large)
    }
    expect(large).to.have.length(61)
    expect(large[60]).to.deep.equal({done: true, position: size})
    expect(large[1]).to.deep.include({frame: {baseOffset: 10, lastOffset: 10 + (batches[1] as Buffer).readInt32BE(23), size: (batches[1] as Buffer).length, position: (batches[0] as Buffer).length, maxTimestamp: 1_700_000_000_000}})
  })

  it('reports a torn tail where fewer bytes remain than the header or the length need', () => {
    const batches = batchesOfRandomSizes(3)
    const whole = Buffer.concat(batches).length
    const shortHeader = writeLog(batches, Buffer.alloc(20))
    expect(scanAll(shortHeader.path, shortHeader.size, {verifyCrc: false}).at(-1)).to.deep.equal({defect: 'torn', position: whole})
    const cut = writeLog([...batches, (batches[0] as Buffer).subarray(0, 70)])
    expect(scanAll(cut.path, cut.size, {verifyCrc: false}).at(-1)).to.deep.equal({defect: 'torn', position: whole})
  })

  it('reports a CRC mismatch only when verifying', () => {
    const batches = batchesOfRandomSizes(4)
    const damaged = Buffer.from(batches[2] as Buffer)
    damaged[damaged.length - 1] ^= 0xff
    const {path, size} = writeLog([batches[0] as Buffer, batches[1] as Buffer, damaged, batches[3] as Buffer])
    const position = (batches[0] as Buffer).length + (batches[1] as Buffer).length
    expect(scanAll(path, size, {verifyCrc: true}).at(-1)).to.deep.equal({defect: 'bad-crc', position})
    expect(scanAll(path, size, {verifyCrc: false}).at(-1)).to.deep.equal({done: true, position: size})
  })
})
