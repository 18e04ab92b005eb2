import {expect} from 'chai'

import {DueTimer} from '../../src/client/retry.js'

describe('DueTimer', () => {
  it('keeps the earliest due time: an earlier arm replaces a pending later one', async () => {
    let fire = (): void => {}
    const fired = new Promise<void>((resolve) => {
      fire = resolve
    })
    const timer = new DueTimer(() => fire())
    const now = Date.now()
    timer.arm(now + 60_000, now)
    timer.arm(now + 5, now)
    timer.arm(now + 30_000, now)
    // Only the 5 ms arm can fire within the test's timeout.
    await fired
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
