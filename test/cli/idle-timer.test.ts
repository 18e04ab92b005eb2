import {expect} from 'chai'

import {IdleTimer} from '../../src/cli/idle-timer.js'

describe('IdleTimer', () => {
  it('expires after the idle period', async () => {
    const timer = new IdleTimer(5)
    await timer.expired
  })

  it('never expires without a period', async () => {
    const timer = new IdleTimer(undefined)
    const winner = await Promise.race([timer.expired.then(() => 'expired'), new Promise((resolve) => setTimeout(() => resolve('later'), 20))])
    expect(winner).to.equal('later')
  })

  it('does not expire once cancelled', async () => {
    const timer = new IdleTimer(5)
    timer.cancel()
    const winner = await Promise.race([timer.expired.then(() => 'expired'), new Promise((resolve) => setTimeout(() => resolve('later'), 30))])
    expect(winner).to.equal('later')
  })
})
