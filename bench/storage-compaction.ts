// Log cleaner throughput and memory (issue: "Compaction: MB/s cleaned, and the daemon's RSS while
// cleaning"). In one process, as the daemon runs it: a LogManager over a fresh data directory, one
// compacted partition filled with ROUNDS rounds of one record for each of KEYS keys (batches of 100
// records, 16 MiB segments), the active segment rolled so everything is cleanable, then one cleaning
// (LogManager.cleanLogs) timed. The process's RSS is sampled every 20 ms during the cleaning; the
// figure is the peak over the RSS just before it, i.e. what cleaning costs on top of a daemon's
// resident memory. Run once uncompressed and once lz4 (the cleaner decompresses and recompresses
// every batch that loses records; values are hex text, which compresses about 2:1). The offset map
// is the default 32 MiB.
//
//   npx tsc -p tsconfig.json --outDir .build-cleaner && node .build-cleaner/bench/storage-compaction.js
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {recordCompression} from '../src/broker/record-compression.js'
import {type Compression, encodeRecordBatch} from '../src/protocol/index.js'
import {LogManager} from '../src/storage/index.js'
import {machineLine} from './storage-fixtures.js'

const KEYS = 200_000
const ROUNDS = 5
const VALUE_BYTES = 200
const PER_BATCH = 100
const SEGMENT_BYTES = 16 * 1024 * 1024
const MB = 1024 * 1024

interface Result {
  codec: Compression
  records: number
  bytesBefore: number
  bytesAfter: number
  seconds: number
  rssBefore: number
  rssPeak: number
}

async function measure(codec: Compression): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'weir-bench-compaction-'))
  const manager = await LogManager.open(dataDir, {compression: recordCompression, cleanerIntervalMs: 1e9})
  try {
    await manager.createTopic({name: 'c', partitions: 1, configs: {'cleanup.policy': 'compact', 'segment.bytes': String(SEGMENT_BYTES)}})
    const log = manager.partition('c', 0)
    if (!log) throw new Error('no partition')
    // hex text: compresses about as well as typical JSON values (2:1), unlike a repeated byte
    const values = Array.from({length: 1024}, () => Buffer.from(randomBytes(VALUE_BYTES / 2).toString('hex')))
    const now = Date.now()
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < KEYS; k += PER_BATCH) {
        const records = []
        for (let j = k; j < k + PER_BATCH; j++) records.push({key: Buffer.from(`key-${j}`), value: values[(j + round) % values.length] as Buffer, headers: [], timestamp: now})
        log.append(await encodeRecordBatch(records, {compression: codec}))
      }
    }
    await log.enforceRetention(now + 8 * 24 * 3600 * 1000)
    await manager.flushAll()
    const bytesBefore = log.size
    global.gc?.()
    const rssBefore = process.memoryUsage.rss()
    let rssPeak = rssBefore
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 20)
    const started = process.hrtime.bigint()
    const reports = await manager.cleanLogs()
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    clearInterval(sampler)
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss())
    if (reports.length !== 1) throw new Error(`expected one cleaning, got ${reports.length}`)
    return {codec, records: KEYS * ROUNDS, bytesBefore, bytesAfter: log.size, seconds, rssBefore, rssPeak}
  } finally {
    await manager.close()
    rmSync(dataDir, {recursive: true, force: true})
  }
}

function row(r: Result): string {
  const mbps = r.bytesBefore / MB / r.seconds
  const recordsPerSecond = Math.round(r.records / r.seconds).toLocaleString('en')
  return `| ${r.codec} | ${(r.bytesBefore / MB).toFixed(0)} MiB -> ${(r.bytesAfter / MB).toFixed(0)} MiB | ${r.seconds.toFixed(2)} s | ${mbps.toFixed(0)} MB/s | ${recordsPerSecond} | ${(r.rssBefore / MB).toFixed(0)} MiB | ${(r.rssPeak / MB).toFixed(0)} MiB | +${((r.rssPeak - r.rssBefore) / MB).toFixed(0)} MiB |`
}

const results: Result[] = []
for (const codec of ['none', 'lz4'] as Compression[]) results.push(await measure(codec))
console.log(machineLine())
console.log(`${KEYS.toLocaleString('en')} keys x ${ROUNDS} rounds of ${VALUE_BYTES}-byte values, batches of ${PER_BATCH}, one cleaning of everything`)
console.log('| codec | log before -> after | cleaning | MB/s cleaned (read) | records/s | RSS before | RSS peak while cleaning | cleaning adds |')
console.log('|---|---|---:|---:|---:|---:|---:|---:|')
for (const result of results) console.log(row(result))
