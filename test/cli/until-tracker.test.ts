import {expect} from 'chai'

import {UntilTracker} from '../../src/cli/until-tracker.js'

const at = (offset: number, timestamp = 0): {offset: number; timestamp: number} => ({offset, timestamp})

describe('UntilTracker', () => {
  it('stops a partition at its first record at or past the stop offset, and keeps it stopped', () => {
    const until = new UntilTracker(new Map([[0, {offset: 3, timestamp: null}]]), new Map([[0, 0]]))
    expect(until.reached(0, at(2))).to.equal(false)
    expect(until.takeFinished()).to.deep.equal([])
    expect(until.reached(0, at(3))).to.equal(true)
    expect(until.allDone).to.equal(true)
    expect(until.takeFinished()).to.deep.equal([0])
    expect(until.takeFinished(), 'each partition is reported once').to.deep.equal([])
    expect(until.reached(0, at(1)), 'nothing more of a stopped partition').to.equal(true)
  })

  it('stops at the first record at or after the stop time, whatever its offset', () => {
    const until = new UntilTracker(new Map([[0, {offset: Infinity, timestamp: 1000}]]), new Map([[0, 0]]))
    expect(until.reached(0, at(50, 999))).to.equal(false)
    expect(until.reached(0, at(51, 1000))).to.equal(true)
  })

  it('is done at once with partitions that start at or past their stop', () => {
    const until = new UntilTracker(new Map([[0, {offset: 5, timestamp: null}], [1, {offset: 9, timestamp: null}]]), new Map([[0, 5], [1, 0]]))
    expect(until.takeFinished()).to.deep.equal([0])
    expect(until.allDone).to.equal(false)
  })

  it('stops a partition whose position passed the stop offset without a record (markers, gaps)', () => {
    const until = new UntilTracker(new Map([[0, {offset: 5, timestamp: null}]]), new Map([[0, 0]]))
    until.observe(0, 4)
    expect(until.allDone).to.equal(false)
    until.observe(0, 6)
    expect(until.allDone).to.equal(true)
    expect(until.takeFinished()).to.deep.equal([0])
  })

  it('never stops partitions it has no point for', () => {
    const until = new UntilTracker(new Map(), new Map([[0, 0]]))
    expect(until.reached(0, at(1_000_000, Number.MAX_SAFE_INTEGER))).to.equal(false)
    expect(until.allDone).to.equal(false)
  })
})
