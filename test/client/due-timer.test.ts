import {expect} from 'chai'

import {DueTimer} from '../../src/client/retry.js'

describe('DueTimer', () => {
  it('keeps the earliest due time and fires once for it', async () => {
    let fired = 0
    const timer = new DueTimer(() => fired++)
    const now = Date.now()
    timer.arm(now + 60_000, now)
    timer.arm(now + 5, now)
    timer.arm(now + 30_000, now)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(fired).to.equal(1)
    timer.cancel()
  })

  it('ignores Infinity and fires nothing after cancel', async () => {
    let fired = 0
    const timer = new DueTimer(() => fired++)
    const now = Date.now()
    timer.arm(Infinity, now)
    timer.arm(now + 5, now)
    timer.cancel()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(fired).to.equal(0)
  })
})
