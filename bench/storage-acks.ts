// acks=all against acks=1 (issue: acks=all reaches >= 50 % of acks=1's throughput with 8 producers),
// and the latency of a single producer's acks=all requests.
//
// 1. Throughput: 1 and 8 rdkafka_performance processes at once, all writing to partition 0 of a fresh
//    one-partition topic, 1,000,000 records of 100 bytes in all (split evenly), linger.ms=5; records/s
//    over the wall time from the first start to the last exit. Concurrent acks=all requests to one
//    partition share fsyncs (group commit). Median of RUNS runs, the four cases interleaved.
// 2. Latency: one Produce request at a time over the daemon's socket, each a batch of 10 records of
//    100 bytes, acks=all and (for comparison) acks=1; p50 and p99 of the round trip.
//
//   npx tsc -p tsconfig.json --outDir .build-crash && node .build-crash/bench/storage-acks.js
import {Connection} from '../src/client/connection.js'
import {ApiKey, encodeRecordBatch} from '../src/protocol/index.js'
import {type TestDaemon} from '../test/helpers/daemon.js'
import {median, percentile} from './stats.js'
import {createTopic, machineLine, rdkafkaPerformance, spawnAsync, withDaemon} from './storage-fixtures.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const TOTAL_RECORDS = 1_000_000
const RECORD_BYTES = 100
const LATENCY_REQUESTS = 3000
const PRODUCE_VERSION = 7

let topicCount = 0

/** Records/s of `producers` concurrent rdkafka_performance processes on a fresh topic. */
async function throughput(perf: string, daemon: TestDaemon, producers: number, acks: '1' | '-1'): Promise<number> {
  const topic = `acks-${topicCount++}`
  createTopic(daemon, topic, 1)
  const each = TOTAL_RECORDS / producers
  const args = ['-P', '-t', topic, '-p', '0', '-b', daemon.bootstrap, '-s', String(RECORD_BYTES), '-c', String(each), '-a', acks, '-q', '-X', 'linger.ms=5']
  const started = process.hrtime.bigint()
  const statuses = await Promise.all(Array.from({length: producers}, () => spawnAsync(perf, args)))
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  if (statuses.some((status) => status !== 0)) throw new Error(`rdkafka_performance exited ${statuses.join(',')}`)
  return TOTAL_RECORDS / seconds
}

/** Round trips in microseconds of one-at-a-time Produce requests. */
async function requestLatencies(daemon: TestDaemon, acks: number): Promise<number[]> {
  const topic = `latency-${topicCount++}`
  createTopic(daemon, topic, 1)
  const connection = await Connection.open({address: {kind: 'unix', path: daemon.socket}, clientId: 'bench', requestTimeoutMs: 30_000})
  const value = Buffer.alloc(RECORD_BYTES, 'v')
  const samples: number[] = []
  try {
    for (let i = 0; i < LATENCY_REQUESTS; i++) {
      const records = Array.from({length: 10}, () => ({key: null, value, headers: [], timestamp: Date.now()}))
      const batch = await encodeRecordBatch(records, {compression: 'none'})
      const started = process.hrtime.bigint()
      const response = await connection.request(ApiKey.Produce, PRODUCE_VERSION, {
        transactionalId: null, acks, timeoutMs: 30_000, topicData: [{name: topic, partitionData: [{index: 0, records: batch}]}],
      })
      samples.push(Number(process.hrtime.bigint() - started) / 1000)
      const code = response.responses[0]?.partitionResponses[0]?.errorCode
      if (code !== 0) throw new Error(`Produce answered error ${code}`)
    }
  } finally {
    connection.close()
  }
  return samples
}

async function main(): Promise<void> {
  const perf = rdkafkaPerformance()
  await withDaemon((daemon) => measure(perf, daemon))
}

async function measure(perf: string, daemon: TestDaemon): Promise<void> {
  const cases = [{producers: 1, acks: '1'}, {producers: 1, acks: '-1'}, {producers: 8, acks: '1'}, {producers: 8, acks: '-1'}] as const
  const rates = new Map<string, number[]>()
  for (let run = 0; run < RUNS; run++) {
    for (const {producers, acks} of cases) {
      const key = `${producers}/${acks}`
      rates.set(key, [...(rates.get(key) ?? []), await throughput(perf, daemon, producers, acks)])
    }
  }
  const all = await requestLatencies(daemon, -1)
  const one = await requestLatencies(daemon, 1)
  const rate = (producers: number, acks: string) => median(rates.get(`${producers}/${acks}`)!)
  const row = (producers: number) =>
    `| ${producers} | ${Math.round(rate(producers, '1')).toLocaleString('en-US')} | ${Math.round(rate(producers, '-1')).toLocaleString('en-US')} | ${(rate(producers, '-1') / rate(producers, '1')).toFixed(2)} |`
  const us = (samples: number[], p: number) => percentile(samples, p).toFixed(0)
  console.log([
    machineLine(),
    `${TOTAL_RECORDS.toLocaleString('en-US')} records of ${RECORD_BYTES} B per measurement, one partition, rdkafka_performance linger.ms=5, median of ${RUNS} runs`,
    '',
    '| producers | acks=1 records/s | acks=all records/s | acks=all / acks=1 |',
    '|---:|---:|---:|---:|',
    row(1),
    row(8),
    '',
    `single producer, one request at a time (${LATENCY_REQUESTS} requests of 10 x ${RECORD_BYTES} B): ` +
      `acks=all p50 ${us(all, 50)} us, p99 ${us(all, 99)} us; acks=1 p50 ${us(one, 50)} us, p99 ${us(one, 99)} us`,
  ].join('\n'))
}

await main()
