import {expect} from 'chai'
import {BatchBuffers} from '../../src/client/batch-buffers.js'

describe('BatchBuffers', () => {
  it('hands out a buffer given back when it is large enough, else a new one of the size asked', () => {
    const buffers = new BatchBuffers(4)
    const fresh = buffers.take(1000)
    expect(fresh.length).to.equal(1000)
    buffers.give(fresh)
    expect(buffers.take(2000)).to.not.equal(fresh)
    expect(buffers.take(500)).to.equal(fresh)
    expect(buffers.spareCount).to.equal(0)
  })

  it('keeps at most its limit of spare buffers', () => {
    const buffers = new BatchBuffers(2)
    for (let i = 0; i < 5; i++) buffers.give(Buffer.alloc(10))
    expect(buffers.spareCount).to.equal(2)
  })
})
