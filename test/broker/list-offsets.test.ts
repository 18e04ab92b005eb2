import {expect} from 'chai'
import {ApiKey, ErrorCode, type ListOffsetsResponse} from '../../src/protocol/index.js'
import {CorruptLogError} from '../../src/storage/index.js'
import {BrokerHarness, batchOf, produceBody} from './broker-harness.js'

type Partition = ListOffsetsResponse['topics'][number]['partitions'][number]

describe('ListOffsets handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('clock', 1)
    // offsets 0-2 at t=100,200,300; offsets 3-4 at t=500,400
    for (const [values, timestamps] of [[['a', 'b', 'c'], [100, 200, 300]], [['d', 'e'], [500, 400]]] as const) {
      await h.call(ApiKey.Produce, 9, produceBody('clock', 0, await batchOf([...values], {timestamps: [...timestamps]})))
    }
  })
  afterEach(() => h.close())

  const list = async (version: number, timestamp: number, topic = 'clock', more: object = {}): Promise<Partition> =>
    (await h.call(ApiKey.ListOffsets, version, {replicaId: -1, isolationLevel: 0,
      topics: [{name: topic, partitions: [{partitionIndex: 0, timestamp, maxNumOffsets: 1, ...more}]}]})).topics[0].partitions[0]

  it('answers earliest (-2) and latest (-1)', async () => {
    expect(await list(1, -2)).to.include({errorCode: 0, offset: 0, timestamp: -1})
    expect(await list(7, -1)).to.include({errorCode: 0, offset: 5, timestamp: -1, leaderEpoch: 0})
  })

  it('finds the first record at or after a timestamp, inside a batch', async () => {
    expect(await list(4, 150)).to.include({offset: 1, timestamp: 200})
    expect(await list(4, 450)).to.include({offset: 3, timestamp: 500})
  })

  it('answers -1/-1 when every record is older', async () => {
    expect(await list(4, 10_000)).to.include({errorCode: 0, offset: -1, timestamp: -1, leaderEpoch: -1})
  })

  it('answers max timestamp (-3) with the record holding it', async () => {
    expect(await list(7, -3)).to.include({offset: 3, timestamp: 500})
  })

  it('answers v0 in the old form', async () => {
    expect((await list(0, -1)).oldStyleOffsets).to.deep.equal([5])
  })

  it('answers an unknown topic with 3', async () => {
    expect((await list(1, -1, 'nope')).errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  })

  it('answers a leader epoch newer than 0 with 75', async () => {
    expect((await list(4, -1, 'clock', {currentLeaderEpoch: 1})).errorCode).to.equal(ErrorCode.UNKNOWN_LEADER_EPOCH)
  })

  it('answers a lookup that hits a damaged batch with CORRUPT_MESSAGE, and logs it', async () => {
    const log = h.logs.partition('clock', 0)!
    const damaged = () => { throw new CorruptLogError('bad crc at byte 61') }
    Object.assign(log, {read: damaged, readFromTimestamp: damaged, batchWithMaxTimestamp: damaged})
    expect(await list(4, 150)).to.include({errorCode: ErrorCode.CORRUPT_MESSAGE, offset: -1})
    expect(await list(7, -3)).to.include({errorCode: ErrorCode.CORRUPT_MESSAGE, offset: -1})
    expect(h.lines.filter(line => line.startsWith('CORRUPT DATA in clock-0'))).to.have.length(1)
  })
})

describe('ListOffsets by timestamp over many segments', () => {
  const BATCHES = 60
  let h: BrokerHarness
  /** Every record as appended: batch i holds offsets 3i..3i+2 at times 1000i + 20, + 0, + 10 (out of order). */
  const records: {offset: number; timestamp: number}[] = []
  before(async () => {
    h = await BrokerHarness.open({}, {minSegmentBytes: 1024})
    await h.createTopic('clock', 1, {'segment.bytes': '1024', 'index.interval.bytes': '100'})
    for (let i = 0; i < BATCHES; i++) {
      const timestamps = [1000 * i + 20, 1000 * i, 1000 * i + 10]
      timestamps.forEach((timestamp, j) => records.push({offset: 3 * i + j, timestamp}))
      await h.call(ApiKey.Produce, 9, produceBody('clock', 0, await batchOf(['a', 'b', 'c'].map(v => v.repeat(40)), {timestamps})))
    }
  })
  after(() => h.close())

  const list = async (timestamp: number): Promise<{offset: number; timestamp: number; errorCode: number}> =>
    (await h.call(ApiKey.ListOffsets, 7, {replicaId: -1, isolationLevel: 0,
      topics: [{name: 'clock', partitions: [{partitionIndex: 0, timestamp, maxNumOffsets: 1}]}]})).topics[0].partitions[0]
  /** The answer by brute force: the first record at or above the log start whose timestamp is >= `timestamp`. */
  const expected = (timestamp: number) => {
    const start = h.logs.partition('clock', 0)!.logStartOffset
    return records.find(r => r.offset >= start && r.timestamp >= timestamp) ?? {offset: -1, timestamp: -1}
  }

  it('spans many segments', () => {
    expect(h.logs.partition('clock', 0)!.segmentCount).to.be.greaterThan(10)
  })

  it('finds the first record at or after every timestamp, as a scan of every record would', async () => {
    for (let i = 0; i < BATCHES; i++) {
      for (const at of [Math.max(0, 1000 * i - 1), 1000 * i + 5, 1000 * i + 15, 1000 * i + 21]) {
        expect(await list(at), `timestamp ${at}`).to.include({errorCode: 0, ...expected(at)})
      }
    }
  })

  it('skips records below a log start inside a batch, and finds the largest timestamp above it', async () => {
    await h.call(ApiKey.DeleteRecords, 2, {topics: [{name: 'clock', partitions: [{partitionIndex: 0, offset: 31}]}], timeoutMs: 1000})
    for (const at of [0, 10_005, 10_015, 10_025]) expect(await list(at), `timestamp ${at}`).to.include({errorCode: 0, ...expected(at)})
    expect(await list(-2)).to.include({offset: 31})
    expect(await list(-3)).to.include({offset: 3 * (BATCHES - 1), timestamp: 1000 * (BATCHES - 1) + 20})
  })
})
