import {CliError} from './cli-errors.js'
import {IdleTimer} from './idle-timer.js'
import {type StreamWriter, isBrokenPipe} from './output.js'
import {PartitionEndTracker} from './partition-end-tracker.js'
import type {FormattableRecord, RecordFormat} from './record-format.js'
import type {UntilTracker} from './until-tracker.js'

/** One fetched batch as the client's Consumer yields it. */
export interface FetchedBatch {
  topic: string
  partition: number
  highWatermark: number
  /** Where the partition ends for this reader (the last stable offset under read_committed); default highWatermark. */
  readonly endOffset?: number
  readonly recordCount: number
  /**
   * Calls `visit` for each record in order until it returns false. The record may be a view that
   * is valid only during the call (the client moves one view along the batch).
   */
  forEachRecord(visit: (record: FormattableRecord) => boolean): boolean
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
  /**
   * The consumer's position in a partition after the batches yielded so far. It can pass the
   * last record's offset + 1 (transaction markers, compacted-away records), so the end of a
   * partition is judged by it rather than by the records seen.
   */
  position: (partition: number) => number
  /** Stop after this long without a record. */
  timeoutMs?: number
  /** Where each partition stops (--until); the command ends once every partition stopped. */
  until?: UntilTracker
  /** Called once for each partition that stopped at its --until point, so it is no longer fetched. */
  onPartitionDone?: (partition: number) => void
  /** Resolves to stop from outside (SIGINT). */
  interrupted: Promise<void>
  /**
   * Told, per partition, the offset after the last record handed to the output stream, once it has
   * been (group mode commits these). Records still buffered here are not reported.
   */
  onWritten?: (partition: number, nextOffset: number) => void
  /**
   * For --exit-at-end when the partitions read change as the command runs (group mode): replaces the
   * check against startPositions. `reached()` says whether everything assigned has been read to its
   * end; `onChange` calls back when the assignment changes (so an empty one ends the command too).
   */
  atEnd?: {reached(): boolean; onChange(listener: () => void): void}
}

export type ConsumeEnd = 'max-messages' | 'until-reached' | 'end-of-partitions' | 'idle-timeout' | 'output-closed' | 'interrupted' | 'source-ended'

export interface ConsumeResult {
  count: number
  end: ConsumeEnd
}

const STOPPED = Symbol('stopped')

/**
 * A stop request that loops can race against. Each wait gets a fresh promise: racing many
 * times against one long-lived promise would attach a reaction per race to it, and each
 * reaction keeps its race's settled value (a whole fetched batch) reachable until the end.
 */
class StopSignal<Reason> {
  reason: Reason | undefined
  private wake: (() => void) | undefined

  fire(reason: Reason): void {
    this.reason ??= reason
    this.wake?.()
  }

  next(): Promise<typeof STOPPED> {
    return new Promise((resolve) => {
      if (this.reason !== undefined) resolve(STOPPED)
      else this.wake = () => resolve(STOPPED)
    })
  }
}

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
  for (const [partition, position] of opts.startPositions) ends.observe(partition, position, opts.endOffsets.get(partition) ?? 0)
  const stop = new StopSignal<ConsumeEnd>()
  const written = new WrittenOffsets(opts.onWritten)
  void opts.interrupted.then(() => stop.fire('interrupted'))
  // Called while the loop waits for a batch: every batch so far has been rendered.
  if (opts.exitAtEnd) opts.atEnd?.onChange(() => opts.atEnd!.reached() && stop.fire('end-of-partitions'))
  void out.closed.then(() => stop.fire('output-closed'))
  void idle.expired.then(() => stop.fire('idle-timeout'))

  let count = 0
  const limit = opts.maxMessages ?? Number.POSITIVE_INFINITY
  const until = opts.until
  /** Which stop condition holds now, if any. */
  const finished = (): ConsumeEnd | null => {
    for (const partition of until?.takeFinished() ?? []) {
      ends.finish(partition)
      opts.onPartitionDone?.(partition)
    }
    if (until?.allDone) return 'until-reached'
    const reached = opts.atEnd ? opts.atEnd.reached() : ends.allReached
    return opts.exitAtEnd && reached ? 'end-of-partitions' : null
  }
  try {
    const before = finished()
    if (before) return {count, end: before}
    if (limit <= 0) return {count, end: 'max-messages'}
    for (;;) {
      const next = await nextUnlessStopped(iterator, out, stop, written)
      if (next === STOPPED) return {count, end: stop.reason ?? 'source-ended'}
      if (next.done) return {count, end: 'source-ended'}
      const batch = next.value
      const source = {topic: batch.topic, partition: batch.partition}
      let lastRendered = -1
      const whole = batch.forEachRecord((record) => {
        if (until?.reached(batch.partition, record)) return false
        opts.format.render(record, source, out)
        lastRendered = record.offset
        return ++count < limit
      })
      const position = opts.position(batch.partition)
      // A batch rendered whole counts up to the position (past markers and compacted gaps too), and so
      // does an item without records: the consumer may have stepped over control batches only.
      if (whole && position >= 0) written.rendered(batch.partition, position)
      else if (lastRendered >= 0) written.rendered(batch.partition, lastRendered + 1)
      if (count >= limit) return {count, end: 'max-messages'}
      if (batch.recordCount > 0) idle.touch()
      await out.settle()
      if (out.failure) return {count, end: 'output-closed'}
      if (out.buffered === 0) written.handedOver()
      ends.observe(batch.partition, position, batch.endOffset ?? batch.highWatermark)
      until?.observe(batch.partition, position)
      const end = finished()
      if (end) return {count, end}
    }
  } finally {
    idle.cancel()
    await out.flush()
    if (!out.failure) written.handedOver()
    // Not awaited: a generator parked in a long poll finishes its return() only when the poll does;
    // the caller closes the consumer, which ends the poll.
    iterator.return?.().catch(() => {})
    if (out.failure && !isBrokenPipe(out.failure)) {
      throw new CliError(`cannot write records to the output: ${out.failure.message}`, {code: 'WEIR_ERR_OUTPUT'})
    }
  }
}

/**
 * The next batch, flushing buffered output first whenever that batch is not ready right away
 * (the source is about to wait on the network), or STOPPED when a stop condition comes first.
 */
async function nextUnlessStopped(iterator: AsyncIterator<FetchedBatch>, out: StreamWriter,
  stop: StopSignal<ConsumeEnd>, written: WrittenOffsets): Promise<IteratorResult<FetchedBatch> | typeof STOPPED> {
  const next = iterator.next()
  if (out.buffered > 0) {
    const first = await Promise.race([next, stop.next(), nextMacrotask()])
    if (first === STOPPED) return STOPPED
    if (first === WAITING) {
      await out.flush()
      if (!out.failure) written.handedOver()
    }
  }
  return Promise.race([next, stop.next()])
}

/**
 * Offsets rendered into the writer's buffer wait here until the buffer has been handed to the
 * output stream; then they are reported as written.
 */
class WrittenOffsets {
  private readonly pending = new Map<number, number>()

  constructor(private readonly report: ((partition: number, nextOffset: number) => void) | undefined) {}

  rendered(partition: number, nextOffset: number): void {
    if (this.report) this.pending.set(partition, nextOffset)
  }

  handedOver(): void {
    for (const [partition, nextOffset] of this.pending) this.report!(partition, nextOffset)
    this.pending.clear()
  }
}

const WAITING = Symbol('waiting')

function nextMacrotask(): Promise<typeof WAITING> {
  return new Promise((resolve) => setImmediate(() => resolve(WAITING)))
}
