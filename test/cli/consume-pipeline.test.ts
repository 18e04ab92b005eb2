import {expect} from 'chai'

import {type ConsumeOptions, type FetchedBatch, consumeToOutput} from '../../src/cli/consume-pipeline.js'
import {StreamWriter} from '../../src/cli/output.js'
import {type FormattableRecord, parseKcatFormat} from '../../src/cli/record-format.js'
import {UntilTracker} from '../../src/cli/until-tracker.js'
import {RecordingStream} from './memory-sink.js'

function records(from: number, count: number): FormattableRecord[] {
  return Array.from({length: count}, (_, i) => ({
    offset: from + i, timestamp: 0, timestampType: 'CreateTime' as const, key: null, value: Buffer.from(`v${from + i}`), headers: [],
  }))
}

/** A fetched batch over plain record objects, with the last offset it holds for advance(). */
function batch(partition: number, from: number, count: number, highWatermark: number): FetchedBatch & {lastOffset?: number} {
  const list = records(from, count)
  return {
    topic: 't', partition, highWatermark, recordCount: list.length, lastOffset: list.at(-1)?.offset,
    forEachRecord: (visit) => list.every((record) => visit(record)),
  }
}

/** The consumer's positions, as the fake sources below advance them. */
const positions = new Map<number, number>()

/** Yields the batches, then waits forever like a consumer long-polling an idle topic. */
async function* source(batches: FetchedBatch[]): AsyncGenerator<FetchedBatch> {
  for (const b of batches) {
    advance(b)
    yield b
  }
  await new Promise(() => {})
}

function advance(b: FetchedBatch & {lastOffset?: number}): void {
  if (b.lastOffset !== undefined) positions.set(b.partition, b.lastOffset + 1)
}

const never = new Promise<void>(() => {})

function options(overrides: Partial<ConsumeOptions>): ConsumeOptions {
  return {
    format: parseKcatFormat('%p:%s\\n'),
    exitAtEnd: false,
    startPositions: new Map([[0, 0]]),
    endOffsets: new Map([[0, 0]]),
    interrupted: never,
    position: (partition) => positions.get(partition) ?? 0,
    ...overrides,
  }
}

describe('consumeToOutput', () => {
  beforeEach(() => positions.clear())

  it('stops after --max-messages, in the middle of a batch', async () => {
    const stream = new RecordingStream()
    const result = await consumeToOutput(source([batch(0, 0, 5, 5)]), new StreamWriter(stream), options({maxMessages: 3}))
    expect(result).to.deep.equal({count: 3, end: 'max-messages'})
    expect(stream.all().toString()).to.equal('0:v0\n0:v1\n0:v2\n')
  })

  it('with --exit-at-end, stops once every partition reached its high watermark', async () => {
    const stream = new RecordingStream()
    const result = await consumeToOutput(source([batch(0, 0, 2, 4), batch(1, 0, 1, 1), batch(0, 2, 2, 4)]), new StreamWriter(stream),
      options({exitAtEnd: true, startPositions: new Map([[0, 0], [1, 0]]), endOffsets: new Map([[0, 4], [1, 1]])}))
    expect(result).to.deep.equal({count: 5, end: 'end-of-partitions'})
    expect(stream.all().toString()).to.equal('0:v0\n0:v1\n1:v0\n0:v2\n0:v3\n')
  })

  it('with --exit-at-end, ends at once when every partition starts at its end', async () => {
    const result = await consumeToOutput(source([]), new StreamWriter(new RecordingStream()),
      options({exitAtEnd: true, startPositions: new Map([[0, 7], [1, 0]]), endOffsets: new Map([[0, 7], [1, 0]])}))
    expect(result).to.deep.equal({count: 0, end: 'end-of-partitions'})
  })

  it('judges the end by the consumer\'s position, which may pass the last record (a transaction marker)', async () => {
    const marker = {...batch(0, 0, 2, 3)}
    const result = await consumeToOutput((async function* () {
      positions.set(0, 3)
      yield marker
      await new Promise(() => {})
    })(), new StreamWriter(new RecordingStream()), options({exitAtEnd: true, endOffsets: new Map([[0, 3]])}))
    expect(result).to.deep.equal({count: 2, end: 'end-of-partitions'})
  })

  it('ends on an item without records once the position reaches the high watermark', async () => {
    const result = await consumeToOutput((async function* () {
      positions.set(0, 2)
      yield batch(0, 0, 2, 3)
      positions.set(0, 3) // the consumer stepped over a control batch at offset 2
      yield batch(0, 3, 0, 3)
      await new Promise(() => {})
    })(), new StreamWriter(new RecordingStream()), options({exitAtEnd: true, endOffsets: new Map([[0, 3]])}))
    expect(result).to.deep.equal({count: 2, end: 'end-of-partitions'})
  })

  it('reports the position after an item without records as written (the consumer stepped over control batches)', async () => {
    const written: [number, number][] = []
    const result = await consumeToOutput((async function* () {
      positions.set(0, 2)
      yield batch(0, 0, 2, 4)
      positions.set(0, 4) // two transaction markers, no record
      yield batch(0, 4, 0, 4)
      await new Promise(() => {})
    })(), new StreamWriter(new RecordingStream()), options({exitAtEnd: true, endOffsets: new Map([[0, 4]]),
      onWritten: (partition, nextOffset) => written.push([partition, nextOffset])}))
    expect(result).to.deep.equal({count: 2, end: 'end-of-partitions'})
    expect(written.at(-1)).to.deep.equal([0, 4])
  })

  it('counts a partition that was empty at the start as done', async () => {
    const stream = new RecordingStream()
    const result = await consumeToOutput(source([batch(0, 0, 1, 1)]), new StreamWriter(stream),
      options({exitAtEnd: true, startPositions: new Map([[0, 0], [1, 0]]), endOffsets: new Map([[0, 1], [1, 0]])}))
    expect(result.end).to.equal('end-of-partitions')
  })

  it('flushes output while waiting for more records, then stops on interrupt', async () => {
    const stream = new RecordingStream()
    let interrupt = (): void => {}
    const interrupted = new Promise<void>((resolve) => {
      interrupt = resolve
    })
    const running = consumeToOutput(source([batch(0, 0, 2, 2)]), new StreamWriter(stream), options({interrupted}))
    while (stream.writes.length === 0) await new Promise((resolve) => setImmediate(resolve))
    expect(stream.all().toString()).to.equal('0:v0\n0:v1\n')
    interrupt()
    expect(await running).to.deep.equal({count: 2, end: 'interrupted'})
  })

  it('stops quietly when the output pipe closes', async () => {
    const stream = new RecordingStream()
    const writer = new StreamWriter(stream)
    const running = consumeToOutput(source([batch(0, 0, 1, 1)]), writer, options({}))
    while (stream.writes.length === 0) await new Promise((resolve) => setImmediate(resolve))
    stream.emit('error', Object.assign(new Error('write EPIPE'), {code: 'EPIPE'}))
    expect(await running).to.deep.equal({count: 1, end: 'output-closed'})
  })

  it('fails with one clear error when the output fails otherwise (a full disk)', async () => {
    const stream = new RecordingStream()
    const running = consumeToOutput(source([batch(0, 0, 1, 1)]), new StreamWriter(stream), options({}))
    while (stream.writes.length === 0) await new Promise((resolve) => setImmediate(resolve))
    stream.emit('error', Object.assign(new Error('no space'), {code: 'ENOSPC'}))
    let error: unknown
    try {
      await running
    } catch (caught) {
      error = caught
    }
    expect(error).to.include({code: 'WEIR_ERR_OUTPUT', message: 'cannot write records to the output: no space'})
  })

  it('with --until, shows each partition up to its stop point and ends once all stopped, telling which stopped', async () => {
    const stream = new RecordingStream()
    const done: number[] = []
    const startPositions = new Map([[0, 0], [1, 0]])
    const until = new UntilTracker(new Map([[0, {offset: 3, timestamp: null}], [1, {offset: 1, timestamp: null}]]), startPositions)
    const result = await consumeToOutput(source([batch(0, 0, 2, 9), batch(1, 0, 4, 9), batch(0, 2, 4, 9), batch(1, 4, 1, 9)]),
      new StreamWriter(stream), options({startPositions, endOffsets: new Map([[0, 9], [1, 9]]), until, onPartitionDone: (p) => done.push(p)}))
    expect(result).to.deep.equal({count: 4, end: 'until-reached'})
    expect(stream.all().toString()).to.equal('0:v0\n0:v1\n1:v0\n0:v2\n')
    expect(done).to.deep.equal([1, 0])
  })

  it('with --until, ends at once when every partition starts at its stop point', async () => {
    const startPositions = new Map([[0, 4]])
    const until = new UntilTracker(new Map([[0, {offset: 4, timestamp: null}]]), startPositions)
    const result = await consumeToOutput(source([batch(0, 4, 2, 9)]), new StreamWriter(new RecordingStream()), options({startPositions, until}))
    expect(result).to.deep.equal({count: 0, end: 'until-reached'})
  })

  it('with --until and --exit-at-end, a partition that stopped counts as read to its end', async () => {
    const startPositions = new Map([[0, 0], [1, 0]])
    const until = new UntilTracker(new Map([[0, {offset: 1, timestamp: null}], [1, {offset: 100, timestamp: null}]]), startPositions)
    const result = await consumeToOutput(source([batch(0, 0, 2, 5), batch(1, 0, 2, 2)]), new StreamWriter(new RecordingStream()),
      options({exitAtEnd: true, startPositions, endOffsets: new Map([[0, 5], [1, 2]]), until}))
    expect(result).to.deep.equal({count: 3, end: 'end-of-partitions'})
  })

  it('stops after --timeout-ms without records', async () => {
    const result = await consumeToOutput(source([]), new StreamWriter(new RecordingStream()), options({timeoutMs: 5}))
    expect(result).to.deep.equal({count: 0, end: 'idle-timeout'})
  })

  it('ends when the source ends', async () => {
    async function* finite(): AsyncGenerator<FetchedBatch> {
      const only = batch(0, 0, 1, 1)
      advance(only)
      yield only
    }
    const stream = new RecordingStream()
    expect(await consumeToOutput(finite(), new StreamWriter(stream), options({}))).to.deep.equal({count: 1, end: 'source-ended'})
    expect(stream.all().toString()).to.equal('0:v0\n')
  })
})
