// The background tasks of a log manager take Kafka's "never" interval (Long.MAX) from a config as it is;
// Node would run such a timer every millisecond (with a TimeoutOverflowWarning) unless the delay is bounded.
import {expect} from 'chai'
import {setImmediate as nextTurn} from 'node:timers/promises'

import {LONG_MAX} from '../../src/storage/index.js'
import {LogCleaner} from '../../src/storage/log-cleaner.js'
import {LogCleanerTask} from '../../src/storage/log-cleaner-task.js'
import {RetentionTask} from '../../src/storage/retention-task.js'

async function overflowWarnings(start: () => {stop(): Promise<unknown>}): Promise<string[]> {
  const warnings: string[] = []
  const onWarning = (warning: Error) => warnings.push(warning.name)
  process.on('warning', onWarning)
  const task = start()
  try {
    await nextTurn()
  } finally {
    await task.stop()
    process.off('warning', onWarning)
  }
  return warnings.filter((name) => name === 'TimeoutOverflowWarning')
}

describe('background task intervals', () => {
  it('RetentionTask takes log.retention.check.interval.ms = Long.MAX without a timer overflow', async () => {
    expect(await overflowWarnings(() => {
      const task = new RetentionTask(() => [], () => {})
      task.start(LONG_MAX)
      return task
    })).to.deep.equal([])
  })

  it('LogCleanerTask takes log.cleaner.backoff.ms = Long.MAX without a timer overflow', async () => {
    expect(await overflowWarnings(() => {
      const task = new LogCleanerTask(new LogCleaner(1024 * 1024, undefined, () => {}), () => [], async () => {}, () => {})
      task.start(LONG_MAX)
      return task
    })).to.deep.equal([])
  })
})
