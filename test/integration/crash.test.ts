// kill -9 of the daemon while three real clients produce with acks=all at once (confluent-kafka,
// kcat and weir produce, each in its own process): after a restart every acknowledged record is in
// the log once, at the offset its client was told, offsets have no holes, every batch served passes
// its CRC check, and reads by offset and by timestamp agree with the log. A few cycles on one data
// directory with 1 MiB segments, so that kills land in segments of every age. bench/crash-loop.ts
// runs the same cycle many times.
import {expect} from 'chai'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {type AckLedger, crashCycle, createCrashTopic} from './crash-cycle.js'
import {describeVerdict, isClean} from './crash-verdict.js'

describe('crash: kill -9 of the daemon under acks=all load loses nothing acknowledged', function () {
  this.timeout(120_000)
  const topic = 'crash'
  const ledger: AckLedger = {acked: [], orderedRuns: []}
  let daemon: TestDaemon

  before(async () => {
    daemon = await startTestDaemon()
    createCrashTopic(daemon, topic)
  })

  after(async () => {
    await daemon?.stop()
  })

  for (const cycle of [1, 2, 3]) {
    it(`cycle ${cycle}: killed at a random moment, restarted, read back`, async () => {
      const result = await crashCycle(daemon, topic, `c${cycle}`, ledger, {minAckedEach: 300, maxKillDelayMs: 1500, lookupSample: 300})
      expect(result.acknowledgedThisCycle).to.be.greaterThan(0)
      expect(describeVerdict(result.verdict), 'what the read-back found').to.equal('')
      expect(isClean(result.verdict)).to.equal(true)
      expect(result.lookupProblems, 'lookups by offset and timestamp').to.deep.equal([])
      expect(result.read.highWatermark, 'the log holds at least what was acknowledged').to.be.at.least(ledger.acked.length)
    })
  }
})
