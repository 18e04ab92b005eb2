import {expect} from 'chai'
import {setImmediate as nextTurn} from 'node:timers/promises'

import {LONG_MAX} from '../../src/storage/index.js'
import {RetentionTask} from '../../src/storage/retention-task.js'

describe('RetentionTask', () => {
  it('takes Kafka\'s "never" interval (Long.MAX) without a timer overflow, which Node would run every millisecond', async () => {
    const warnings: string[] = []
    const onWarning = (warning: Error) => warnings.push(warning.name)
    process.on('warning', onWarning)
    const task = new RetentionTask(() => [], () => {})
    try {
      task.start(LONG_MAX)
      await nextTurn()
    } finally {
      await task.stop()
      process.off('warning', onWarning)
    }
    expect(warnings).to.not.include('TimeoutOverflowWarning')
  })
})
