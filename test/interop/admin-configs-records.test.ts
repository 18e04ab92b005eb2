// Reading by time and moving the log start, with real clients against one Weir daemon on TCP:
// kcat -o s@<timestamp> (and e@) starts each partition at the first record at or after the time
// (ListOffsets by timestamp through librdkafka's offsetsForTimes), `weir consume --offset @<time>`
// agrees with it; kafkajs deleteTopicRecords (DeleteRecords) moves the log start, and a
// confluent-kafka consumer assigned below it resets as auto.offset.reset says.
import {expect} from 'chai'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {type DeliveredRecord, type TimedRecord, confluentProduceTimed, confluentReset, weirConsumeFrom,
  withKafkajsAdmin} from './admin-configs-drivers.js'
import {kcatConsume} from './drivers.js'

type Placed = [partition: number, offset: number, value: string]

const BASE = Date.UTC(2024, 4, 1, 12)

/**
 * Partition 0: 40 records a second apart, five to a batch. Partition 1: 20 records two seconds
 * apart from BASE + 500 ms, four to a batch, then one batch whose timestamps go back in time.
 */
function timedGroups(): TimedRecord[][] {
  const groups: TimedRecord[][] = []
  for (let first = 0; first < 40; first += 5) {
    groups.push(Array.from({length: 5}, (_, i) => ({partition: 0, value: `p0-${first + i}`, timestamp: BASE + (first + i) * 1000})))
  }
  for (let first = 0; first < 20; first += 4) {
    groups.push(Array.from({length: 4}, (_, i) => ({partition: 1, value: `p1-${first + i}`, timestamp: BASE + 500 + (first + i) * 2000})))
  }
  groups.push([100_000, 90_000, 95_000].map((delta, i) => ({partition: 1, value: `p1-late-${i}`, timestamp: BASE + delta})))
  return groups
}

/** The index, in `records` (one partition, offset order), of the first record at or after `timestamp`. */
function firstAtOrAfter(records: DeliveredRecord[], timestamp: number): number {
  const found = records.findIndex((record) => record.timestamp >= timestamp)
  return found === -1 ? records.length : found
}

/** Each partition of `produced` from its log start, in offset order. */
function partitionsOf(produced: DeliveredRecord[], logStart: Record<number, number>): DeliveredRecord[][] {
  const partitions = [...new Set(produced.map((r) => r.partition))].sort((a, b) => a - b)
  return partitions.map((p) => produced.filter((r) => r.partition === p && r.offset >= (logStart[p] ?? 0)).sort((a, b) => a.offset - b.offset))
}

/** What a read from `from` (to before `until`) returns, as Kafka's ListOffsets by timestamp places it. */
function expectedBetween(produced: DeliveredRecord[], logStart: Record<number, number>, from: number, until = Infinity): Placed[] {
  return partitionsOf(produced, logStart).flatMap((records) =>
    records.slice(firstAtOrAfter(records, from), firstAtOrAfter(records, until)).map((r): Placed => [r.partition, r.offset, r.value]))
}

function sorted(records: Placed[]): Placed[] {
  return [...records].sort((a, b) => a[0] - b[0] || a[1] - b[1])
}

function kcatFrom(bootstrap: string, topic: string, args: string[]): Placed[] {
  return sorted(kcatConsume(bootstrap, topic, args).map((r): Placed => [r.partition, r.offset, r.value?.toString() ?? '']))
}

/** The first offset read in each partition. */
function firstOffsets(records: Placed[]): Record<number, number> {
  const first: Record<number, number> = {}
  for (const [partition, offset] of records) first[partition] ??= offset
  return first
}

/** kafkajs deleteTopicRecords; the error type of the partition when the broker refused. */
async function deleteRecords(bootstrap: string, topic: string, partition: number, offset: number): Promise<string | null> {
  return withKafkajsAdmin(bootstrap, async (admin) => {
    // kafkajs finds partition leaders in metadata it has loaded already
    await admin.fetchTopicMetadata({topics: [topic]})
    try {
      await admin.deleteTopicRecords({topic, partitions: [{partition, offset: String(offset)}]})
      return null
    } catch (error) {
      const refused = (error as {cause?: {partitions?: {error: {type?: string}}[]}}).cause?.partitions?.[0]?.error.type
      if (refused === undefined) throw error
      return refused
    }
  })
}

async function watermarks(bootstrap: string, topic: string): Promise<[low: string, high: string][]> {
  const offsets = await withKafkajsAdmin(bootstrap, (admin) => admin.fetchTopicOffsets(topic))
  return offsets.sort((a, b) => a.partition - b.partition).map((o) => [o.low, o.high])
}

describe('interop: reading by time, DeleteRecords and offset resets', function () {
  this.timeout(60_000)
  let daemon: TestDaemon
  let bootstrap: string
  let produced: DeliveredRecord[]

  before(async () => {
    daemon = await startTestDaemon({autoCreateTopics: false})
    bootstrap = daemon.bootstrap
    await withKafkajsAdmin(bootstrap, (admin) => admin.createTopics({topics: [{topic: 'timed', numPartitions: 2}, {topic: 'trimmed'}]}))
    produced = confluentProduceTimed(bootstrap, 'timed', timedGroups())
  })

  after(async () => {
    await daemon?.stop()
  })

  describe('kcat -o s@<timestamp> and weir consume --offset @<time>', () => {
    const points: [string, number][] = [
      ['before every record', BASE - 60_000],
      ['at a record\'s timestamp', BASE + 7000],
      ['between two records', BASE + 7001],
      ['inside a batch whose timestamps go back', BASE + 92_000],
      ['after every record', BASE + 200_000],
    ]

    for (const [label, timestamp] of points) {
      it(`kcat and weir start each partition at the first record at or after the time: ${label}`, () => {
        const expected = expectedBetween(produced, {}, timestamp)
        expect(kcatFrom(bootstrap, 'timed', ['-o', `s@${timestamp}`])).to.deep.equal(expected)
        expect(sorted(weirConsumeFrom(bootstrap, 'timed', `@${timestamp}`))).to.deep.equal(expected)
      })
    }

    it('the starting points are the records a reader expects', () => {
      expect(firstOffsets(kcatFrom(bootstrap, 'timed', ['-o', `s@${BASE + 7001}`]))).to.deep.equal({0: 8, 1: 4})
      // the first record of the late batch is the first at or after BASE + 92 s, though the next one is earlier
      expect(kcatFrom(bootstrap, 'timed', ['-o', `s@${BASE + 92_000}`])).to.deep.equal([[1, 20, 'p1-late-0'], [1, 21, 'p1-late-1'], [1, 22, 'p1-late-2']])
      // an ISO-8601 time: BASE + 38.5 s is p1-19's timestamp
      expect(sorted(weirConsumeFrom(bootstrap, 'timed', `@${new Date(BASE + 38_500).toISOString()}`)))
        .to.deep.equal([[0, 39, 'p0-39'], [1, 19, 'p1-19'], [1, 20, 'p1-late-0'], [1, 21, 'p1-late-1'], [1, 22, 'p1-late-2']])
    })

    it('kcat -o s@<start> -o e@<end> stops each partition before the first record at or after the end', () => {
      const [start, end] = [BASE + 5000, BASE + 9000]
      expect(kcatFrom(bootstrap, 'timed', ['-o', `s@${start}`, '-o', `e@${end}`])).to.deep.equal(expectedBetween(produced, {}, start, end))
    })
  })

  describe('DeleteRecords (kafkajs deleteTopicRecords)', () => {
    it('moves the log start: watermarks, kcat -o beginning and reads by time start there', async () => {
      expect(await deleteRecords(bootstrap, 'timed', 0, 10)).to.equal(null)
      expect(await watermarks(bootstrap, 'timed')).to.deep.equal([['10', '40'], ['0', '23']])
      expect(firstOffsets(kcatFrom(bootstrap, 'timed', ['-o', 'beginning']))).to.deep.equal({0: 10, 1: 0})
      for (const timestamp of [BASE - 60_000, BASE + 5000]) {
        const expected = expectedBetween(produced, {0: 10}, timestamp)
        expect(firstOffsets(expected)[0]).to.equal(10)
        expect(kcatFrom(bootstrap, 'timed', ['-o', `s@${timestamp}`]), `s@${timestamp}`).to.deep.equal(expected)
        expect(sorted(weirConsumeFrom(bootstrap, 'timed', `@${timestamp}`)), `@${timestamp}`).to.deep.equal(expected)
      }
    })

    it('refuses an offset past the log end with OFFSET_OUT_OF_RANGE and moves nothing', async () => {
      expect(await deleteRecords(bootstrap, 'timed', 0, 41)).to.equal('OFFSET_OUT_OF_RANGE')
      expect(await watermarks(bootstrap, 'timed')).to.deep.equal([['10', '40'], ['0', '23']])
    })
  })

  describe('a confluent-kafka consumer below the log start resets as auto.offset.reset says', () => {
    const values = (from: number, to: number): [number, string][] => Array.from({length: to - from}, (_, i) => [from + i, `t-${from + i}`])

    before(async () => {
      const groups = [0, 10, 20].map((first) => Array.from({length: 10}, (_, i) => ({partition: 0, value: `t-${first + i}`, timestamp: BASE + first + i})))
      confluentProduceTimed(bootstrap, 'trimmed', groups)
      expect(await deleteRecords(bootstrap, 'trimmed', 0, 20)).to.equal(null)
      expect(await watermarks(bootstrap, 'trimmed')).to.deep.equal([['20', '30']])
    })

    it('earliest: starts again at the log start and reads every record from there', () => {
      const outcome = confluentReset(bootstrap, 'trimmed', 0, 5, 'earliest', 0)
      expect({error: outcome.error, records: outcome.records}).to.deep.equal({error: null, records: values(20, 30)})
    })

    it('latest: waits at the log end and reads only the records that come after', () => {
      const outcome = confluentReset(bootstrap, 'trimmed', 0, 5, 'latest', 3)
      expect(outcome).to.deep.equal({fetchingFrom: 30, error: null, records: [[30, 'appended-0'], [31, 'appended-1'], [32, 'appended-2']]})
    })

    it('error: the consumer gets the offset out of range and reads nothing', () => {
      const outcome = confluentReset(bootstrap, 'trimmed', 0, 5, 'error', 0)
      expect(outcome.records).to.deep.equal([])
      expect(outcome.error?.name).to.equal('_AUTO_OFFSET_RESET')
      expect(outcome.error?.message).to.include('Offset out of range')
    })

    it('a position at or above the log start is read from there, without a reset', () => {
      const outcome = confluentReset(bootstrap, 'trimmed', 0, 25, 'latest', 0)
      expect({error: outcome.error, records: outcome.records})
        .to.deep.equal({error: null, records: [...values(25, 30), [30, 'appended-0'], [31, 'appended-1'], [32, 'appended-2']]})
    })

    it('DeleteRecords at -1 (the high watermark) leaves readers nothing before the next record', async () => {
      expect(await deleteRecords(bootstrap, 'trimmed', 0, -1)).to.equal(null)
      expect(await watermarks(bootstrap, 'trimmed')).to.deep.equal([['33', '33']])
      expect(kcatFrom(bootstrap, 'trimmed', ['-o', 'beginning'])).to.deep.equal([])
      expect(confluentReset(bootstrap, 'trimmed', 0, 5, 'earliest', 1)).to.deep.equal({fetchingFrom: 33, error: null, records: [[33, 'appended-0']]})
    })
  })
})
