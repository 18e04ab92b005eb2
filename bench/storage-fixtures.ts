// What the storage benchmarks share: the machine line of a report, topics made through the weir CLI,
// and partitions filled fast by librdkafka's rdkafka_performance (built by rdkafka-performance.ts).
import {spawn, spawnSync} from 'node:child_process'
import {mkdirSync} from 'node:fs'
import {mkdtemp, rm} from 'node:fs/promises'
import {cpus, tmpdir, totalmem} from 'node:os'
import {join} from 'node:path'

import {type TestDaemon, startTestDaemon} from '../test/helpers/daemon.js'
import {repoRoot} from '../test/interop/drivers.js'
import {buildRdkafkaPerformance} from './rdkafka-performance.js'

export const outDir = join(repoRoot, 'bench', 'out')

export function machineLine(): string {
  return `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
}

export function rdkafkaPerformance(): string {
  mkdirSync(outDir, {recursive: true})
  return buildRdkafkaPerformance(outDir)
}

export function createTopic(daemon: TestDaemon, topic: string, partitions: number, configs: string[] = []): void {
  const args = [join(repoRoot, 'bin/run.js'), 'topics', 'create', topic, '--partitions', String(partitions), '--socket', daemon.socket]
  for (const config of configs) args.push('--config', config)
  const result = spawnSync(process.execPath, args)
  if (result.status !== 0) throw new Error(`topics create ${topic}: ${result.stderr.toString()}`)
}

export interface FillOptions {
  records: number
  recordBytes: number
  acks: '1' | '-1'
  /** one partition, or -1 for rdkafka_performance's spread over all of them */
  partition: number
  /** librdkafka's batch.size (default 1,000,000: batches of up to 1 MB) */
  batchBytes?: number
}

/** Produces with rdkafka_performance; resolves with the wall time in seconds. */
export async function fill(perf: string, daemon: TestDaemon, topic: string, options: FillOptions): Promise<number> {
  const args = ['-P', '-t', topic, '-b', daemon.bootstrap, '-s', String(options.recordBytes), '-c', String(options.records),
    '-a', options.acks, '-q', '-X', 'linger.ms=5']
  if (options.partition >= 0) args.push('-p', String(options.partition))
  if (options.batchBytes !== undefined) args.push('-X', `batch.size=${options.batchBytes}`)
  const started = process.hrtime.bigint()
  const status = await spawnAsync(perf, args)
  if (status !== 0) throw new Error(`rdkafka_performance ${args.join(' ')} exited ${status}`)
  return Number(process.hrtime.bigint() - started) / 1e9
}

/** Runs a command to its end without blocking the event loop; resolves with its exit status. */
export function spawnAsync(command: string, args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {stdio: ['ignore', 'ignore', 'inherit']})
    child.once('error', reject)
    child.once('exit', (code) => resolve(code))
  })
}

/** Runs `use` against a daemon on a fresh temporary data directory, removed afterwards. */
export async function withDaemon<T>(use: (daemon: TestDaemon) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'weir-bench-'))
  const daemon = await startTestDaemon({dataDir})
  try {
    return await use(daemon)
  } finally {
    await daemon.stop()
    await rm(dataDir, {recursive: true, force: true})
  }
}

// The daemons are killed by the test helper's exit handler, which a signal would skip.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130))
