/**
 * Whether the daemon's indexes agree with its log, seen from outside: a Fetch at an offset must serve
 * first the batch that holds that offset, and ListOffsets by timestamp must name the first record at
 * or after that time, as a full read of the partition shows them. Probed at every entry of the index
 * files on disk (.index and, where storage writes one, .timeindex), at each segment's first offset,
 * and at a random sample of offsets and timestamps.
 */
import {type LoggedBatch, type LogReader, MAX_TIMESTAMP, type PartitionRead} from './crash-log-reader.js'
import {indexEntriesOf, segmentsOf} from './crash-segment-files.js'

/** Requests in flight at once on the reader's connection. */
const PIPELINE = 64

async function inChunks<T>(items: readonly T[], probe: (item: T) => Promise<string | null>): Promise<string[]> {
  const problems: string[] = []
  for (let i = 0; i < items.length; i += PIPELINE) {
    const answers = await Promise.all(items.slice(i, i + PIPELINE).map(probe))
    for (const answer of answers) if (answer !== null) problems.push(answer)
  }
  return problems
}

function batchHolding(batches: readonly LoggedBatch[], offset: number): LoggedBatch | undefined {
  let low = 0
  let high = batches.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const batch = batches[mid]!
    if (batch.lastOffset < offset) low = mid + 1
    else if (batch.baseOffset > offset) high = mid - 1
    else return batch
  }
  return undefined
}

function sample<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  return Array.from({length: count}, () => items[Math.floor(Math.random() * items.length)]!)
}

/** The offsets and timestamps to probe: what the index files on disk name, plus a random sample. */
function probes(read: PartitionRead, dir: string, sampleSize: number): {offsets: number[]; timestamps: number[]} {
  const offsets = new Set<number>()
  const timestamps = new Set<number>()
  for (const segment of segmentsOf(dir)) {
    offsets.add(segment.baseOffset)
    for (const entry of indexEntriesOf(segment.index, segment.baseOffset, 'index')) offsets.add(entry.offset)
    for (const entry of indexEntriesOf(segment.timeindex, segment.baseOffset, 'timeindex')) timestamps.add(entry.timestamp!)
  }
  for (const record of sample(read.records, sampleSize)) {
    offsets.add(record.offset)
    timestamps.add(record.timestamp)
  }
  for (const batch of sample(read.batches, sampleSize)) timestamps.add(batch.maxTimestamp)
  // A read stopped by reported damage probes only the part it could read.
  const end = read.stoppedAt?.offset ?? read.highWatermark
  const maxRead = read.records.reduce((max, record) => Math.max(max, record.timestamp), -1)
  if (read.stoppedAt === undefined) timestamps.add(maxRead + 1).add(MAX_TIMESTAMP)
  return {
    offsets: [...offsets].filter((offset) => offset >= read.logStartOffset && offset < end),
    timestamps: [...timestamps].filter((timestamp) => timestamp <= maxRead || read.stoppedAt === undefined),
  }
}

/** The first record at or after each time, by a binary search over the running maximum timestamp. */
function firstAtOrAfter(read: PartitionRead): (timestamp: number) => {offset: number; timestamp: number} {
  const runningMax: number[] = []
  for (const record of read.records) runningMax.push(Math.max(record.timestamp, runningMax.at(-1) ?? -Infinity))
  return (timestamp) => {
    let low = 0
    let high = runningMax.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (runningMax[mid]! >= timestamp) high = mid
      else low = mid + 1
    }
    const record = read.records[low]
    return record ? {offset: record.offset, timestamp: record.timestamp} : {offset: -1, timestamp: -1}
  }
}

/** Lookups that disagree with the full read, one line each; empty when all agree. */
export async function checkLookups(reader: LogReader, read: PartitionRead, dir: string, sampleSize: number): Promise<string[]> {
  const {offsets, timestamps} = probes(read, dir, sampleSize)
  const byOffset = await inChunks(offsets, async (offset) => {
    const fetched = await reader.fetchAt(offset, 1)
    const expected = batchHolding(read.batches, offset)
    if (fetched.errorCode !== 0) return `Fetch at ${offset}: error ${fetched.errorCode}`
    const first = fetched.batches[0]
    const served = first ? Number(first.readBigInt64BE(0)) : undefined
    return served === expected?.baseOffset ? null : `Fetch at ${offset} served the batch at ${served}, not ${expected?.baseOffset}`
  })
  const expectedAt = firstAtOrAfter(read)
  const maxTimestamp = read.records.reduce((max, record) => Math.max(max, record.timestamp), -1)
  const byTime = await inChunks(timestamps, async (timestamp) => {
    const answer = await reader.listOffset(timestamp)
    const expected = timestamp === MAX_TIMESTAMP ? expectedAt(maxTimestamp) : expectedAt(timestamp)
    if (answer.errorCode !== 0) return `ListOffsets at ${timestamp}: error ${answer.errorCode}`
    if (answer.offset === expected.offset && answer.timestamp === expected.timestamp) return null
    return `ListOffsets at ${timestamp} answered ${answer.offset} (time ${answer.timestamp}), not ${expected.offset} (time ${expected.timestamp})`
  })
  return [...byOffset, ...byTime]
}
