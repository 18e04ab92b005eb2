import {expect} from 'chai'
import {appendFileSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {nodeFileSystem} from '../../src/storage/fs.js'
import {ABORTED_TXN_SIZE, TransactionIndex} from '../../src/storage/transaction-index.js'
import {useTempDirs} from './temp-dirs.js'

describe('TransactionIndex (.txnindex)', () => {
  const tempDir = useTempDirs()
  const index = (lines: string[] = []): TransactionIndex =>
    new TransactionIndex(nodeFileSystem, join(tempDir(), '00000000000000000000.txnindex'), (line) => lines.push(line))

  it('writes Kafka\'s 34-byte entries: version 0, producer id, first offset, last offset, last stable offset', async () => {
    const txns = index()
    txns.append({producerId: 2n ** 60n, firstOffset: 5, lastOffset: 9, lastStableOffset: 10})
    await txns.flush()
    expect(readFileSync(txns.path).toString('hex')).to.equal('0000' + '1000000000000000' + '0000000000000005' + '0000000000000009' + '000000000000000a')
    const again = new TransactionIndex(nodeFileSystem, txns.path, () => undefined)
    expect(again.all()).to.deep.equal([{producerId: 2n ** 60n, firstOffset: 5, lastOffset: 9, lastStableOffset: 10}])
  })

  it('collects the entries overlapping a range and says when later segments need no search', () => {
    const txns = index()
    txns.append({producerId: 1n, firstOffset: 0, lastOffset: 4, lastStableOffset: 2})
    txns.append({producerId: 2n, firstOffset: 2, lastOffset: 8, lastStableOffset: 9})
    txns.append({producerId: 3n, firstOffset: 9, lastOffset: 12, lastStableOffset: 13})
    expect(txns.collect(5, 9)).to.deep.equal({found: [{producerId: 2n, firstOffset: 2, lastOffset: 8, lastStableOffset: 9}], complete: true})
    expect(txns.collect(0, 20).found.map((t) => t.producerId)).to.deep.equal([1n, 2n, 3n])
    expect(txns.collect(0, 20).complete).to.equal(false)
    expect(txns.collect(13, 20).found).to.deep.equal([])
  })

  it('truncates the entries whose marker is at or after an offset, on disk too', () => {
    const txns = index()
    for (const last of [3, 6, 9]) txns.append({producerId: 1n, firstOffset: last - 1, lastOffset: last, lastStableOffset: last + 1})
    txns.truncateTo(6)
    expect(txns.all().map((t) => t.lastOffset)).to.deep.equal([3])
    expect(statSync(txns.path).size).to.equal(ABORTED_TXN_SIZE)
  })

  it('cuts a torn last entry off when it loads', () => {
    const lines: string[] = []
    const txns = index(lines)
    txns.append({producerId: 1n, firstOffset: 0, lastOffset: 1, lastStableOffset: 2})
    appendFileSync(txns.path, Buffer.alloc(10))
    const again = new TransactionIndex(nodeFileSystem, txns.path, (line) => lines.push(line))
    expect(again.all()).to.have.length(1)
    expect(statSync(txns.path).size).to.equal(ABORTED_TXN_SIZE)
    expect(lines.join('\n')).to.match(/torn entry/)
  })
})
