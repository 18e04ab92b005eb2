// Corruption below the recovery point, end to end: a topic is written over several 1 MiB segments,
// the daemon stops, bytes inside a record of one batch are flipped (its CRC-32C no longer matches)
// and the daemon restarts. The damaged batch must never be served: kcat and `weir consume` get the
// batches before it, then CORRUPT_MESSAGE; reads from the next batch on get the rest; server.log has
// the CORRUPT line and `weir server status` (text and --json) names the topic-partition and offset.
//
// - damage in a sealed segment after a clean stop: recovery does not scan it, the first read that
//   reaches it finds it;
// - damage in the last segment after a kill -9: recovery scans that segment from the recovery point's
//   segment on, finds it at start, and keeps it (it is below the recovery point, so not a torn tail).
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {type PublishedCorruption} from '../../src/layout/corruptions.js'
import {type TestDaemon} from '../helpers/daemon.js'
import {type FrameOnDisk, type SegmentFiles, framesOf, segmentsOf} from './crash-segment-files.js'
import {type KeptDaemon, startKeptDaemon} from './kept-daemon.js'
import {pollUntil} from './poll.js'
import {flipBytesInLastRecord} from './record-damage.js'
import {type WeirCli} from './weir-cli.js'

const TOPIC = 'damaged'
const RECORDS = 20_000
/** About 140 bytes per record: 2.8 MB, three segments of 1 MiB. */
const valueAt = (offset: number): string => `record-${String(offset).padStart(6, '0')}-${'v'.repeat(120)}`

/** What kcat's and weir's `%o %s` format prints for the records at offsets [from, to). */
function linesFor(from: number, to: number): string[] {
  return Array.from({length: to - from}, (_, i) => `${from + i} ${valueAt(from + i)}`)
}

interface Read {
  status: number | null
  lines: string[]
  stderr: string
}

interface Damage {
  /** first offset of the damaged batch */
  offset: number
  /** base offset of the batch after it, where reads may resume */
  next: number
}

describe('corruption below the recovery point through a daemon', function () {
  this.timeout(60_000)
  let kept: KeptDaemon
  let daemon: TestDaemon
  let weir: WeirCli

  before(async () => {
    kept = await startKeptDaemon('weir-corruption-')
    daemon = kept.daemon
    weir = kept.weir
    weir.createTopic(TOPIC, {'segment.bytes': '1048576'})
    const lines = Array.from({length: RECORDS}, (_, offset) => valueAt(offset))
    // Small batches: a segment holds many, so there are good batches on both sides of the damaged one.
    const produced = spawnSync('kcat', ['-P', '-b', daemon.bootstrap, '-t', TOPIC, '-p', '0', '-X', 'batch.num.messages=200'],
      {input: lines.join('\n') + '\n', timeout: 30_000})
    expect(produced.status, produced.stderr.toString()).to.equal(0)
    expect(kcatRead(0).lines, 'the log as written').to.deep.equal(linesFor(0, RECORDS))
  })

  after(() => kept?.close())

  function kcatRead(offset: number): Read {
    const args = ['-C', '-b', daemon.bootstrap, '-t', TOPIC, '-p', '0', '-o', String(offset), '-e', '-q', '-f', '%o %s\\n']
    const result = spawnSync('kcat', args, {timeout: 30_000, maxBuffer: 1 << 26})
    return {status: result.status, lines: linesOf(result.stdout.toString()), stderr: result.stderr.toString()}
  }

  function weirRead(offset: number): Read {
    const result = weir.run(['consume', TOPIC, '-p', '0', '--offset', String(offset), '--exit-at-end', '-q', '-f', '%o %s\\n'])
    return {status: result.status, lines: linesOf(result.stdout), stderr: result.stderr}
  }

  /** Flips bytes inside the last record of a batch in the middle of `segment`. */
  function damageBatchIn(segment: SegmentFiles): Damage {
    const frames = framesOf(segment.log)
    expect(frames.length, 'batches in the segment').to.be.at.least(3)
    const middle = Math.floor(frames.length / 2)
    const victim = frames[middle] as FrameOnDisk
    flipBytesInLastRecord(segment.log, victim)
    return {offset: victim.baseOffset, next: (frames[middle + 1] as FrameOnDisk).baseOffset}
  }

  /** Reads across, into and after the damage with kcat and weir consume. */
  function checkReads(damage: Damage): void {
    const kcatAcross = kcatRead(0)
    expect(kcatAcross.lines, 'kcat from the start: the batches before the damage').to.deep.equal(linesFor(0, damage.offset))
    expect(kcatAcross.status, 'kcat stops with an error at the damage').to.equal(1)
    // librdkafka's text for CORRUPT_MESSAGE (2) is "Invalid message".
    expect(kcatAcross.stderr).to.match(/Fetch from broker 1 failed: Broker: Invalid message/)
    const kcatInto = kcatRead(damage.offset + 1)
    expect(kcatInto.lines, 'kcat inside the damaged batch').to.deep.equal([])
    expect(kcatInto.stderr).to.match(/Broker: Invalid message/)
    const weirAcross = weirRead(0)
    expect(weirAcross.lines, 'weir consume from the start: the batches before the damage').to.deep.equal(linesFor(0, damage.offset))
    expect(weirAcross.status, 'weir consume stops with an error at the damage').to.equal(1)
    expect(weirAcross.stderr).to.match(new RegExp(`^Error: ${TOPIC}/0 at offset ${damage.offset}: CORRUPT_MESSAGE .*\\n$`))
    const weirInto = weirRead(damage.offset + 1)
    expect(weirInto.lines, 'weir consume inside the damaged batch').to.deep.equal([])
    expect(weirInto.stderr).to.match(new RegExp(`^Error: ${TOPIC}/0 at offset ${damage.offset + 1}: CORRUPT_MESSAGE`))
    for (const [reader, read] of [['kcat', kcatRead], ['weir consume', weirRead]] as const) {
      const after = read(damage.next)
      expect(after.lines, `${reader} from the batch after the damage`).to.deep.equal(linesFor(damage.next, RECORDS))
      expect(after.status, after.stderr).to.equal(0)
    }
  }

  /** The status lines about corruption, once the daemon has published a list naming `offset`. */
  async function statusListing(offset: number): Promise<string[]> {
    const wanted = `CORRUPT ${TOPIC}-0 at offset ${offset}: `
    return pollUntil(() => {
      const status = weir.server(['status'])
      expect(status.status, status.stderr).to.equal(0)
      const lines = status.stdout.split('\n')
      return lines.some((line) => line.startsWith(wanted)) ? lines.filter((line) => /^corrupt:|^CORRUPT /.test(line)) : undefined
    }, `weir server status to list ${wanted}`)
  }

  function checkJsonStatus(damage: Damage): void {
    const status = weir.server(['status', '--json'])
    expect(status.status, status.stderr).to.equal(0)
    const {corruptions} = JSON.parse(status.stdout) as {corruptions: PublishedCorruption[]}
    const listed = corruptions.find(({topic, partition, offset}) => topic === TOPIC && partition === 0 && offset === damage.offset)
    expect(listed?.reason, `${TOPIC}-0 at offset ${damage.offset} in ${status.stdout}`).to.match(/^bad-crc/)
    // An operator must not miss it: the lines go to stderr too, even under --json.
    expect(status.stderr).to.include(`CORRUPT ${TOPIC}-0 at offset ${damage.offset}: `)
  }

  function serverLog(): string {
    return readFileSync(join(daemon.dataDir, 'server.log'), 'utf8')
  }

  it('finds damage in a sealed segment when a read reaches it, serves around it and lists it', async () => {
    await daemon.stop()
    const segments = segmentsOf(join(daemon.dataDir, `${TOPIC}-0`))
    expect(segments.length, 'segments').to.be.at.least(3)
    const damage = damageBatchIn(segments[0]!)
    await daemon.restart()

    checkReads(damage)
    const listing = await statusListing(damage.offset)
    expect(listing[0]).to.match(/^corrupt: +1 batch not served \(details in server.log\)$/)
    expect(listing.slice(1)).to.have.length(1)
    expect(listing[1]).to.match(new RegExp(`^CORRUPT ${TOPIC}-0 at offset ${damage.offset}: bad-crc`))
    checkJsonStatus(damage)
    expect(serverLog()).to.include(`storage: ${TOPIC}-0: CORRUPT batch at offset ${damage.offset}, not served: bad-crc`)
  })

  it('finds damage in the last segment at start after a kill -9, keeps it and lists it', async () => {
    // A clean stop checkpoints the recovery point at the log end: the damage then lies below it.
    await daemon.stop()
    await daemon.restart()
    await daemon.kill9()
    const damage = damageBatchIn(segmentsOf(join(daemon.dataDir, `${TOPIC}-0`)).at(-1)!)
    await daemon.restart()

    // Recovery runs before the daemon listens, and the list it found is published before that too.
    const status = weir.server(['status'])
    expect(status.stdout).to.match(new RegExp(`^CORRUPT ${TOPIC}-0 at offset ${damage.offset}: bad-crc`, 'm'))
    checkJsonStatus(damage)
    expect(serverLog()).to.match(new RegExp(`storage: ${TOPIC}-0: CORRUPT batch at offset ${damage.offset}, not served: bad-crc`))
    const after = kcatRead(damage.next)
    expect(after.lines, 'kcat from the batch after the damage').to.deep.equal(linesFor(damage.next, RECORDS))
    const before = kcatRead(damage.offset - 1)
    expect(before.lines, 'kcat from the record before the damage').to.deep.equal(linesFor(damage.offset - 1, damage.offset))
    expect(before.stderr).to.match(/Broker: Invalid message/)
  })
})

function linesOf(text: string): string[] {
  return text.split('\n').filter((line) => line !== '')
}
