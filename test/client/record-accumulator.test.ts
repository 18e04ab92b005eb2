import {randomBytes} from 'node:crypto'
import {expect} from 'chai'
import {BATCH_HEADER_SIZE, encodeRecordBatch, inflateBatch, zigzagSize, type ProducerRecord} from '../../src/protocol/index.js'
import {BatchBuffers} from '../../src/client/batch-buffers.js'
import {RecordAccumulator, recordSize, type ProducerBatch} from '../../src/client/record-accumulator.js'

function randomRecord(i: number, baseTimestamp: number): ProducerRecord {
  const maybe = (n: number): Buffer | null => (i % 7 === 0 ? null : randomBytes(n))
  return {
    key: maybe(i % 40),
    value: i % 11 === 0 ? null : randomBytes((i * 37) % 300),
    headers: i % 5 === 0 ? [{key: `h-${i}-é`, value: maybe(i % 9)}] : [],
    // deltas from tiny to beyond 32 bits, both signs
    timestamp: baseTimestamp + (i % 3 === 0 ? i : (i % 2 ? 1 : -1) * i * 2 ** (i % 40)),
  }
}

describe('RecordAccumulator', () => {
  it('sizes records exactly as the batch encoder writes them', async () => {
    const base = 1_700_000_000_000
    const records = Array.from({length: 200}, (_, i) => randomRecord(i, base))
    records[0]!.timestamp = base
    let expected = BATCH_HEADER_SIZE
    records.forEach((record, i) => (expected += recordSize(record, i, base)))
    const batch = await encodeRecordBatch(records, {compression: 'none'})
    expect(batch.length).to.equal(expected)
  })

  it('sizes zigzag varints at every byte boundary', () => {
    expect([0, -1, 63, -64, 64, -65, 8191, 8192].map(zigzagSize)).to.deep.equal([1, 1, 1, 1, 2, 2, 2, 3])
    expect(zigzagSize(2 ** 40)).to.equal(6)
    expect(zigzagSize(-(2 ** 52))).to.equal(8)
  })

  it('closes a batch when the next record would not fit, and on linger', async () => {
    const closed: ProducerBatch[] = []
    const accumulator = new RecordAccumulator({batchBytes: 500, lingerMs: 1, onBatchClosed: (_q, batch) => closed.push(batch)})
    const queue = accumulator.queue('t', 0)
    const record = {key: null, value: Buffer.alloc(100), headers: [], timestamp: 1}
    for (let i = 0; i < 9; i++) accumulator.append(queue, record.key, record.value, record.headers, record.timestamp)
    expect(closed.map((b) => b.recordCount)).to.deep.equal([4, 4])
    for (const batch of closed) expect(batch.sizeBytes).to.be.at.most(500)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(closed.map((b) => b.recordCount)).to.deep.equal([4, 4, 1])
    expect(queue.open).to.equal(null)
    accumulator.dispose()
  })

  it('closes every open batch on closeAll, each partition separately', () => {
    const closed: string[] = []
    const accumulator = new RecordAccumulator({batchBytes: 10_000, lingerMs: 60_000, onBatchClosed: (q) => closed.push(`${q.topic}/${q.partition}`)})
    const value = Buffer.from('v')
    accumulator.append(accumulator.queue('a', 0), null, value, [], 1)
    accumulator.append(accumulator.queue('a', 1), null, value, [], 1)
    accumulator.append(accumulator.queue('b', 0), null, value, [], 1)
    accumulator.closeAll()
    expect(closed).to.deep.equal(['a/0', 'a/1', 'b/0'])
    accumulator.dispose()
  })

  it("numbers each partition's batches, and puts a retried batch back before every later one", () => {
    const accumulator = new RecordAccumulator({batchBytes: 100, lingerMs: 60_000, onBatchClosed: () => undefined})
    const queue = accumulator.queue('t', 0)
    const value = Buffer.alloc(50)
    for (let i = 0; i < 6; i++) accumulator.append(queue, null, value, [], 1)
    accumulator.closeAll()
    expect(queue.closed.map((b) => b.sequence)).to.deep.equal([0, 1, 2, 3, 4, 5])
    expect(accumulator.queue('u', 0).nextSequence).to.equal(0) // per partition
    const [first, second, third] = queue.closed.splice(0, 3)
    queue.putBack(second!)
    queue.putBack(first!)
    expect(queue.closed.map((b) => b.sequence)).to.deep.equal([0, 1, 3, 4, 5])
    queue.closed.splice(0, 4)
    queue.putBack(third!)
    expect(queue.closed.map((b) => b.sequence)).to.deep.equal([2, 5])
    accumulator.dispose()
  })

  it('writes new batches into buffers handed back', async () => {
    const buffers = new BatchBuffers(1)
    const spare = Buffer.alloc(20_000, 0xee)
    buffers.give(spare)
    const closed: ProducerBatch[] = []
    const accumulator = new RecordAccumulator({batchBytes: 10_000, lingerMs: 60_000, buffers, onBatchClosed: (_q, batch) => closed.push(batch)})
    const queue = accumulator.queue('t', 0)
    accumulator.append(queue, null, Buffer.from('v'), [], 1)
    accumulator.append(accumulator.queue('t', 1), null, Buffer.from('w'), [], 1)
    accumulator.closeAll()
    expect(closed[0]!.builder.storage).to.equal(spare)
    expect(closed[1]!.builder.storage).to.not.equal(spare)
    const batch = await closed[0]!.builder.finish({compression: 'none'})
    expect(batch.buffer).to.equal(spare.buffer)
    expect((await inflateBatch(batch)).records.map((r) => r.value!.toString())).to.deep.equal(['v'])
    accumulator.dispose()
  })
})
