/**
 * The offset forms of consume and the topic administration commands (alter, describe configs, trim)
 * as a user runs them, against a real daemon on a temp data directory and a free port. The CLI runs
 * from the build this file was compiled into (weir-from-build.js), HOME is a temp directory.
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {type ProcessResult, cliEnvironment, expectOneErrorLine, runCli} from './weir-process.js'

const runner = join(dirname(fileURLToPath(import.meta.url)), 'weir-from-build.js')
const scratch = mkdtempSync(join(tmpdir(), 'weir-cli-admin-'))
const env = cliEnvironment(scratch)

describe('weir topics and consume against a daemon', function () {
  this.timeout(120_000)
  let daemon: TestDaemon
  let at: string[]

  function weir(args: string[], input?: string): ProcessResult {
    return runCli(runner, [...args, ...at], env, input)
  }

  /** Produces values with the given timestamps to partition 0 of `topic`. */
  function produceAt(topic: string, records: [string, number][]): void {
    const lines = records.map(([value, timestamp]) => JSON.stringify({key: null, value, timestamp, headers: []})).join('\n') + '\n'
    const produced = weir(['produce', topic, '--json', '--partition', '0', '-q'], lines)
    expect(produced.status, produced.stderr).to.equal(0)
  }

  function consume(topic: string, ...args: string[]): ProcessResult {
    return weir(['consume', topic, '-q', ...args])
  }

  before(async () => {
    daemon = await startTestDaemon()
    at = ['--socket', daemon.socket]
  })

  after(async () => {
    await daemon?.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  describe('consume --offset and --until', () => {
    const base = Date.UTC(2024, 4, 1, 12)
    before(() => {
      weir(['topics', 'create', 'timed', '--partitions', '1'])
      produceAt('timed', [['a', base], ['b', base + 1000], ['c', base + 2000], ['d', base + 3000], ['e', base + 4000]])
    })

    it('starts N records before the end with -N', () => {
      expect(consume('timed', '--offset', '-2', '--exit-at-end').stdout).to.equal('d\ne\n')
      expect(consume('timed', '-o', '-50', '--exit-at-end').stdout).to.equal('a\nb\nc\nd\ne\n')
    })

    it('starts at the first record at or after a time, in epoch ms or ISO-8601', () => {
      expect(consume('timed', '--offset', `@${base + 2000}`, '--exit-at-end').stdout).to.equal('c\nd\ne\n')
      expect(consume('timed', '--offset', 's@' + String(base + 1500), '--exit-at-end').stdout).to.equal('c\nd\ne\n')
      expect(consume('timed', '--offset', '@2024-05-01T12:00:03Z', '--exit-at-end').stdout).to.equal('d\ne\n')
      const after = consume('timed', '--offset', '@2030-01-01T00:00:00Z', '--exit-at-end')
      expect(after.status).to.equal(0)
      expect(after.stdout, 'no record at or after it: the end').to.equal('')
    })

    it('starts at a duration before now: records of 2024 are older than an hour', () => {
      produceAt('recent', [['old', base]])
      produceAt('recent', [['new', Date.now()]])
      expect(consume('recent', '--offset', '@-1h', '--exit-at-end').stdout).to.equal('new\n')
    })

    it('stops each partition at --until and ends by itself', () => {
      expect(consume('timed', '--from-beginning', '--until', '3').stdout).to.equal('a\nb\nc\n')
      expect(consume('timed', '--from-beginning', '--until', `@${base + 2000}`).stdout).to.equal('a\nb\n')
      expect(consume('timed', '--offset', '1', '--until', '@2024-05-01T12:00:03Z').stdout).to.equal('b\nc\n')
      expect(consume('timed', '--offset', '-2', '--until', 'latest').stdout).to.equal('d\ne\n')
      expect(consume('timed', '--offset', '3', '--until', '@-1h').stdout, 'a past time no record reaches: the end as it is').to.equal('d\ne\n')
      const counted = weir(['consume', 'timed', '--from-beginning', '--until', '2'])
      expect(counted.stderr).to.equal('Processed a total of 2 messages\n')
    })

    it('refuses malformed forms before connecting: exit 2, one line naming the flag', () => {
      expect(expectOneErrorLine(consume('timed', '--offset', '@yesterday'), 2)).to.include("--offset must be N, -N, earliest, latest, @TIME or @-DURATION, got '@yesterday'")
      expect(expectOneErrorLine(consume('timed', '--until', '-3'), 2)).to.include("--until must be N, earliest, latest, @TIME or @-DURATION, got '-3'")
    })
  })

  describe('topics alter and describe', () => {
    before(() => {
      expect(weir(['topics', 'create', 'orders', '--partitions', '2', '--config', 'retention.ms=100000']).status).to.equal(0)
    })

    it('describe shows the topic\'s own configs on the header line, as kafka-topics does', () => {
      const [header] = weir(['topics', 'describe', 'orders']).stdout.split('\n')
      expect(header).to.match(/^Topic: orders\tTopicId: \S+\tPartitionCount: 2\tReplicationFactor: 1\tConfigs: (.*,)?retention\.ms=100000(,|$)/)
    })

    it('sets and removes configs, one line per change, and describe --all-configs shows where each value comes from', () => {
      const altered = weir(['topics', 'alter', 'orders', '--config', 'retention.ms=5000', '--config', 'segment.bytes=1048576'])
      expect(altered.status, altered.stderr).to.equal(0)
      expect(altered.stdout).to.equal('Set retention.ms=5000 on topic orders.\nSet segment.bytes=1048576 on topic orders.\n')
      const all = weir(['topics', 'describe', 'orders', '--all-configs']).stdout.split('\n')
      expect(all.filter((line) => /^NAME +VALUE +SOURCE$/.test(line))).to.have.length(1)
      expect(all.find((line) => line.startsWith('retention.ms '))).to.match(/^retention\.ms +5000 +DYNAMIC_TOPIC_CONFIG$/)
      expect(all.find((line) => line.startsWith('cleanup.policy '))).to.match(/^cleanup\.policy +delete +DEFAULT_CONFIG$/)
      const removed = weir(['topics', 'alter', 'orders', '--delete-config', 'segment.bytes'])
      expect(removed.stdout).to.equal('segment.bytes of topic orders is now its default.\n')
      const json = JSON.parse(weir(['topics', 'describe', 'orders', '--json']).stdout)
      const set = Object.fromEntries(json.topics[0].configs.map((c: {name: string; value: string}) => [c.name, c.value]))
      expect(set).to.include({'retention.ms': '5000'})
      expect(set).to.not.have.property('segment.bytes')
    })

    it('grows the partitions; --dry-run changes nothing', () => {
      expect(weir(['topics', 'alter', 'orders', '--partitions', '4', '--dry-run']).stdout).to.equal('Would increase the partitions of topic orders from 2 to 4.\n')
      expect(weir(['topics', 'describe', 'orders']).stdout).to.include('PartitionCount: 2\t')
      expect(weir(['topics', 'alter', 'orders', '--partitions', '4']).stdout).to.equal('Increased the partitions of topic orders from 2 to 4.\n')
      expect(weir(['topics', 'describe', 'orders']).stdout).to.include('PartitionCount: 4\t')
      expect(JSON.parse(weir(['topics', 'alter', 'orders', '--partitions', '5', '--json']).stdout)).to.deep.equal(
        {topic: 'orders', dryRun: false, set: {}, deleted: [], partitions: {from: 4, to: 5}})
    })

    it('fails with one line for a bad config, fewer partitions, a missing topic, or nothing to do', () => {
      expect(expectOneErrorLine(weir(['topics', 'alter', 'orders', '--config', 'no.such.config=1']), 1)).to.include('no.such.config')
      expect(expectOneErrorLine(weir(['topics', 'alter', 'orders', '--config', 'retention.ms=soon']), 1)).to.include('retention.ms')
      expect(expectOneErrorLine(weir(['topics', 'alter', 'orders', '--partitions', '1']), 1)).to.include('INVALID_PARTITIONS')
      expect(expectOneErrorLine(weir(['topics', 'alter', 'ghost', '--config', 'retention.ms=1']), 1)).to.include("topic 'ghost' does not exist")
      expect(expectOneErrorLine(weir(['topics', 'alter', 'orders']), 2)).to.include('nothing to alter')
      expect(expectOneErrorLine(weir(['topics', 'create', 'bad', '--config', 'retention.ms=x']), 1)).to.include('retention.ms')
    })
  })

  describe('topics trim', () => {
    before(() => {
      weir(['topics', 'create', 'trimmed', '--partitions', '1'])
      produceAt('trimmed', Array.from({length: 10}, (_, i): [string, number] => [`r${i}`, 1000 * (i + 1)]))
    })

    it('needs --yes without a terminal', () => {
      expect(expectOneErrorLine(weir(['topics', 'trim', 'trimmed', '--before', '4']), 2)).to.include('--yes')
    })

    it('deletes the records before an offset and prints the log start offsets before and after', () => {
      const trimmed = weir(['topics', 'trim', 'trimmed', '--before', '4', '--yes'])
      expect(trimmed.status, trimmed.stderr).to.equal(0)
      expect(trimmed.stdout.split('\n')).to.deep.equal([
        'TOPIC    PARTITION  PRIOR-START-OFFSET  NEW-START-OFFSET',
        'trimmed  0          0                   4',
        '',
      ])
      expect(consume('trimmed', '--from-beginning', '--exit-at-end').stdout).to.equal('r4\nr5\nr6\nr7\nr8\nr9\n')
      const below = weir(['consume', 'trimmed', '--offset', '1', '--exit-at-end'])
      expect(below.stderr).to.include('Warning: trimmed/0 has log start offset 4 and log end offset 10; reading from 4 instead of 1.')
    })

    it('trims by time and keeps the last N records', () => {
      const byTime = JSON.parse(weir(['topics', 'trim', 'trimmed', '--before', '@6000', '--yes', '--json']).stdout)
      expect(byTime).to.deep.equal({topic: 'trimmed', partitions: [{partition: 0, priorStartOffset: 4, newStartOffset: 5, error: null}]})
      expect(weir(['topics', 'trim', 'trimmed', '--before', '-2', '--yes']).stdout).to.include('trimmed  0          5                   8')
      expect(consume('trimmed', '--from-beginning', '--exit-at-end').stdout).to.equal('r8\nr9\n')
    })

    it('refuses an offset past the end without deleting anything', () => {
      expect(expectOneErrorLine(weir(['topics', 'trim', 'trimmed', '--before', '11', '--yes']), 1)).to.include('trimmed/0 ends at offset 10, before 11')
      expect(consume('trimmed', '--from-beginning', '--exit-at-end').stdout).to.equal('r8\nr9\n')
    })
  })
})
