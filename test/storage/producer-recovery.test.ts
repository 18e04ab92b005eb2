import {expect} from 'chai'
import {readdirSync, readFileSync, unlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {crc32c} from '@node-rs/crc32'
import {OutOfOrderSequenceError} from '../../src/storage/errors.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {decodeSnapshot, encodeSnapshot} from '../../src/storage/producer-snapshot.js'
import {buildBatch, buildControlBatch} from './record-batch.js'
import {useKilledChildren} from './kill-child.js'
import {useTempDirs} from './temp-dirs.js'

const SEGMENT_BYTES = 4096
const CHILD = fileURLToPath(new URL('./fixtures/producer-append-child.js', import.meta.url))
const configs = {'segment.bytes': String(SEGMENT_BYTES), 'index.interval.bytes': '256'}

/** The producer state a log shows, for comparing two loads of one log. */
function stateOf(log: PartitionLog): object {
  return {
    producers: log.activeProducers().sort((a, b) => (a.producerId < b.producerId ? -1 : 1)),
    lastStableOffset: log.lastStableOffset,
    aborted: log.abortedTransactions(0, log.logEndOffset),
  }
}

function idempotent(sequence: number, value = `v${sequence}`): Buffer {
  return buildBatch([value, 'x'.repeat(200)], {producerId: 77n, producerEpoch: 0, baseSequence: sequence})
}

describe('producer state across restarts and crashes', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })

  async function open(dataDir: string, options: {fs?: FaultInjectingFs; lines?: string[]; producerIdExpirationMs?: number} = {}): Promise<{manager: LogManager; log: PartitionLog}> {
    const {lines, ...rest} = options
    const manager = await LogManager.open(dataDir, {...rest, minSegmentBytes: SEGMENT_BYTES, logger: (line) => lines?.push(line)})
    managers.push(manager)
    if (manager.topic('t') === undefined) await manager.createTopic({name: 't', partitions: 1, configs})
    return {manager, log: manager.partition('t', 0) as PartitionLog}
  }

  /** 40 idempotent batches (sequences 0, 2, ...) with transactions of producer 78 between them, two aborted, the last one open. */
  function fill(log: PartitionLog): {baseOffset: number; sequence: number}[] {
    const appended: {baseOffset: number; sequence: number}[] = []
    for (let n = 0; n < 40; n++) {
      appended.push({baseOffset: log.append(idempotent(2 * n)).baseOffset, sequence: 2 * n})
      log.append(buildBatch([`t${n}`], {producerId: 78n, producerEpoch: 0, baseSequence: n, transactional: true}))
      if (n % 10 === 9 && n < 39) log.append(buildControlBatch({type: n % 20 === 9 ? 'ABORT' : 'COMMIT', producerId: 78n, producerEpoch: 0}))
    }
    return appended
  }

  /** The same log loaded from scratch: every snapshot and .txnindex removed, the whole log scanned. */
  async function rebuiltFromScratch(dataDir: string): Promise<object> {
    const dir = join(dataDir, 't-0')
    for (const name of readdirSync(dir)) if (name.endsWith('.snapshot') || name.endsWith('.txnindex')) unlinkSync(join(dir, name))
    writeFileSync(join(dataDir, 'recovery-point-checkpoint'), '0\n0\n')
    const {manager, log} = await open(dataDir)
    const state = stateOf(log)
    await manager.close()
    return state
  }

  it('keeps recognising retries after a clean restart, from the snapshot written at close without scanning', async () => {
    const dataDir = tempDir()
    const first = await open(dataDir)
    const appended = fill(first.log)
    const before = stateOf(first.log)
    const end = first.log.logEndOffset
    await first.manager.close()
    expect(readdirSync(join(dataDir, 't-0'))).to.include(`${String(end).padStart(20, '0')}.snapshot`)
    const fs = new FaultInjectingFs()
    const lines: string[] = []
    const {log} = await open(dataDir, {fs, lines})
    expect(lines.filter((line) => line.includes('producer state')), 'nothing scanned').to.deep.equal([])
    expect(stateOf(log)).to.deep.equal(before)
    // all of a producer's last 5 batches (5 requests in flight across the restart), not only its last
    for (const batch of appended.slice(-5)) expect(log.append(idempotent(batch.sequence)), `sequence ${batch.sequence}`).to.include({baseOffset: batch.baseOffset, duplicate: true})
    expect(() => log.append(idempotent((appended[appended.length - 6] as {sequence: number}).sequence))).to.throw(OutOfOrderSequenceError)
    const last = appended[appended.length - 1] as {baseOffset: number; sequence: number}
    expect(() => log.append(idempotent(last.sequence + 4))).to.throw(OutOfOrderSequenceError)
    expect(log.append(idempotent(last.sequence + 2)).duplicate).to.equal(false)
  })

  it('rebuilds the state after a crash from the snapshot below the recovery point and the log after it', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const {manager, log} = await open(dataDir, {fs})
    const appended = fill(log)
    await manager.flushAll()
    for (let n = 40; n < 45; n++) appended.push({baseOffset: log.append(idempotent(2 * n)).baseOffset, sequence: 2 * n})
    log.append(buildControlBatch({type: 'ABORT', producerId: 78n, producerEpoch: 0}))
    const before = stateOf(log)
    fs.crash()
    const reopened = await open(dataDir, {lines: []})
    expect(stateOf(reopened.log)).to.deep.equal(before)
    for (const batch of appended.slice(-5)) expect(reopened.log.append(idempotent(batch.sequence)), `sequence ${batch.sequence}`).to.include({baseOffset: batch.baseOffset, duplicate: true})
    await reopened.manager.close()
    expect(await rebuiltFromScratch(dataDir)).to.deep.equal(before)
  })

  it('writes a snapshot at each roll and deletes those of deleted segments', async () => {
    const dataDir = tempDir()
    const {log} = await open(dataDir)
    fill(log)
    const dir = join(dataDir, 't-0')
    const snapshots = (): number[] => readdirSync(dir).filter((name) => name.endsWith('.snapshot')).map((name) => Number(name.slice(0, 20)))
    const segments = readdirSync(dir).filter((name) => name.endsWith('.log')).map((name) => Number(name.slice(0, 20)))
    expect(segments.length).to.be.greaterThan(3)
    expect(snapshots()).to.deep.equal(segments.slice(1))
    const third = segments[2] as number
    await log.deleteRecordsBefore(third)
    expect(snapshots()).to.deep.equal(segments.slice(2))
  })

  it('removes an unreadable snapshot and one above the log end, and loads right all the same', async () => {
    const dataDir = tempDir()
    const {manager, log} = await open(dataDir)
    fill(log)
    const before = stateOf(log)
    const end = log.logEndOffset
    await manager.close()
    const dir = join(dataDir, 't-0')
    const newest = join(dir, `${String(end).padStart(20, '0')}.snapshot`)
    const bytes = readFileSync(newest)
    bytes[bytes.length - 1] ^= 0xff
    writeFileSync(newest, bytes)
    const beyond = join(dir, `${String(end + 100).padStart(20, '0')}.snapshot`)
    writeFileSync(beyond, encodeSnapshot([]))
    const lines: string[] = []
    const reopened = await open(dataDir, {lines})
    expect(lines.join('\n')).to.match(/unreadable producer snapshot \(CRC-32C mismatch\); removed/)
    expect(readdirSync(dir)).to.not.include.members([newest.slice(dir.length + 1), beyond.slice(dir.length + 1)])
    expect(stateOf(reopened.log)).to.deep.equal(before)
  })

  it('opens a log whose scan starts at a damaged batch, with the state of the batches after it', async () => {
    const dataDir = tempDir()
    const {manager, log} = await open(dataDir)
    fill(log)
    const before = stateOf(log)
    await manager.close()
    const dir = join(dataDir, 't-0')
    for (const name of readdirSync(dir)) if (name.endsWith('.snapshot')) unlinkSync(join(dir, name))
    const first = join(dir, '00000000000000000000.log')
    const bytes = readFileSync(first)
    bytes[16] = 7 // the first batch's magic
    writeFileSync(first, bytes)
    const lines: string[] = []
    const reopened = await open(dataDir, {lines})
    expect(lines.join('\n')).to.match(/CORRUPT/)
    expect(stateOf(reopened.log)).to.deep.equal(before)
  })

  it('forgets producers idle past producer.id.expiration.ms unless their transaction is open', async () => {
    const dataDir = tempDir()
    const {manager, log} = await open(dataDir, {producerIdExpirationMs: 60_000})
    const t = 1_700_000_000_000
    log.append(buildBatch(['a'], {producerId: 1n, producerEpoch: 0, baseSequence: 0, timestamp: t}))
    log.append(buildBatch(['b'], {producerId: 2n, producerEpoch: 0, baseSequence: 0, timestamp: t, transactional: true}))
    log.append(buildBatch(['c'], {producerId: 3n, producerEpoch: 0, baseSequence: 0, timestamp: t + 30_000}))
    await manager.enforceRetention(t + 60_000)
    expect(log.activeProducers().map((p) => p.producerId)).to.deep.equal([2n, 3n])
    // with its state gone, producer 1 may start anywhere (KIP-360)
    expect(log.append(buildBatch(['d'], {producerId: 1n, producerEpoch: 0, baseSequence: 57, timestamp: t})).duplicate).to.equal(false)
  })

  it('snapshots in Kafka\'s format: version 1, CRC-32C of what follows, 46-byte entries', () => {
    const entry = {producerId: 2n ** 60n + 1n, producerEpoch: 5, coordinatorEpoch: 3, lastTimestamp: 1_700_000_000_000,
      batches: [{firstSeq: 10, lastSeq: 14, firstOffset: 100, lastOffset: 104, timestamp: 1_700_000_000_000}], currentTxnFirstOffset: 90}
    const bytes = encodeSnapshot([entry])
    const expected = Buffer.from(
      '0001' + '00000000' + '00000001' + '1000000000000001' + '0005' + '0000000e' + '0000000000000068' + '00000004' +
      '0000018bcfe56800' + '00000003' + '000000000000005a', 'hex')
    expected.writeUInt32BE(crc32c(expected.subarray(6)), 2)
    expect(bytes.toString('hex')).to.equal(expected.toString('hex'))
    expect(decodeSnapshot(bytes)).to.deep.equal([entry])
    expect(decodeSnapshot(bytes.subarray(0, bytes.length - 1))).to.equal('CRC-32C mismatch')
  })

  it('keeps the batches before the last one in an extension after Kafka\'s entries, under the same CRC', () => {
    const batch = (firstSeq: number, firstOffset: number) => ({firstSeq, lastSeq: firstSeq + 1, firstOffset, lastOffset: firstOffset + 1, timestamp: 1_700_000_000_000 + firstOffset})
    const lone = {producerId: 1n, producerEpoch: 0, coordinatorEpoch: -1, lastTimestamp: 1_700_000_000_010, batches: [batch(0, 10)], currentTxnFirstOffset: -1}
    const five = {producerId: 2n, producerEpoch: 3, coordinatorEpoch: -1, lastTimestamp: 1_700_000_000_028,
      batches: [batch(0, 20), batch(2, 22), batch(4, 24), batch(6, 26), batch(8, 28)], currentTxnFirstOffset: -1}
    const bytes = encodeSnapshot([lone, five])
    expect(bytes.length).to.equal(10 + 2 * 46 + 4 + 4 + 4 * 24)
    // the entries are Kafka's: the last batch each
    expect(bytes.readInt32BE(10 + 46 + 10)).to.equal(9)
    expect(decodeSnapshot(bytes)).to.deep.equal([lone, five])
    expect(decodeSnapshot(encodeSnapshot([lone]))).to.deep.equal([lone])
    expect(encodeSnapshot([lone]).length).to.equal(10 + 46)
    const cut = bytes.subarray(0, bytes.length - 24)
    cut.writeUInt32BE(crc32c(cut.subarray(6)), 2)
    expect(decodeSnapshot(cut)).to.match(/do not fill/)
  })
})

describe('kill -9 of a process appending idempotent and transactional batches', function () {
  this.timeout(60_000)
  const tempDir = useTempDirs()
  const runUntilKilled = useKilledChildren()

  async function appendUntilKilled(dataDir: string, count: number): Promise<{baseOffset: number; sequence: number}[]> {
    const reported: {baseOffset: number; sequence: number}[] = []
    await runUntilKilled(CHILD, [dataDir, String(SEGMENT_BYTES)], (line) => {
      const [baseOffset, sequence] = line.split(' ').map(Number)
      reported.push({baseOffset: baseOffset as number, sequence: sequence as number})
      return reported.length >= count
    })
    return reported
  }

  it('recognises retries of the last batches it reported and agrees with a rebuild from the whole log', async () => {
    const dataDir = tempDir()
    const setup = await LogManager.open(dataDir, {minSegmentBytes: SEGMENT_BYTES})
    await setup.createTopic({name: 't', partitions: 1, configs})
    await setup.close()
    const reported = await appendUntilKilled(dataDir, 600)
    const manager = await LogManager.open(dataDir, {minSegmentBytes: SEGMENT_BYTES})
    let recovered: object
    try {
      const log = manager.partition('t', 0) as PartitionLog
      recovered = stateOf(log)
      const last = log.activeProducers().find((p) => p.producerId === 77n)?.lastSequence as number
      const reportedLast = reported[reported.length - 1] as {sequence: number}
      // the kill may come between an append and its line: the log may hold one batch more than reported
      expect(last === reportedLast.sequence + 1 || last === reportedLast.sequence + 3).to.equal(true)
      for (const batch of reported.slice(-4)) {
        expect(log.append(idempotent(batch.sequence)), `sequence ${batch.sequence}`).to.include({baseOffset: batch.baseOffset, duplicate: true})
      }
    } finally {
      await manager.close()
    }
    for (const name of readdirSync(join(dataDir, 't-0'))) if (name.endsWith('.snapshot') || name.endsWith('.txnindex')) unlinkSync(join(dataDir, 't-0', name))
    writeFileSync(join(dataDir, 'recovery-point-checkpoint'), '0\n0\n')
    const rebuilt = await LogManager.open(dataDir, {minSegmentBytes: SEGMENT_BYTES})
    try {
      expect(stateOf(rebuilt.partition('t', 0) as PartitionLog)).to.deep.equal(recovered)
    } finally {
      await rebuilt.close()
    }
  })
})
