import {expect} from 'chai'

import {PartitionEndTracker} from '../../src/cli/partition-end-tracker.js'

describe('PartitionEndTracker', () => {
  it('is done once every partition reached its high watermark', () => {
    const tracker = new PartitionEndTracker([0, 1])
    tracker.observe(0, 10, 10)
    expect(tracker.allReached).to.equal(false)
    tracker.observe(1, 4, 5)
    expect(tracker.allReached).to.equal(false)
    tracker.observe(1, 5, 5)
    expect(tracker.allReached).to.equal(true)
  })

  it('keeps a partition done when its end moves on later', () => {
    const tracker = new PartitionEndTracker([0, 1])
    tracker.observe(0, 3, 3)
    tracker.observe(0, 3, 9)
    tracker.observe(1, 0, 0)
    expect(tracker.allReached).to.equal(true)
  })

  it('is done at once with no partitions', () => {
    expect(new PartitionEndTracker([]).allReached).to.equal(true)
  })
})
