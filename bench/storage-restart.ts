// Daemon restart times (issue: clean with 1,000 partitions <= 1 s; after kill -9 with 1 GB written
// since the last recovery point <= 5 s). A restart is timed from the spawn of the daemon process to
// its server.json naming it (it writes that once it listens; the spawner polls every 25 ms).
//
// 1. Clean: one topic of 1,000 partitions holding 200,000 records, stopped with SIGTERM and started
//    again, several times.
// 2. Unclean: 1 GB of 1,000-byte records produced with acks=1 (nothing flushes them: no acks=all, no
//    roll, flush.ms is never), so the recovery point stays at 0; then kill -9 and a restart that
//    checks every batch of that gigabyte. A fresh data directory for each run; the log end after the
//    restart must be every record produced (the page cache survives the kill).
//
//   npx tsc -p tsconfig.json --outDir .build-crash && node .build-crash/bench/storage-restart.js
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {type TestDaemon} from '../test/helpers/daemon.js'
import {LATEST, LogReader} from '../test/integration/crash-log-reader.js'
import {median} from './stats.js'
import {createTopic, fill, machineLine, rdkafkaPerformance, withDaemon} from './storage-fixtures.js'

const CLEAN_RUNS = 7
const UNCLEAN_RUNS = 3
const PARTITIONS = 1000
const UNCLEAN_RECORDS = 1_000_000
const UNCLEAN_RECORD_BYTES = 1000
const SETTLE_MS = 500

async function timedRestart(daemon: TestDaemon): Promise<number> {
  const started = process.hrtime.bigint()
  await daemon.restart()
  return Number(process.hrtime.bigint() - started) / 1e6
}

async function logEnd(daemon: TestDaemon, topic: string): Promise<number> {
  const reader = await LogReader.open(daemon.socket, topic)
  try {
    return (await reader.listOffset(LATEST)).offset
  } finally {
    reader.close()
  }
}

async function cleanRestarts(perf: string): Promise<number[]> {
  return withDaemon(async (daemon) => {
    createTopic(daemon, 'many', PARTITIONS)
    await fill(perf, daemon, 'many', {records: 200_000, recordBytes: 100, acks: '1', partition: -1})
    const times: number[] = []
    for (let run = 0; run < CLEAN_RUNS; run++) {
      await daemon.stop()
      times.push(await timedRestart(daemon))
      // The daemon writes server.json before it handles SIGTERM: a stop right then would kill it.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
    }
    return times
  })
}

async function uncleanRestart(perf: string): Promise<{ms: number; recoveryPoint: string; recovered: number}> {
  return withDaemon(async (daemon) => {
    createTopic(daemon, 'bulk', 1)
    await fill(perf, daemon, 'bulk', {records: UNCLEAN_RECORDS, recordBytes: UNCLEAN_RECORD_BYTES, acks: '1', partition: 0})
    const checkpoint = readFileSync(join(daemon.dataDir, 'recovery-point-checkpoint'), 'utf8')
    const recoveryPoint = /^bulk 0 (\d+)$/m.exec(checkpoint)?.[1] ?? 'none'
    await daemon.kill9()
    const ms = await timedRestart(daemon)
    return {ms, recoveryPoint, recovered: await logEnd(daemon, 'bulk')}
  })
}

async function main(): Promise<void> {
  const perf = rdkafkaPerformance()
  const clean = await cleanRestarts(perf)
  const unclean = []
  for (let run = 0; run < UNCLEAN_RUNS; run++) unclean.push(await uncleanRestart(perf))
  console.log([
    machineLine(),
    `clean restart, ${PARTITIONS} partitions, ${CLEAN_RUNS} runs, ms: median ${median(clean).toFixed(0)}, all ${clean.map((ms) => ms.toFixed(0)).join(', ')}`,
    `restart after kill -9 with ${(UNCLEAN_RECORDS * UNCLEAN_RECORD_BYTES / 1e9).toFixed(1)} GB since the recovery point, ${UNCLEAN_RUNS} runs, ms: ` +
      `median ${median(unclean.map((u) => u.ms)).toFixed(0)}, all ${unclean.map((u) => u.ms.toFixed(0)).join(', ')}`,
    `checkpointed recovery point before each kill: ${unclean.map((u) => u.recoveryPoint).join(', ')}; ` +
      `log end after each restart: ${unclean.map((u) => u.recovered).join(', ')} (of ${UNCLEAN_RECORDS})`,
  ].join('\n'))
}

await main()
