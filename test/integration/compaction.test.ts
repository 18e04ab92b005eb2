// Log compaction through a real daemon: a topic with cleanup.policy=compact is written by kcat with
// several values per key and a tombstone, over a few 1 MiB segments; once the log cleaner has run
// (log.cleaner.backoff.ms keeps its passes frequent), kcat and `weir consume` must both read, in the
// closed segments, only the latest record each key has there, at the offset it was written at, and
// everything in the active segment as written; a restart keeps the cleaned log. Records without a
// key are refused (INVALID_RECORD) and never stored.
//
// Cleaning is held off while the log is written and read as written (min.compaction.lag.ms of an
// hour: every segment holds records younger than that), then let go by altering that config to 0.
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {type TestDaemon} from '../helpers/daemon.js'
import {fromWeirJsonOutput, kcatConsume} from '../interop/drivers.js'
import {type ReadRecord} from '../interop/records.js'
import {segmentsOf} from './crash-segment-files.js'
import {type KeptDaemon, startKeptDaemon} from './kept-daemon.js'
import {pollUntil} from './poll.js'
import {type WeirCli} from './weir-cli.js'

const TOPIC = 'compacted'
const KEYS = 300
const ROUNDS = 8
/** Rounds written before the tombstone; the rounds after it leave its key alone. */
const ROUNDS_BEFORE_TOMBSTONE = 4
const TOMBSTONED = 'key-0007'
/** About 1 KB per record: 8 rounds of 300 keys make 2.4 MB, two closed 1 MiB segments and an active one. */
const PADDING = 'p'.repeat(1000)

const keyOf = (k: number): string => `key-${String(k).padStart(4, '0')}`

/** The text of a record, for comparisons: key and value (null for a tombstone) at its offset. */
function view(record: ReadRecord): string {
  return `${record.offset} ${record.key?.toString() ?? '<no key>'}=${record.value?.toString() ?? '<null>'}`
}

describe('compaction through a daemon', function () {
  this.timeout(60_000)
  let kept: KeptDaemon
  let daemon: TestDaemon
  let weir: WeirCli

  before(async () => {
    kept = await startKeptDaemon('weir-compaction-', {configs: {'log.cleaner.backoff.ms': '100'}})
    daemon = kept.daemon
    weir = kept.weir
    weir.createTopic(TOPIC, {'cleanup.policy': 'compact', 'segment.bytes': '1048576', 'min.cleanable.dirty.ratio': '0.01',
      'min.compaction.lag.ms': '3600000'})
  })

  after(() => kept?.close())

  /** kcat -P to partition 0 in small batches, so that segments hold many and the cleaner filters inside them. */
  function kcatProduce(lines: string[], extraArgs: string[] = []): {status: number | null; stderr: string} {
    const args = ['-P', '-b', daemon.bootstrap, '-t', TOPIC, '-p', '0', '-X', 'batch.num.messages=40', ...extraArgs]
    const result = spawnSync('kcat', args, {input: lines.join('\n') + '\n', timeout: 30_000})
    return {status: result.status, stderr: result.stderr.toString()}
  }

  function rounds(from: number, to: number, skip?: string): string[] {
    const lines: string[] = []
    for (let round = from; round < to; round++) {
      for (let k = 0; k < KEYS; k++) if (keyOf(k) !== skip) lines.push(`${keyOf(k)}:round-${round}-${PADDING}`)
    }
    return lines
  }

  function readWithKcat(): ReadRecord[] {
    return kcatConsume(daemon.bootstrap, TOPIC, ['-o', 'beginning', '-p', '0'])
  }

  function readWithWeir(): ReadRecord[] {
    const result = weir.run(['consume', TOPIC, '--from-beginning', '--exit-at-end', '--json', '-q'])
    expect(result.status, result.stderr).to.equal(0)
    return fromWeirJsonOutput(result.stdoutBytes)
  }

  it('keeps the latest record of each key in the closed segments, at its offset, as kcat and weir consume read it', async () => {
    expect(kcatProduce(rounds(0, ROUNDS_BEFORE_TOMBSTONE), ['-K', ':']).status).to.equal(0)
    expect(kcatProduce([`${TOMBSTONED}:`], ['-K', ':', '-Z']).status, 'the tombstone (-Z: an empty value is null)').to.equal(0)
    expect(kcatProduce(rounds(ROUNDS_BEFORE_TOMBSTONE, ROUNDS, TOMBSTONED), ['-K', ':']).status).to.equal(0)

    const written = readWithKcat()
    expect(written.map((record) => record.offset), 'offsets as written').to.deep.equal(written.map((_, i) => i))
    expect(written.length).to.equal(KEYS * ROUNDS - (ROUNDS - ROUNDS_BEFORE_TOMBSTONE) + 1)
    const tombstoneLine = `${KEYS * ROUNDS_BEFORE_TOMBSTONE} ${TOMBSTONED}=<null>`
    expect(written.filter((record) => record.value === null).map(view)).to.deep.equal([tombstoneLine])

    const altered = weir.run(['topics', 'alter', TOPIC, '--config', 'min.compaction.lag.ms=0'])
    expect(altered.status, altered.stderr).to.equal(0)
    const cleanedUpTo = await pollUntil(() => cleanedUpToOffset(), `a cleaning of ${TOPIC}-0 in server.log`)

    const activeBase = segmentsOf(join(daemon.dataDir, `${TOPIC}-0`)).at(-1)!.baseOffset
    expect(cleanedUpTo, 'the cleaning covers every closed segment').to.equal(activeBase)
    expect(activeBase, 'closed segments to clean').to.be.above(KEYS)
    // As in Kafka, the offset map covers the closed segments only: a key's latest record among them
    // stays even when the active segment holds a newer one.
    const closed = written.filter((record) => record.offset < activeBase)
    const latest = new Map(closed.map((record) => [record.key!.toString(), record.offset]))
    const expected = written.filter((record) => record.offset >= activeBase || latest.get(record.key!.toString()) === record.offset).map(view)
    expect(expected.length, 'the cleaning has something to drop').to.be.below(written.length)

    expect(readWithKcat().map(view), 'kcat -C after cleaning').to.deep.equal(expected)
    expect(readWithWeir().map(view), 'weir consume after cleaning').to.deep.equal(expected)
    expect(expected, 'the tombstone stays for delete.retention.ms (a day)').to.include(tombstoneLine)

    await daemon.stop()
    await daemon.restart()
    expect(readWithKcat().map(view), 'kcat -C after a restart').to.deep.equal(expected)
  })

  it('refuses a record without a key with INVALID_RECORD and does not store it', () => {
    const endBefore = readWithKcat().at(-1)?.offset ?? -1
    const fromKcat = kcatProduce(['a value without a key'])
    expect(fromKcat.status, 'kcat exits non-zero when a delivery fails').to.not.equal(0)
    // librdkafka speaks Produce v7, whose response carries no error message: only the code's text.
    expect(fromKcat.stderr).to.match(/Delivery failed for message: Broker: Broker failed to validate record/)
    const fromWeir = weir.run(['produce', TOPIC, '-p', '0'], 'another value without a key\n')
    expect(fromWeir.status).to.equal(1)
    expect(fromWeir.stderr).to.match(/INVALID_RECORD .*Compacted topic cannot accept message without key in topic partition compacted-0/)
    const after = readWithKcat()
    expect(after.at(-1)?.offset ?? -1, 'last offset').to.equal(endBefore)
    expect(after.filter((record) => record.key === null).map(view)).to.deep.equal([])
  })

  /** The offset the last cleaning of the topic's partition reached, from its line in server.log. */
  function cleanedUpToOffset(): number | undefined {
    const log = readFileSync(join(daemon.dataDir, 'server.log'), 'utf8')
    const matches = [...log.matchAll(new RegExp(`storage: ${TOPIC}-0: cleaned up to offset (\\d+)`, 'g'))]
    return matches.length === 0 ? undefined : Number(matches.at(-1)![1])
  }
})
