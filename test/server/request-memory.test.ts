import {expect} from 'chai'
import {RequestMemory} from '../../src/server/request-memory.js'

describe('RequestMemory', () => {
  it('grants reservations up to its limit and refuses what does not fit, taking nothing', () => {
    const memory = new RequestMemory(100)
    expect(memory.tryReserve(60)).to.equal(true)
    expect(memory.tryReserve(50)).to.equal(false)
    expect(memory.held).to.equal(60)
    expect(memory.tryReserve(40)).to.equal(true)
    expect(memory.held).to.equal(100)
  })

  it('grants a reservation larger than the limit when nothing is held', () => {
    const memory = new RequestMemory(100)
    expect(memory.tryReserve(500)).to.equal(true)
    expect(memory.tryReserve(1)).to.equal(false)
  })

  it('calls each waiter once at the next release, unless cancelled', () => {
    const memory = new RequestMemory(100)
    memory.tryReserve(100)
    const calls: string[] = []
    memory.onRelease(() => calls.push('a'))
    const cancel = memory.onRelease(() => calls.push('b'))
    cancel()
    memory.release(10)
    memory.release(10)
    expect(calls).to.deep.equal(['a'])
    expect(memory.held).to.equal(80)
  })
})
