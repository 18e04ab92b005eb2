// Read latency at random offsets in a small (10 MB) and a large (>= 5 GB) partition of one daemon: a
// read's cost must not grow with the partition (issue: ratio <= 1.2). Both are filled with 1,000-byte
// records by rdkafka_performance (acks=1) in batches of up to 16 KiB (the Java producer's default
// batch.size; librdkafka's 1 MB batches would make every read a 1 MB copy), then read in alternating rounds, one Fetch in flight at a
// time over the daemon's socket, each at a uniformly random offset with a 4 KiB partition limit (the
// batch holding the offset, found through the segment list and the offset index). The files are in
// the page cache (written just before, 24 GiB of RAM), so this measures the lookup, not the disk.
//
//   npx tsc -p tsconfig.json --outDir .build-crash && node .build-crash/bench/storage-reads.js [largeGB]
import {type TestDaemon} from '../test/helpers/daemon.js'
import {LATEST, LogReader} from '../test/integration/crash-log-reader.js'
import {median, percentile} from './stats.js'
import {createTopic, fill, machineLine, rdkafkaPerformance, withDaemon} from './storage-fixtures.js'

const RECORD_BYTES = 1000
const ROUNDS = 7
const READS_PER_ROUND = 2000
const READ_MAX_BYTES = 4096
const BATCH_BYTES = 16 * 1024

async function latencies(reader: LogReader, logEnd: number, count: number): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < count; i++) {
    const offset = Math.floor(Math.random() * logEnd)
    const started = process.hrtime.bigint()
    const fetched = await reader.fetchAt(offset, READ_MAX_BYTES)
    samples.push(Number(process.hrtime.bigint() - started) / 1000)
    if (fetched.errorCode !== 0 || fetched.batches.length === 0) throw new Error(`Fetch at ${offset}: error ${fetched.errorCode}`)
  }
  return samples
}

async function main(): Promise<void> {
  const largeBytes = Number(process.argv[2] ?? 5.2) * 1e9
  const perf = rdkafkaPerformance()
  await withDaemon((daemon) => measure(perf, daemon, largeBytes))
}

async function measure(perf: string, daemon: TestDaemon, largeBytes: number): Promise<void> {
  createTopic(daemon, 'small', 1)
  createTopic(daemon, 'large', 1)
  await fill(perf, daemon, 'small', {records: 10_000_000 / RECORD_BYTES, recordBytes: RECORD_BYTES, acks: '1', partition: 0, batchBytes: BATCH_BYTES})
  const fillSeconds = await fill(perf, daemon, 'large', {records: Math.ceil(largeBytes / RECORD_BYTES), recordBytes: RECORD_BYTES, acks: '1', partition: 0, batchBytes: BATCH_BYTES})
  const readers = {small: await LogReader.open(daemon.socket, 'small'), large: await LogReader.open(daemon.socket, 'large')}
  const ends = {small: (await readers.small.listOffset(LATEST)).offset, large: (await readers.large.listOffset(LATEST)).offset}
  const samples: {small: number[]; large: number[]} = {small: [], large: []}
  const roundMedians: {small: number[]; large: number[]} = {small: [], large: []}
  await latencies(readers.small, ends.small, 200)
  await latencies(readers.large, ends.large, 200)
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? (['large', 'small'] as const) : (['small', 'large'] as const)) {
      const taken = await latencies(readers[name], ends[name], READS_PER_ROUND)
      samples[name].push(...taken)
      roundMedians[name].push(median(taken))
    }
  }
  readers.small.close()
  readers.large.close()
  const line = (name: 'small' | 'large', bytes: number) =>
    `| ${name} | ${(bytes / 1e9).toFixed(2)} GB | ${ends[name].toLocaleString('en-US')} | ${median(samples[name]).toFixed(0)} | ${percentile(samples[name], 99).toFixed(0)} |`
  const ratios = roundMedians.large.map((large, i) => large / roundMedians.small[i]!)
  console.log([
    machineLine(),
    `large partition filled in ${fillSeconds.toFixed(1)} s (${(largeBytes / 1e6 / fillSeconds).toFixed(0)} MB/s, acks=1)`,
    `${ROUNDS} alternating rounds of ${READS_PER_ROUND} Fetches at random offsets, ${READ_MAX_BYTES} B limit, one in flight`,
    '',
    '| partition | size | records | p50 us | p99 us |',
    '|---|---:|---:|---:|---:|',
    line('small', ends.small * RECORD_BYTES),
    line('large', ends.large * RECORD_BYTES),
    '',
    `large / small, p50 of all reads: ${(median(samples.large) / median(samples.small)).toFixed(2)}; p99: ${(percentile(samples.large, 99) / percentile(samples.small, 99)).toFixed(2)}`,
    `large / small, per-round p50 ratios: ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)})`,
  ].join('\n'))
}

await main()
