/**
 * One crash cycle, shared by the crash test and the crash-loop benchmark: the three producers write
 * with acks=all, the daemon is killed with SIGKILL at a random moment, the producers are killed with
 * it, the daemon restarts on the same data directory, and the partition is read back and judged
 * against everything acknowledged so far (this cycle and the earlier ones).
 */
import {join} from 'node:path'

import {type TestDaemon} from '../helpers/daemon.js'
import {weir} from '../interop/drivers.js'
import {checkLookups} from './crash-lookups.js'
import {LogReader, type PartitionRead} from './crash-log-reader.js'
import {type Acknowledged, startAllProducers, untilEachAcknowledged} from './crash-producers.js'
import {judgeAcknowledged, type Verdict} from './crash-verdict.js'

/** Kafka 4's smallest segment.bytes: a few seconds of producing fill several segments. */
export const SMALL_SEGMENT_BYTES = 1024 * 1024

export function createCrashTopic(daemon: TestDaemon, topic: string): void {
  weir(['topics', 'create', topic, '--partitions', '1', '--config', `segment.bytes=${SMALL_SEGMENT_BYTES}`, '--socket', daemon.socket])
}

export function partitionDir(daemon: TestDaemon, topic: string): string {
  return join(daemon.dataDir, `${topic}-0`)
}

/** Everything acknowledged over the cycles on one data directory. */
export interface AckLedger {
  acked: Acknowledged[]
  orderedRuns: string[][]
}

export interface CycleOptions {
  /** acknowledgements each producer must have before the kill can come */
  minAckedEach: number
  /** the kill comes this long at most after that, at a uniformly random moment */
  maxKillDelayMs: number
  /** offsets and timestamps probed at random, besides every index entry */
  lookupSample: number
}

export interface CycleResult {
  acknowledgedThisCycle: number
  killedAfterMs: number
  restartMs: number
  read: PartitionRead
  verdict: Verdict
  lookupProblems: string[]
}

export async function crashCycle(daemon: TestDaemon, topic: string, tag: string, ledger: AckLedger, options: CycleOptions): Promise<CycleResult> {
  const started = Date.now()
  const producers = startAllProducers(daemon, topic, tag)
  let killedAfterMs: number
  try {
    await untilEachAcknowledged(producers, options.minAckedEach, 60_000)
    await new Promise((resolve) => setTimeout(resolve, Math.random() * options.maxKillDelayMs))
    await daemon.kill9()
    killedAfterMs = Date.now() - started
  } finally {
    await Promise.all(producers.map((producer) => producer.stop()))
  }
  let acknowledgedThisCycle = 0
  for (const producer of producers) {
    ledger.acked.push(...producer.acked)
    ledger.orderedRuns.push(...producer.orderedRuns)
    acknowledgedThisCycle += producer.acked.length
  }
  const restartStarted = process.hrtime.bigint()
  await daemon.restart()
  const restartMs = Number(process.hrtime.bigint() - restartStarted) / 1e6
  const {read, verdict, lookupProblems} = await inspect(daemon, topic, ledger, options.lookupSample)
  return {acknowledgedThisCycle, killedAfterMs, restartMs, read, verdict, lookupProblems}
}

/** Reads the partition back and judges it against the ledger. */
export async function inspect(daemon: TestDaemon, topic: string, ledger: AckLedger, lookupSample: number) {
  const reader = await LogReader.open(daemon.socket, topic)
  try {
    const read = await reader.readAll()
    const verdict = judgeAcknowledged(read, ledger.acked, ledger.orderedRuns)
    const lookupProblems = await checkLookups(reader, read, partitionDir(daemon, topic), lookupSample)
    return {read, verdict, lookupProblems}
  } finally {
    reader.close()
  }
}
