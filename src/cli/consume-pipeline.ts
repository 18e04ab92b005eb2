import {IdleTimer} from './idle-timer.js'
import {type StreamWriter, isBrokenPipe} from './output.js'
import {PartitionEndTracker} from './partition-end-tracker.js'
import type {FormattableRecord, RecordFormat} from './record-format.js'

/** One fetched batch as the client's Consumer yields it. */
export interface FetchedBatch {
  topic: string
  partition: number
  records: readonly FormattableRecord[]
  highWatermark: number
}

export interface ConsumeOptions {
  format: RecordFormat
  /** Stop after this many records. */
  maxMessages?: number
  /** Stop once every partition in `startPositions` has been read to its high watermark. */
  exitAtEnd: boolean
  /** Next offset to read per assigned partition, and each one's high watermark when reading began. */
  startPositions: ReadonlyMap<number, number>
  endOffsets: ReadonlyMap<number, number>
  /** Stop after this long without a record. */
  timeoutMs?: number
  /** Resolves to stop from outside (SIGINT). */
  interrupted: Promise<void>
}

export type ConsumeEnd = 'max-messages' | 'end-of-partitions' | 'idle-timeout' | 'output-closed' | 'interrupted' | 'source-ended'

export interface ConsumeResult {
  count: number
  end: ConsumeEnd
}

const STOPPED = Symbol('stopped')

/**
 * Formats fetched records into `out` until one of the stop conditions holds. Output is written
 * in large chunks and flushed whenever the next batch is not already at hand, so a pipe sees
 * records as soon as the source goes quiet, and the stream's backpressure pauses fetching.
 * A closed pipe (EPIPE, `| head`) is an ordinary end, not an error; any other output error
 * is thrown.
 */
export async function consumeToOutput(batches: AsyncIterable<FetchedBatch>, out: StreamWriter,
  opts: ConsumeOptions): Promise<ConsumeResult> {
  const iterator = batches[Symbol.asyncIterator]()
  const idle = new IdleTimer(opts.timeoutMs)
  const ends = new PartitionEndTracker(opts.startPositions.keys())
  const positions = new Map(opts.startPositions)
  for (const [partition, position] of positions) ends.observe(partition, position, opts.endOffsets.get(partition) ?? 0)
  let stopReason: ConsumeEnd = 'source-ended'
  const stop = Promise.race([
    opts.interrupted.then(() => { stopReason = 'interrupted' }),
    out.closed.then(() => { stopReason = 'output-closed' }),
    idle.expired.then(() => { stopReason = 'idle-timeout' }),
  ]).then((): typeof STOPPED => STOPPED)

  let count = 0
  const limit = opts.maxMessages ?? Number.POSITIVE_INFINITY
  try {
    if (opts.exitAtEnd && ends.allReached) return {count, end: 'end-of-partitions'}
    if (limit <= 0) return {count, end: 'max-messages'}
    for (;;) {
      const next = await nextUnlessStopped(iterator, out, stop)
      if (next === STOPPED) return {count, end: stopReason}
      if (next.done) return {count, end: 'source-ended'}
      const batch = next.value
      const source = {topic: batch.topic, partition: batch.partition}
      let position = positions.get(batch.partition) ?? 0
      for (const record of batch.records) {
        opts.format.render(record, source, out)
        position = record.offset + 1
        if (++count >= limit) return {count, end: 'max-messages'}
      }
      positions.set(batch.partition, position)
      if (batch.records.length > 0) idle.touch()
      await out.settle()
      if (out.failure) return {count, end: 'output-closed'}
      ends.observe(batch.partition, position, batch.highWatermark)
      if (opts.exitAtEnd && ends.allReached) return {count, end: 'end-of-partitions'}
    }
  } finally {
    idle.cancel()
    await out.flush()
    // Not awaited: a generator parked in a long poll finishes its return() only when the poll does;
    // the caller closes the consumer, which ends the poll.
    iterator.return?.().catch(() => {})
    if (out.failure && !isBrokenPipe(out.failure)) throw out.failure
  }
}

/**
 * The next batch, flushing buffered output first whenever that batch is not ready right away
 * (the source is about to wait on the network), or STOPPED when a stop condition comes first.
 */
async function nextUnlessStopped(iterator: AsyncIterator<FetchedBatch>, out: StreamWriter,
  stop: Promise<typeof STOPPED>): Promise<IteratorResult<FetchedBatch> | typeof STOPPED> {
  const next = iterator.next()
  if (out.buffered > 0) {
    const first = await Promise.race([next, stop, nextMacrotask()])
    if (first === STOPPED) return STOPPED
    if (first === WAITING) await out.flush()
  }
  return Promise.race([next, stop])
}

const WAITING = Symbol('waiting')

function nextMacrotask(): Promise<typeof WAITING> {
  return new Promise((resolve) => setImmediate(() => resolve(WAITING)))
}
