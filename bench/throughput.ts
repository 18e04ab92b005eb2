// Throughput of the quickstart path, side by side with librdkafka in one run on one daemon:
//   1. broker ingest and serve: rdkafka_performance -P / -C, 1 M x 100-byte records, acks=1,
//      one partition (the daemon's own speed, with a C client that is not the bottleneck);
//   2. `weir produce < file` against `kcat -P -l file`, the same 1 M-line file, acks=1;
//   3. `weir consume --from-beginning --exit-at-end > /dev/null` against `kcat -C -e`;
//   4. both producers again with their default acks=all (fsync before each answer).
// Reports records/s, MB/s (MB = 10^6 bytes), weir/kcat ratios, each client's peak RSS and
// the daemon's. Every figure is the median of BENCH_RUNS runs (default 3).
//
//   npm run build && node dist/bench/throughput.js [--records N]
import {spawnSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, readFileSync, writeFileSync} from 'node:fs'
import {cpus, totalmem} from 'node:os'
import {join} from 'node:path'

import {repoRoot} from '../test/interop/drivers.js'
import {type TestDaemon, startTestDaemon} from '../test/helpers/daemon.js'
import {buildRdkafkaPerformance} from './rdkafka-performance.js'

const RECORD_SIZE = 100
const outDir = join(repoRoot, 'bench', 'out')
const weirBin = join(repoRoot, 'bin', 'run.js')

interface Timed {
  seconds: number
  peakRssKb: number
  stdout: string
}

/** Runs a command under GNU time for its wall time and peak RSS; stdin/stdout optionally files. */
function timed(command: string, args: string[], io: {stdin?: string; stdoutFile?: string} = {}): Timed {
  const stdin = io.stdin ? openSync(io.stdin, 'r') : 'ignore'
  const stdout = io.stdoutFile ? openSync(io.stdoutFile, 'w') : 'pipe'
  const started = process.hrtime.bigint()
  const result = spawnSync('/usr/bin/time', ['-f', 'WEIR_BENCH_MAXRSS %M', command, ...args], {
    stdio: [stdin, stdout, 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (typeof stdin === 'number') closeSync(stdin)
  if (typeof stdout === 'number') closeSync(stdout)
  const stderr = result.stderr.toString()
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${stderr.slice(-1500)}`)
  const rss = /WEIR_BENCH_MAXRSS (\d+)/.exec(stderr)
  return {seconds, peakRssKb: rss ? Number(rss[1]) : 0, stdout: result.stdout?.toString() ?? ''}
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function writeLinesFile(path: string, records: number): void {
  const line = Buffer.alloc(RECORD_SIZE, 'x')
  line[RECORD_SIZE - 1] = 10
  const chunkLines = 10_000
  const chunk = Buffer.concat(Array.from({length: chunkLines}, (_, i) => {
    const copy = Buffer.from(line)
    copy.write(String(i).padStart(8, '0'))
    return copy
  }))
  const fd = openSync(path, 'w')
  for (let written = 0; written < records; written += chunkLines) {
    writeFileSync(fd, chunk.subarray(0, Math.min(chunkLines, records - written) * RECORD_SIZE))
  }
  closeSync(fd)
}

function daemonPeakRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0)
}

function weirArgs(daemon: TestDaemon, ...args: string[]): string[] {
  return [weirBin, ...args, '--socket', daemon.socket]
}

function createTopic(daemon: TestDaemon, topic: string): void {
  const result = spawnSync(process.execPath, weirArgs(daemon, 'topics', 'create', topic, '--partitions', '1'))
  if (result.status !== 0) throw new Error(`topics create ${topic}: ${result.stderr.toString()}`)
}

interface Sample {
  name: string
  seconds: number[]
  peakRssKb: number[]
}

function sample(samples: Map<string, Sample>, name: string, run: Timed): void {
  const entry = samples.get(name) ?? {name, seconds: [], peakRssKb: []}
  entry.seconds.push(run.seconds)
  entry.peakRssKb.push(run.peakRssKb)
  samples.set(name, entry)
}

async function main(): Promise<void> {
  const records = Number(process.argv[process.argv.indexOf('--records') + 1] || 0) || 1_000_000
  const runs = Number(process.env.BENCH_RUNS ?? 3)
  mkdirSync(outDir, {recursive: true})
  const rdkafkaPerformance = buildRdkafkaPerformance(outDir)
  const linesFile = join(outDir, `lines-${records}.txt`)
  writeLinesFile(linesFile, records)
  const daemon = await startTestDaemon({defaultPartitions: 1})
  const samples = new Map<string, Sample>()
  try {
    for (let run = 0; run < runs; run++) {
      const [ingest, weirTopic, kcatTopic] = [`ingest-${run}`, `weir-${run}`, `kcat-${run}`]
      const [weirDurable, kcatDurable] = [`weir-all-${run}`, `kcat-all-${run}`]
      for (const topic of [ingest, weirTopic, kcatTopic, weirDurable, kcatDurable]) createTopic(daemon, topic)
      const b = daemon.bootstrap
      sample(samples, 'broker ingest (rdkafka_performance -P)', timed(rdkafkaPerformance, ['-P', '-t', ingest, '-p', '0', '-b', b, '-s', String(RECORD_SIZE), '-c', String(records), '-a', '1', '-q', '-X', 'linger.ms=5']))
      sample(samples, 'broker serve (rdkafka_performance -C)', timed(rdkafkaPerformance, ['-C', '-t', ingest, '-p', '0', '-b', b, '-o', 'beginning', '-c', String(records), '-q']))
      sample(samples, 'weir produce < file', timed(process.execPath, weirArgs(daemon, 'produce', weirTopic, '--acks', '1'), {stdin: linesFile}))
      sample(samples, 'kcat -P -l file', timed('kcat', ['-P', '-b', b, '-t', kcatTopic, '-p', '0', '-X', 'acks=1', '-l', linesFile]))
      sample(samples, 'weir consume > /dev/null', timed(process.execPath, weirArgs(daemon, 'consume', weirTopic, '--from-beginning', '--exit-at-end'), {stdoutFile: '/dev/null'}))
      sample(samples, 'kcat -C -e > /dev/null', timed('kcat', ['-C', '-b', b, '-t', kcatTopic, '-p', '0', '-o', 'beginning', '-e', '-q'], {stdoutFile: '/dev/null'}))
      sample(samples, 'weir produce < file, acks=all', timed(process.execPath, weirArgs(daemon, 'produce', weirDurable), {stdin: linesFile}))
      sample(samples, 'kcat -P -l file, acks=all', timed('kcat', ['-P', '-b', b, '-t', kcatDurable, '-p', '0', '-l', linesFile]))
    }
    report(samples, records, runs, daemonPeakRssKb(daemon.pid))
  } finally {
    await daemon.stop()
  }
}

function report(samples: Map<string, Sample>, records: number, runs: number, daemonRssKb: number): void {
  const rate = (name: string) => records / median(samples.get(name)?.seconds ?? [Infinity])
  const lines = [
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    `Records: ${records} x ${RECORD_SIZE} B, one partition, acks=1 unless noted; median of ${runs} runs; wall time of each whole command`,
    '',
    '| measurement | records/s | MB/s | median s | client peak RSS MB |',
    '|---|---:|---:|---:|---:|',
  ]
  for (const s of samples.values()) {
    const perSecond = records / median(s.seconds)
    lines.push(`| ${s.name} | ${Math.round(perSecond).toLocaleString('en-US')} | ${((perSecond * RECORD_SIZE) / 1e6).toFixed(1)} | ${median(s.seconds).toFixed(3)} | ${(median(s.peakRssKb) / 1024).toFixed(0)} |`)
  }
  lines.push('', `weir produce / kcat -P: ${(rate('weir produce < file') / rate('kcat -P -l file')).toFixed(2)}`)
  lines.push(`weir consume / kcat -C: ${(rate('weir consume > /dev/null') / rate('kcat -C -e > /dev/null')).toFixed(2)}`)
  lines.push(`weir produce / kcat -P, both acks=all: ${(rate('weir produce < file, acks=all') / rate('kcat -P -l file, acks=all')).toFixed(2)}`)
  lines.push(`daemon peak RSS: ${(daemonRssKb / 1024).toFixed(0)} MB`)
  console.log(lines.join('\n'))
}

await main()
