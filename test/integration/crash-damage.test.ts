// Damage injected into a partition's files while the daemon is down (after a clean stop or a kill -9),
// then a restart: the daemon must start, cut or rebuild what is damaged, and never serve a corrupt
// batch. What remains is checked against a read taken just before the damage: every record below the
// damaged byte is still there at its offset, nothing else is, offsets have no holes, and reads by
// offset and by timestamp agree with the log. Damage that cannot be cut off without a hole (a sealed
// segment cut in its middle) may instead be reported: the read then stops there with CORRUPT_MESSAGE.
import {expect} from 'chai'
import {randomBytes} from 'node:crypto'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {codecs, run} from '../interop/drivers.js'
import {createCrashTopic, partitionDir} from './crash-cycle.js'
import {checkLookups} from './crash-lookups.js'
import {LogReader, type PartitionRead} from './crash-log-reader.js'
import {type SegmentFiles, appendGarbage, cutAt, fileSize, framesOf, randomInt, segmentsOf, zeroFile} from './crash-segment-files.js'
import {describeVerdict, judgeAgainstBefore} from './crash-verdict.js'

interface Damage {
  title: string
  stop: 'clean' | 'kill -9'
  /** which segment of the partition is damaged */
  segment: 'last' | 'sealed'
  /**
   * The topic is written just before the stop, so that no checkpoint holds a recovery point past the
   * damage and recovery scans it; otherwise it was written before the first test, and the clean stops
   * since have moved its recovery point to its end.
   */
  writtenJustBefore?: boolean
  /** damages the files and returns the offset below which every record must survive */
  inflict(segment: SegmentFiles, before: PartitionRead): number
}

/** Every index file the segment has: the offset index, and the time index once storage writes one. */
function indexFiles(segment: SegmentFiles): string[] {
  return [segment.index, segment.timeindex].filter((path) => fileSize(path) > 0)
}

/** Cuts the .log at a random byte; the batches wholly before it must survive. */
function cutLog(segment: SegmentFiles, before: PartitionRead): number {
  const cut = randomInt(0, fileSize(segment.log))
  const torn = framesOf(segment.log).find((frame) => frame.position + frame.size > cut)
  cutAt(segment.log, cut)
  return torn?.baseOffset ?? before.highWatermark
}

const damages: Damage[] = [
  {title: 'index files of the last segment cut at a random byte', stop: 'kill -9', segment: 'last', inflict(segment, before) {
    for (const path of indexFiles(segment)) cutAt(path, randomInt(0, fileSize(path)))
    return before.highWatermark
  }},
  {title: 'index files of the last segment zeroed', stop: 'clean', segment: 'last', inflict(segment, before) {
    for (const path of indexFiles(segment)) zeroFile(path)
    return before.highWatermark
  }},
  {title: 'index files of a sealed segment zeroed', stop: 'clean', segment: 'sealed', inflict(segment, before) {
    for (const path of indexFiles(segment)) zeroFile(path)
    return before.highWatermark
  }},
  {title: 'index files of a sealed segment cut at a random byte', stop: 'kill -9', segment: 'sealed', inflict(segment, before) {
    for (const path of indexFiles(segment)) cutAt(path, randomInt(0, fileSize(path)))
    return before.highWatermark
  }},
  {title: 'garbage appended to the last segment', stop: 'kill -9', segment: 'last', inflict(segment, before) {
    appendGarbage(segment.log, randomInt(1, 5000))
    return before.highWatermark
  }},
  {title: 'garbage appended to the last segment', stop: 'clean', segment: 'last', inflict(segment, before) {
    appendGarbage(segment.log, randomInt(1, 5000))
    return before.highWatermark
  }},
  {title: 'last segment cut at a random byte', stop: 'kill -9', segment: 'last', inflict: cutLog},
  {title: 'last segment cut at a random byte', stop: 'clean', segment: 'last', inflict: cutLog},
  {title: 'a sealed segment cut at a random byte, above the recovery point', stop: 'kill -9', segment: 'sealed', writtenJustBefore: true, inflict: cutLog},
  {title: 'a sealed segment cut at a random byte, below the recovery point', stop: 'kill -9', segment: 'sealed', inflict: cutLog},
]

const RECORDS_PER_TOPIC = 30_000

describe('crash: injected damage is cut off or rebuilt, never served', function () {
  this.timeout(120_000)
  let dataDir: string
  let daemon: TestDaemon
  const topics = damages.map((_, i) => `damage-${i}`)

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'weir-damage-'))
    daemon = await startTestDaemon({dataDir})
    damages.forEach((damage, i) => {
      if (!damage.writtenJustBefore) fill(topics[i]!, i)
    })
  })

  after(async () => {
    try {
      await daemon?.stop()
    } finally {
      if (dataDir) await rm(dataDir, {recursive: true, force: true})
    }
  })

  /** About 3 MB makes several 1 MiB segments; batches of every codec, one codec per topic. */
  function fill(topic: string, i: number): void {
    createCrashTopic(daemon, topic)
    const lines = Array.from({length: RECORDS_PER_TOPIC}, (_, n) => `${topic}-${n}-${randomBytes(40).toString('hex')}`)
    run('kcat', ['-P', '-b', daemon.bootstrap, '-t', topic, '-p', '0', '-z', codecs[i % codecs.length]!], lines.join('\n') + '\n')
  }

  async function readBack(topic: string): Promise<{read: PartitionRead; lookups: string[]}> {
    const reader = await LogReader.open(daemon.socket, topic)
    try {
      const read = await reader.readAll()
      return {read, lookups: await checkLookups(reader, read, partitionDir(daemon, topic), 200)}
    } finally {
      reader.close()
    }
  }

  damages.forEach((damage, i) => {
    it(`${damage.title} (after ${damage.stop})`, async () => {
      const topic = topics[i]!
      if (damage.writtenJustBefore) fill(topic, i)
      const before = (await readBack(topic)).read
      expect(before.stoppedAt, 'the log before the damage reads to its end').to.equal(undefined)
      if (damage.stop === 'clean') await daemon.stop()
      else await daemon.kill9()
      const segments = segmentsOf(partitionDir(daemon, topic))
      expect(segments.length, 'segments to damage').to.be.at.least(2)
      const victim = damage.segment === 'last' ? segments.at(-1)! : segments[randomInt(0, segments.length - 1)]!
      const survivingEnd = damage.inflict(victim, before)
      await daemon.restart()

      const {read, lookups} = await readBack(topic)
      expect(read.corruptBatches, 'batches served with a bad CRC').to.deep.equal([])
      const reported = read.stoppedAt?.reason === 'CORRUPT_MESSAGE' && read.stoppedAt.offset === survivingEnd
      if (!reported) {
        expect(JSON.stringify(read.stoppedAt), `the read reaches the high watermark (damage below offset ${survivingEnd})`).to.equal(undefined)
        expect(read.highWatermark, 'log end after recovery').to.equal(survivingEnd)
      }
      const verdict = judgeAgainstBefore(read, before.records, survivingEnd)
      if (reported) verdict.corrupt = []
      expect(describeVerdict(verdict), `${damage.title}: what the read-back found`).to.equal('')
      expect(lookups, 'lookups by offset and timestamp').to.deep.equal([])
    })
  })
})
