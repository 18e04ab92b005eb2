// The consumer's isolation levels against the fake cluster answering read_committed as a broker does
// (consumer-txn-fixtures.ts): committed and aborted transactions of one or several producers, an open
// transaction holding reading at the last stable offset, aborted transactions spread over several
// fetches, markers never shown, and read_uncommitted seeing everything but the markers.
import {expect} from 'chai'
import {ApiKey} from '../../src/protocol/index.js'
import {type Consumer, type FetchedBatch} from '../../src/client/index.js'
import {closeSessionAfterEach, fake, start} from './fake-cluster-session.js'
import {append, consumeUntil, consumer, values} from './consumer-fixtures.js'
import {appendIdempotent, appendMarker, appendTransactional, serveReadCommitted} from './consumer-txn-fixtures.js'

/** Reads until the position reaches `offset`; returns the items. */
function readTo(c: Consumer, offset: number, partition = 0): Promise<FetchedBatch[]> {
  return consumeUntil(c, () => c.position('t', partition) >= offset)
}

describe('Consumer isolation levels', () => {
  closeSessionAfterEach()

  /** A log of: plain a; P1 commits b c; P2 aborts x y (interleaved with P1); plain d; markers between. */
  async function mixedLog(): Promise<void> {
    await append(fake, 't', 0, ['a']) // 0
    await appendTransactional(fake, 't', 0, ['b'], {producerId: 1}) // 1
    await appendTransactional(fake, 't', 0, ['x'], {producerId: 2}) // 2
    await appendTransactional(fake, 't', 0, ['c'], {producerId: 1}) // 3
    await appendTransactional(fake, 't', 0, ['y'], {producerId: 2}) // 4
    appendMarker(fake, 't', 0, 1, 'COMMIT') // 5
    appendMarker(fake, 't', 0, 2, 'ABORT') // 6
    await append(fake, 't', 0, ['d']) // 7
  }

  it('read_committed drops aborted transactions, keeps committed and plain records, and never shows a marker', async () => {
    await start()
    fake.createTopic('t', 1)
    const served = serveReadCommitted(fake)
    await mixedLog()
    const c = consumer({isolationLevel: 'read_committed'})
    await c.assign([{topic: 't', partition: 0, offset: 'earliest'}])
    const items = await readTo(c, 8)
    expect(values(items)).to.deep.equal(['a', 'b', 'c', 'd'])
    expect(items.flatMap((i) => i.records.map((r) => r.offset))).to.deep.equal([0, 1, 3, 7])
    expect(served.committedFetches).to.be.greaterThan(0)
    expect(fake.requestsOf(ApiKey.Fetch).every((r) => r.body.isolationLevel === 1)).to.equal(true)
    expect(c.endOffset('t', 0)).to.equal(8)
    await c.close()
  })

  it('read_uncommitted (the default) reads every data record, aborted ones too, but no marker', async () => {
    await start()
    fake.createTopic('t', 1)
    serveReadCommitted(fake)
    await mixedLog()
    const c = consumer()
    await c.assign([{topic: 't', partition: 0, offset: 'earliest'}])
    const items = await readTo(c, 8)
    expect(values(items)).to.deep.equal(['a', 'b', 'x', 'c', 'y', 'd'])
    expect(fake.requestsOf(ApiKey.Fetch).every((r) => r.body.isolationLevel === 0)).to.equal(true)
    await c.close()
  })

  it('one producer aborting, committing and aborting again in one response loses only the aborted ones', async () => {
    await start()
    fake.createTopic('t', 1)
    serveReadCommitted(fake)
    await appendTransactional(fake, 't', 0, ['x1', 'x2'], {producerId: 5}) // 0-1
    appendMarker(fake, 't', 0, 5, 'ABORT') // 2
    await appendTransactional(fake, 't', 0, ['k1'], {producerId: 5}) // 3
    await appendTransactional(fake, 't', 0, ['k2'], {producerId: 5, compression: 'gzip'}) // 4
    appendMarker(fake, 't', 0, 5, 'COMMIT') // 5
    await appendTransactional(fake, 't', 0, ['x3'], {producerId: 5, compression: 'zstd'}) // 6
    appendMarker(fake, 't', 0, 5, 'ABORT') // 7
    await appendTransactional(fake, 't', 0, ['k3'], {producerId: 5}) // 8
    appendMarker(fake, 't', 0, 5, 'COMMIT') // 9
    const c = consumer({isolationLevel: 'read_committed'})
    await c.assign([{topic: 't', partition: 0, offset: 'earliest'}])
    expect(values(await readTo(c, 10))).to.deep.equal(['k1', 'k2', 'k3'])
    await c.close()
  })

  it('keeps dropping an aborted transaction whose batches come in several fetches, and keeps a producer\'s idempotent batches', async () => {
    await start()
    fake.createTopic('t', 1)
    serveReadCommitted(fake)
    await appendTransactional(fake, 't', 0, ['x'.repeat(400)], {producerId: 9}) // 0
    await appendIdempotent(fake, 't', 0, ['plain'], 9) // 1: not transactional, so never aborted
    await appendTransactional(fake, 't', 0, ['y'.repeat(400)], {producerId: 9}) // 2
    await appendTransactional(fake, 't', 0, ['z'.repeat(400)], {producerId: 9}) // 3
    appendMarker(fake, 't', 0, 9, 'ABORT') // 4
    await appendTransactional(fake, 't', 0, ['after'], {producerId: 9}) // 5
    appendMarker(fake, 't', 0, 9, 'COMMIT') // 6
    // One batch per fetch: each response names the aborted transaction that began before it.
    const c = consumer({isolationLevel: 'read_committed', partitionMaxBytes: 1})
    await c.assign([{topic: 't', partition: 0, offset: 'earliest'}])
    const items = await readTo(c, 7)
    expect(values(items)).to.deep.equal(['plain', 'after'])
    expect(fake.requestsOf(ApiKey.Fetch).length).to.be.greaterThan(3)
    await c.close()
  })

  it('stops at the last stable offset while a transaction is open, and goes on once it commits', async () => {
    await start()
    fake.createTopic('t', 1)
    serveReadCommitted(fake)
    await append(fake, 't', 0, ['before']) // 0
    await appendTransactional(fake, 't', 0, ['open'], {producerId: 3}) // 1
    await append(fake, 't', 0, ['plain-after']) // 2: above the last stable offset until the transaction ends
    const c = consumer({isolationLevel: 'read_committed'})
    await c.assign([{topic: 't', partition: 0, offset: 'earliest'}])
    const first = await consumeUntil(c, (items) => items.length >= 3)
    expect(values(first)).to.deep.equal(['before'])
    expect(c.position('t', 0)).to.equal(1)
    expect(c.endOffset('t', 0)).to.equal(1)
    expect(c.highWatermark('t', 0)).to.equal(3)
    expect(first.at(-1)!.endOffset).to.equal(1)
    appendMarker(fake, 't', 0, 3, 'COMMIT') // 3
    const rest = await readTo(c, 4)
    expect(values(rest)).to.deep.equal(['open', 'plain-after'])
    expect(c.endOffset('t', 0)).to.equal(4)
    await c.close()
  })

  it("starts 'latest' at the last stable offset under read_committed, at the high watermark otherwise", async () => {
    await start()
    fake.createTopic('t', 1)
    serveReadCommitted(fake)
    await append(fake, 't', 0, ['a'])
    await appendTransactional(fake, 't', 0, ['open'], {producerId: 4})
    const committed = consumer({isolationLevel: 'read_committed'})
    await committed.assign([{topic: 't', partition: 0, offset: 'latest'}])
    expect(committed.position('t', 0)).to.equal(1)
    const uncommitted = consumer()
    await uncommitted.assign([{topic: 't', partition: 0, offset: 'latest'}])
    expect(uncommitted.position('t', 0)).to.equal(2)
    expect(fake.requestsOf(ApiKey.ListOffsets).map((r) => r.body.isolationLevel)).to.deep.equal([1, 0])
    appendMarker(fake, 't', 0, 4, 'ABORT')
    expect(values(await readTo(committed, 3))).to.deep.equal([])
    await committed.close()
    await uncommitted.close()
  })
})
