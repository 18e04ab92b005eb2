// The lag `weir consumer-groups describe` prints equals what kafka-python 2.0.2's admin client
// computes from the same group's committed offsets (OffsetFetch) and end offsets (ListOffsets):
// a group that committed all of one topic and part of another, with records written since.
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {KafkaClient} from '../../src/client/index.js'
import {type ProcessResult, cliEnvironment, runCli} from '../cli/weir-process.js'
import {type TestDaemon, startTestDaemon} from '../helpers/daemon.js'
import {repoRoot, run, systemPython} from './drivers.js'

const weirFromBuild = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'weir-from-build.js')
const lagScript = join(repoRoot, 'test/interop/clients/kafka_python_lag.py')

type LagRow = [topic: string, partition: number, committed: number, end: number, lag: number]

interface DescribedOffsets {
  totalLag: number | null
  offsets: {topic: string; partition: number; currentOffset: number | null; logEndOffset: number | null; lag: number | null}[]
}

describe('consumer group lag against kafka-python', function () {
  this.timeout(120_000)
  let daemon: TestDaemon
  let scratch: string

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'weir-lag-'))
    daemon = await startTestDaemon({configs: {'group.initial.rebalance.delay.ms': '0'}})
  })

  after(async () => {
    await daemon?.stop()
    rmSync(scratch, {recursive: true, force: true})
  })

  function weir(args: string[]): ProcessResult {
    const result = runCli(weirFromBuild, [...args, '--socket', daemon.socket], cliEnvironment(scratch))
    expect(result.status, result.stderr).to.equal(0)
    return result
  }

  it('weir consumer-groups describe --json reports the lag kafka-python computes', async () => {
    await write({'lag-a': [30, 20, 10], 'lag-b': [5, 5]})
    weir(['consume', 'lag-a', '--group', 'lagging', '--from-beginning', '--exit-at-end', '--quiet'])
    weir(['consume', 'lag-b', '--group', 'lagging', '--from-beginning', '--max-messages', '3', '--quiet'])
    await write({'lag-a': [7, 0, 3], 'lag-b': [0, 2]})

    const python = JSON.parse(run(systemPython, [lagScript, daemon.bootstrap, 'lagging']).stdout.toString()) as LagRow[]
    const described = (JSON.parse(weir(['consumer-groups', 'describe', 'lagging', '--json']).stdout) as {groups: DescribedOffsets[]}).groups[0]!
    const committedRows: LagRow[] = described.offsets
      .filter((row) => row.currentOffset !== null)
      .map((row) => [row.topic, row.partition, row.currentOffset!, row.logEndOffset!, row.lag!])
    committedRows.sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1])

    expect(python.filter(([topic]) => topic === 'lag-a')).to.have.length(3)
    expect(committedRows).to.deep.equal(python)
    expect(described.totalLag).to.equal(python.reduce((sum, row) => sum + row[4], 0))
    expect(described.totalLag).to.be.greaterThan(0)
  })

  /** Writes counts[p] records to partition p of each topic, creating the topics. */
  async function write(counts: Record<string, number[]>): Promise<void> {
    const client = await KafkaClient.connect({socket: daemon.socket, clientId: 'lag-interop'})
    try {
      const admin = client.admin()
      const existing = new Set((await admin.listTopics()).map((topic) => topic.name))
      const missing = Object.entries(counts).filter(([topic]) => !existing.has(topic))
      if (missing.length > 0) await admin.createTopics(missing.map(([name, perPartition]) => ({name, partitions: perPartition.length})))
      const producer = client.producer({acks: -1})
      for (const [topic, perPartition] of Object.entries(counts)) {
        perPartition.forEach((count, partition) => {
          for (let i = 0; i < count; i++) producer.send({topic, partition, key: null, value: Buffer.from(`${topic}/${partition}/${i}`)})
        })
      }
      await producer.flush()
    } finally {
      await client.close()
    }
  }
})
