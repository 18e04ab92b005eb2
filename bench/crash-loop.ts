// The crash test's cycle, many times on one data directory: confluent-kafka, kcat and weir produce
// write with acks=all at once, the daemon is killed with SIGKILL at a random moment, restarted, and
// the partition read back and judged against everything acknowledged on it (test/integration/
// crash-cycle.ts). Every 5 cycles move to a new topic, so that reading back and probing lookups stay
// short while the data directory keeps growing. Reports cycles run, records acknowledged, records lost (must be 0),
// duplicates and the other findings, and restart times. A cycle with findings prints them and keeps
// the data directory for inspection; the exit status is then 1.
//
//   npx tsc -p tsconfig.json --outDir .build-crash && node .build-crash/bench/crash-loop.js [cycles]
import {mkdtemp, rm} from 'node:fs/promises'
import {cpus, tmpdir, totalmem} from 'node:os'
import {join} from 'node:path'

import {startTestDaemon} from '../test/helpers/daemon.js'
import {type AckLedger, crashCycle, createCrashTopic} from '../test/integration/crash-cycle.js'
import {describeVerdict, type Verdict} from '../test/integration/crash-verdict.js'
import {percentile} from './stats.js'

const CYCLES_PER_TOPIC = 5
// The daemons and producers are killed by the test helpers' exit handlers, which a signal skips.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))

interface Totals {
  acknowledged: number
  findings: Record<keyof Verdict | 'lookups', number>
  restartMs: number[]
  killedAfterMs: number[]
}

async function main(): Promise<number> {
  const cycles = Number(process.argv[2] ?? 100)
  const dataDir = await mkdtemp(join(tmpdir(), 'weir-crash-loop-'))
  const daemon = await startTestDaemon({dataDir})
  const totals: Totals = {
    acknowledged: 0,
    findings: {lost: 0, misplaced: 0, duplicates: 0, holes: 0, outOfOrder: 0, corrupt: 0, lookups: 0},
    restartMs: [],
    killedAfterMs: [],
  }
  let ledger: AckLedger = {acked: [], orderedRuns: []}
  let topic = ''
  let run = 0
  let failed = false
  const started = Date.now()
  try {
    for (; run < cycles && !failed; run++) {
      if (run % CYCLES_PER_TOPIC === 0) {
        topic = `loop-${run / CYCLES_PER_TOPIC}`
        createCrashTopic(daemon, topic)
        ledger = {acked: [], orderedRuns: []}
      }
      const result = await crashCycle(daemon, topic, `r${run}`, ledger, {minAckedEach: 300, maxKillDelayMs: 2000, lookupSample: 50})
      totals.acknowledged += result.acknowledgedThisCycle
      totals.restartMs.push(result.restartMs)
      totals.killedAfterMs.push(result.killedAfterMs)
      for (const [kind, found] of Object.entries(result.verdict)) totals.findings[kind as keyof Verdict] += (found as unknown[]).length
      totals.findings.lookups += result.lookupProblems.length
      const findings = [describeVerdict(result.verdict), ...result.lookupProblems.slice(0, 5)].filter((line) => line !== '')
      console.log(`cycle ${run + 1}: ${result.acknowledgedThisCycle} acknowledged, killed after ${result.killedAfterMs} ms, ` +
        `restart ${result.restartMs.toFixed(0)} ms, log end ${result.read.highWatermark}${findings.length ? ' FINDINGS' : ''}`)
      if (findings.length > 0) {
        console.log(`topic ${topic}, data directory ${dataDir} (kept)\n${findings.join('\n')}`)
        failed = true
      }
    }
  } finally {
    await daemon.stop()
    if (!failed) await rm(dataDir, {recursive: true, force: true})
  }
  report(run, totals, (Date.now() - started) / 1000)
  return failed ? 1 : 0
}

function report(cycles: number, totals: Totals, seconds: number): void {
  const ms = (values: number[], p: number) => percentile(values, p).toFixed(0)
  console.log([
    '',
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    `cycles run: ${cycles} in ${seconds.toFixed(0)} s`,
    `records acknowledged: ${totals.acknowledged}`,
    `records lost: ${totals.findings.lost}`,
    `duplicates: ${totals.findings.duplicates}`,
    `misplaced: ${totals.findings.misplaced}, holes: ${totals.findings.holes}, out of order: ${totals.findings.outOfOrder}, ` +
      `corrupt or unreadable: ${totals.findings.corrupt}, lookup mismatches: ${totals.findings.lookups}`,
    `kill after producers started, ms: p50 ${ms(totals.killedAfterMs, 50)}, max ${ms(totals.killedAfterMs, 100)}`,
    `restart after kill -9, ms (spawn to listening): p50 ${ms(totals.restartMs, 50)}, p99 ${ms(totals.restartMs, 99)}, max ${ms(totals.restartMs, 100)}`,
  ].join('\n'))
}

process.exitCode = await main()
