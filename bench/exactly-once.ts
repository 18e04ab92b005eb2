// The cost of exactly-once, side by side in one run on one daemon (records of 100 bytes, one
// partition, acks=all everywhere, a fresh topic per measurement):
//   1. idempotent against plain produce: rdkafka_performance -P with enable.idempotence true and
//      false, and false with at most 5 requests in flight as idempotence implies (what is left is the
//      broker's cost: producer-state checks on every batch); `weir produce` (idempotent by default)
//      against `weir produce --no-idempotence`;
//   2. transactional throughput at 100 and at 10,000 records per transaction, against the idempotent
//      producer without transactions: confluent-kafka (bench/confluent_txn_produce.py) and
//      `weir produce --transactional-id T --transaction-size N`;
//   3. read_committed against read_uncommitted consume of one topic written in transactions of 100
//      records, every 10th aborted: rdkafka_performance -C -e and `weir consume --exit-at-end`, both
//      with each isolation level (read_committed delivers 90% of the records: the rate is of the
//      records in the log, so the two read the same range).
// Every figure is the median of BENCH_RUNS runs (default 3); wall time of each whole command. Part 1
// sends --records records (default 1,000,000); parts 2 and 3 --txn-records (default 200,000: 2,000
// transactions of 100 records take a while).
//
//   npx tsc -p tsconfig.json --outDir .build-x && node .build-x/bench/exactly-once.js [--records N] [--txn-records N]
import {spawnSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, writeFileSync} from 'node:fs'
import {cpus, totalmem} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type TestDaemon, startTestDaemon} from '../test/helpers/daemon.js'
import {repoRoot, systemPython} from '../test/interop/drivers.js'
import {buildRdkafkaPerformance} from './rdkafka-performance.js'
import {median} from './stats.js'

const here = dirname(fileURLToPath(import.meta.url))
const weirFromBuild = join(here, '..', 'test', 'cli', 'weir-from-build.js')
const producerScript = join(repoRoot, 'bench', 'confluent_txn_produce.py')
const outDir = join(repoRoot, 'bench', 'out')
const RECORD_SIZE = 100
const RUNS = Number(process.env.BENCH_RUNS ?? 3)

/** Runs a command under GNU time; returns its wall time in seconds. stdin and stdout optionally files. */
function timed(command: string, args: string[], io: {stdin?: string} = {}): number {
  const stdin = io.stdin ? openSync(io.stdin, 'r') : 'ignore'
  const stdout = openSync('/dev/null', 'w')
  const started = process.hrtime.bigint()
  const result = spawnSync(command, args, {stdio: [stdin, stdout, 'pipe'], maxBuffer: 64 * 1024 * 1024})
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (typeof stdin === 'number') closeSync(stdin)
  closeSync(stdout)
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.toString().slice(-1500)}`)
  return seconds
}

function writeLinesFile(path: string, records: number): void {
  const lines = Buffer.alloc(records * RECORD_SIZE, 'x')
  for (let i = 0; i < records; i++) {
    lines.write(String(i).padStart(8, '0'), i * RECORD_SIZE)
    lines[(i + 1) * RECORD_SIZE - 1] = 10
  }
  writeFileSync(path, lines)
}

function weir(daemon: TestDaemon, ...args: string[]): [string, string[]] {
  return [process.execPath, [weirFromBuild, ...args, '--socket', daemon.socket]]
}

function createTopic(daemon: TestDaemon, topic: string): void {
  const [command, args] = weir(daemon, 'topics', 'create', topic, '--partitions', '1')
  const result = spawnSync(command, args)
  if (result.status !== 0) throw new Error(`topics create ${topic}: ${result.stderr.toString()}`)
}

type Measurement = (topic: string) => number

/** Seconds per run and the records each run handled, by measurement name, in the order first measured. */
const samples = new Map<string, {records: number; seconds: number[]}>()

function record(name: string, records: number, seconds: number): void {
  const entry = samples.get(name) ?? {records, seconds: []}
  entry.seconds.push(seconds)
  samples.set(name, entry)
}

/** Runs a measurement on a fresh topic. */
function measure(daemon: TestDaemon, name: string, records: number, run: number, measurement: Measurement): void {
  const topic = `${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase().slice(0, 60)}-${run}`
  createTopic(daemon, topic)
  record(name, records, measurement(topic))
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name)
  return at === -1 ? fallback : Number(process.argv[at + 1])
}

async function main(): Promise<void> {
  const records = option('--records', 1_000_000)
  const txnRecords = option('--txn-records', 200_000)
  mkdirSync(outDir, {recursive: true})
  const perf = buildRdkafkaPerformance(outDir)
  const linesFile = (count: number) => {
    const path = join(outDir, `lines-${count}.txt`)
    writeLinesFile(path, count)
    return path
  }
  const [lines, txnLines] = [linesFile(records), linesFile(txnRecords)]
  const daemon = await startTestDaemon({defaultPartitions: 1})
  const b = daemon.bootstrap
  const size = String(RECORD_SIZE)
  const perfProduce = (topic: string, idempotent: boolean, ...extra: string[]) => timed(perf, ['-P', '-t', topic, '-p', '0', '-b', b,
    '-s', size, '-c', String(records), '-a', '-1', '-q', '-X', 'linger.ms=5', '-X', `enable.idempotence=${idempotent}`, ...extra])
  const python = (topic: string, txnSize: number, abortEvery = 0) =>
    timed(systemPython, [producerScript, b, topic, String(txnRecords), size, String(txnSize), String(abortEvery)])
  const weirProduce = (topic: string, input: string, ...flags: string[]) =>
    timed(...weir(daemon, 'produce', topic, '-p', '0', ...flags), {stdin: input})
  const weirTransactions = (size: number) => (topic: string) =>
    weirProduce(topic, txnLines, '--transactional-id', `bench-${topic}`, '--transaction-size', String(size))
  try {
    // The consume fixture: written once, read by every run.
    const fixture = 'committed-fixture'
    createTopic(daemon, fixture)
    python(fixture, 100, 10)
    for (let run = 0; run < RUNS; run++) {
      measure(daemon, 'rdkafka_performance -P, plain', records, run, (t) => perfProduce(t, false))
      measure(daemon, 'rdkafka_performance -P, plain, 5 in flight', records, run,
        (t) => perfProduce(t, false, '-X', 'max.in.flight.requests.per.connection=5'))
      measure(daemon, 'rdkafka_performance -P, idempotent', records, run, (t) => perfProduce(t, true))
      measure(daemon, 'weir produce --no-idempotence', records, run, (t) => weirProduce(t, lines, '--no-idempotence'))
      measure(daemon, 'weir produce (idempotent)', records, run, (t) => weirProduce(t, lines))
      measure(daemon, 'confluent-kafka idempotent, no transactions', txnRecords, run, (t) => python(t, 0))
      measure(daemon, 'confluent-kafka, 100 records a transaction', txnRecords, run, (t) => python(t, 100))
      measure(daemon, 'confluent-kafka, 10,000 records a transaction', txnRecords, run, (t) => python(t, 10_000))
      measure(daemon, 'weir produce (idempotent), transaction input', txnRecords, run, (t) => weirProduce(t, txnLines))
      measure(daemon, 'weir produce --transaction-size 100', txnRecords, run, weirTransactions(100))
      measure(daemon, 'weir produce --transaction-size 10000', txnRecords, run, weirTransactions(10_000))
      for (const isolation of ['read_uncommitted', 'read_committed']) {
        record(`rdkafka_performance -C -e, ${isolation}`, txnRecords,
          timed(perf, ['-C', '-t', fixture, '-p', '0', '-b', b, '-o', 'beginning', '-e', '-q', '-X', `isolation.level=${isolation}`]))
        record(`weir consume --exit-at-end, ${isolation}`, txnRecords,
          timed(...weir(daemon, 'consume', fixture, '--from-beginning', '--exit-at-end', '--isolation-level', isolation)))
      }
    }
    report()
  } finally {
    await daemon.stop()
  }
}

function report(): void {
  const seconds = (name: string) => median(samples.get(name)?.seconds ?? [Number.NaN])
  const rate = (name: string) => (samples.get(name)?.records ?? Number.NaN) / seconds(name)
  const ratio = (name: string, base: string) => (rate(name) / rate(base)).toFixed(2)
  const lines = [
    `Machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    `Records of ${RECORD_SIZE} B, one partition, acks=all; median of ${RUNS} runs; wall time of each whole command`,
    '',
    '| measurement | records | records/s | MB/s | median s |',
    '|---|---:|---:|---:|---:|',
  ]
  for (const [name, {records}] of samples) {
    const perSecond = rate(name)
    lines.push(`| ${name} | ${records.toLocaleString('en-US')} | ${Math.round(perSecond).toLocaleString('en-US')} | ${((perSecond * RECORD_SIZE) / 1e6).toFixed(1)} | ${seconds(name).toFixed(3)} |`)
  }
  lines.push('', '| ratio (throughput) | value |', '|---|---:|')
  lines.push(`| rdkafka_performance idempotent / plain | ${ratio('rdkafka_performance -P, idempotent', 'rdkafka_performance -P, plain')} |`)
  lines.push(`| rdkafka_performance idempotent / plain, both 5 in flight | ${ratio('rdkafka_performance -P, idempotent', 'rdkafka_performance -P, plain, 5 in flight')} |`)
  lines.push(`| weir produce idempotent / --no-idempotence | ${ratio('weir produce (idempotent)', 'weir produce --no-idempotence')} |`)
  for (const size of ['100', '10,000']) {
    lines.push(`| confluent-kafka ${size} a transaction / idempotent | ${ratio(`confluent-kafka, ${size} records a transaction`, 'confluent-kafka idempotent, no transactions')} |`)
  }
  for (const size of ['100', '10000']) {
    lines.push(`| weir produce --transaction-size ${size} / idempotent | ${ratio(`weir produce --transaction-size ${size}`, 'weir produce (idempotent), transaction input')} |`)
  }
  lines.push(`| rdkafka_performance -C read_committed / read_uncommitted | ${ratio('rdkafka_performance -C -e, read_committed', 'rdkafka_performance -C -e, read_uncommitted')} |`)
  lines.push(`| weir consume read_committed / read_uncommitted | ${ratio('weir consume --exit-at-end, read_committed', 'weir consume --exit-at-end, read_uncommitted')} |`)
  console.log(lines.join('\n'))
}

await main()
