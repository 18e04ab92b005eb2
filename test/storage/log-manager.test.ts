import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {
  InvalidConfigError,
  InvalidPartitionsError,
  InvalidTopicError,
  LogOfflineError,
  TopicExistsError,
  UnknownTopicError,
} from '../../src/storage/errors.js'
import {MIN_SEGMENT_BYTES} from '../../src/storage/log-config.js'
import {FaultInjectingFs} from '../../src/storage/fault-injecting-fs.js'
import {LogManager, type LogManagerOptions} from '../../src/storage/log-manager.js'
import {type PartitionLog} from '../../src/storage/partition-log.js'
import {expectRejection} from './expect-rejection.js'
import {buildBatch, recordsIn} from './record-batch.js'
import {useTempDirs} from './temp-dirs.js'
import {pause, waitFor} from './wait-for.js'

/** An Fs whose directory removals wait until the test lets them run. */
class HeldRemovalFs extends FaultInjectingFs {
  private release: () => void = () => {}
  private readonly released = new Promise<void>((resolve) => (this.release = resolve))

  override async removeTree(path: string): Promise<void> {
    await this.released
    await super.removeTree(path)
  }

  finishRemovals(): void {
    this.release()
  }
}

const LEAVE_OPEN_CHILD = fileURLToPath(new URL('./fixtures/leave-open-child.js', import.meta.url))

describe('LogManager', () => {
  const tempDir = useTempDirs()
  const managers: LogManager[] = []
  afterEach(async () => {
    for (const manager of managers.splice(0)) await manager.close().catch(() => undefined)
  })

  async function open(dataDir: string, lines: string[] = [], options: LogManagerOptions = {}): Promise<LogManager> {
    const manager = await LogManager.open(dataDir, {logger: (line) => lines.push(line), ...options})
    managers.push(manager)
    return manager
  }

  it('creates a topic: metadata file, partition directories and empty first segments', async () => {
    const dataDir = tempDir()
    const manager = await open(dataDir)
    const before = Date.now()
    const topic = await manager.createTopic({name: 'orders', partitions: 3, configs: {'segment.bytes': '2097152', 'cleanup.policy': 'delete'}})
    expect(topic.name).to.equal('orders')
    expect(topic.partitions).to.equal(3)
    expect(topic.topicId).to.match(/^[A-Za-z0-9_-]{22}$/)
    expect(topic.createdAt).to.be.at.least(before)
    expect(topic.configs).to.deep.equal({'segment.bytes': '2097152', 'cleanup.policy': 'delete'})
    const stored = JSON.parse(readFileSync(join(dataDir, 'meta', 'orders.json'), 'utf8'))
    expect(stored).to.deep.include({name: 'orders', topicId: topic.topicId, partitions: 3, createdAt: topic.createdAt})
    for (const p of [0, 1, 2]) {
      expect(readdirSync(join(dataDir, `orders-${p}`)).sort()).to.deep.equal(['00000000000000000000.index', '00000000000000000000.log', '00000000000000000000.timeindex'])
      expect(manager.partition('orders', p)?.logEndOffset).to.equal(0)
    }
    expect(manager.partition('orders', 3)).to.equal(undefined)
    expect(manager.topic('orders')).to.deep.equal(topic)
    expect(manager.topicById(topic.topicId)).to.deep.equal(topic)
  })

  it('refuses a second topic of the same name, even while the first is being created', async () => {
    const manager = await open(tempDir())
    const first = manager.createTopic({name: 'a', partitions: 1, configs: {}})
    await expectRejection(manager.createTopic({name: 'a', partitions: 2, configs: {}}), TopicExistsError, 'a concurrent create')
    await first
    await expectRejection(manager.createTopic({name: 'a', partitions: 1, configs: {}}), TopicExistsError, 'a later create')
    expect(manager.topics().map((t) => t.partitions)).to.deep.equal([1])
  })

  it('refuses illegal names, partition counts and config values', async () => {
    const manager = await open(tempDir())
    const refused = async (spec: {name: string; partitions: number; configs: Record<string, string>}, type: typeof InvalidTopicError): Promise<void> => {
      await expectRejection(manager.createTopic(spec), type, JSON.stringify(spec))
    }
    for (const name of ['', '.', '..', '../etc', 'a/b', 'a b', 'x'.repeat(250)]) await refused({name, partitions: 1, configs: {}}, InvalidTopicError)
    for (const partitions of [0, -1, 1.5]) await refused({name: 'p', partitions, configs: {}}, InvalidPartitionsError)
    await refused({name: 'c', partitions: 1, configs: {'segment.bytes': 'big'}}, InvalidConfigError)
    expect(manager.topics()).to.deep.equal([])
  })

  it('refuses segment.bytes below the minimum, and opens a topic stored with a smaller one at the minimum', async () => {
    const dataDir = tempDir()
    const strict = await open(dataDir)
    await expectRejection(strict.createTopic({name: 'tiny', partitions: 1, configs: {'segment.bytes': '4096'}}), InvalidConfigError, 'segment.bytes 4096')
    await strict.close()
    const lenient = await open(dataDir, [], {minSegmentBytes: 1024})
    await lenient.createTopic({name: 'tiny', partitions: 1, configs: {'segment.bytes': '4096'}})
    await lenient.close()
    const lines: string[] = []
    const reopened = await open(dataDir, lines)
    expect(lines).to.include(`tiny: segment.bytes 4096 is below the minimum ${MIN_SEGMENT_BYTES}; using ${MIN_SEGMENT_BYTES}`)
    const log = reopened.partition('tiny', 0) as PartitionLog
    for (let i = 0; i < 5; i++) log.append(buildBatch(['x'.repeat(3000)]))
    expect(log.segmentCount, 'rolled at the minimum, not at 4096 bytes').to.equal(1)
    expect(reopened.topic('tiny')?.configs, 'the stored config is kept as it was').to.deep.equal({'segment.bytes': '4096'})
  })

  it('lists topics sorted by name and reloads them, with their data, after close', async () => {
    const dataDir = tempDir()
    const manager = await open(dataDir)
    const zebra = await manager.createTopic({name: 'zebra', partitions: 1, configs: {}})
    const apple = await manager.createTopic({name: 'apple', partitions: 2, configs: {'retention.ms': '1000'}})
    manager.partition('apple', 1)?.append(buildBatch(['one', 'two']))
    manager.partition('zebra', 0)?.append(buildBatch(['three']))
    await manager.close()
    const reopened = await open(dataDir)
    expect(reopened.topics()).to.deep.equal([apple, zebra])
    expect(reopened.topicById(zebra.topicId)?.name).to.equal('zebra')
    expect(recordsIn(reopened.partition('apple', 1)?.read(0, 1000) as Buffer)).to.deep.equal([
      {offset: 0, value: 'one'},
      {offset: 1, value: 'two'},
    ])
    expect(reopened.partition('zebra', 0)?.logEndOffset).to.equal(1)
  })

  it('deletes a topic: metadata, partition directories, lookups; the name can be reused from offset 0', async () => {
    const dataDir = tempDir()
    const manager = await open(dataDir)
    const topic = await manager.createTopic({name: 'gone', partitions: 2, configs: {}})
    const log = manager.partition('gone', 0)
    log?.append(buildBatch(['a']))
    let woken = 0
    log?.onAppend(() => woken++)
    await manager.deleteTopic('gone')
    expect(woken, 'waiting fetches are woken').to.equal(1)
    expect(existsSync(join(dataDir, 'meta', 'gone.json'))).to.equal(false)
    expect(existsSync(join(dataDir, 'gone-0'))).to.equal(false)
    expect(existsSync(join(dataDir, 'gone-1'))).to.equal(false)
    expect(readdirSync(dataDir).filter((name) => name.startsWith('gone-') && !name.endsWith('-delete'))).to.deep.equal([])
    expect(manager.topic('gone')).to.equal(undefined)
    expect(manager.topicById(topic.topicId)).to.equal(undefined)
    expect(manager.partition('gone', 0)).to.equal(undefined)
    await expectRejection(manager.deleteTopic('gone'), UnknownTopicError, 'a second delete')
    const again = await manager.createTopic({name: 'gone', partitions: 1, configs: {}})
    expect(again.topicId).to.not.equal(topic.topicId)
    expect(manager.partition('gone', 0)?.logEndOffset).to.equal(0)
    await manager.close()
    expect(readdirSync(dataDir).filter((name) => name.startsWith('gone-'))).to.deep.equal(['gone-0'])
  })

  it('deletes without waiting for the files: renames the partition directories, frees the name, removes them in the background', async () => {
    const dataDir = tempDir()
    const fs = new HeldRemovalFs()
    const manager = await open(dataDir, [], {fs})
    await manager.createTopic({name: 'big', partitions: 2, configs: {}})
    manager.partition('big', 0)?.append(buildBatch(['old']))
    await manager.deleteTopic('big')
    const renamed = readdirSync(dataDir).filter((name) => name.startsWith('big-')).sort()
    expect(renamed).to.have.length(2)
    expect(renamed[0]).to.match(/^big-0\.[0-9a-f]{32}-delete$/)
    expect(renamed[1]).to.match(/^big-1\.[0-9a-f]{32}-delete$/)
    expect(readdirSync(join(dataDir, renamed[0] as string)), 'not removed yet').to.include('00000000000000000000.log')
    await manager.createTopic({name: 'big', partitions: 1, configs: {}})
    expect(manager.partition('big', 0)?.logEndOffset, 'a new, empty log').to.equal(0)
    fs.finishRemovals()
    await manager.close()
    expect(readdirSync(dataDir).filter((name) => name.startsWith('big-'))).to.deep.equal(['big-0'])
  })

  it("finishes removing directories a delete renamed but did not remove, and leaves alike names that are not a log's", async () => {
    const dataDir = tempDir()
    const leftover = join(dataDir, 'gone-3.0123456789abcdef0123456789abcdef-delete')
    mkdirSync(leftover, {recursive: true})
    writeFileSync(join(leftover, '00000000000000000000.log'), 'batches')
    writeFileSync(join(leftover, '00000000000000000000.index'), '')
    const emptied = join(dataDir, 'gone-4.fedcba9876543210fedcba9876543210-delete')
    mkdirSync(emptied)
    const notOurs = join(dataDir, 'photos-1.0123456789abcdef0123456789abcdef-delete')
    mkdirSync(notOurs)
    writeFileSync(join(notOurs, 'holiday.jpg'), 'jpeg')
    const lines: string[] = []
    const manager = await open(dataDir, lines)
    await manager.close()
    expect(existsSync(leftover)).to.equal(false)
    expect(existsSync(emptied)).to.equal(false)
    expect(existsSync(join(notOurs, 'holiday.jpg'))).to.equal(true)
    expect(lines.join('\n')).to.match(/gone-3\.0123456789abcdef0123456789abcdef-delete/)
  })

  it('removes partition directories left without metadata by an interrupted create or delete, and nothing else', async () => {
    const dataDir = tempDir()
    mkdirSync(join(dataDir, 'orphan-0'))
    writeFileSync(join(dataDir, 'orphan-0', '00000000000000000000.log'), '')
    mkdirSync(join(dataDir, 'photos-2024'))
    writeFileSync(join(dataDir, 'photos-2024', 'holiday.jpg'), 'jpeg')
    writeFileSync(join(dataDir, 'server.log'), 'daemon log')
    const lines: string[] = []
    await open(dataDir, lines)
    expect(existsSync(join(dataDir, 'orphan-0'))).to.equal(false)
    expect(existsSync(join(dataDir, 'photos-2024', 'holiday.jpg'))).to.equal(true)
    expect(existsSync(join(dataDir, 'server.log'))).to.equal(true)
    expect(lines.some((line) => line.includes('orphan-0'))).to.equal(true)
  })

  it('writes each partition flushed offset to the recovery-point checkpoint', async () => {
    const dataDir = tempDir()
    const manager = await open(dataDir)
    await manager.createTopic({name: 't', partitions: 2, configs: {}})
    manager.partition('t', 0)?.append(buildBatch(['a', 'b', 'c']))
    manager.partition('t', 1)?.append(buildBatch(['d']))
    await manager.flushAll()
    expect(readFileSync(join(dataDir, 'recovery-point-checkpoint'), 'utf8')).to.equal('0\n2\nt 0 3\nt 1 1\n')
  })

  it('writes the checkpoint on its interval only when a recovery point moved, and stops on close', async () => {
    const dataDir = tempDir()
    const fs = new FaultInjectingFs()
    const interval = 10
    const manager = await open(dataDir, [], {fs, checkpointIntervalMs: interval})
    await manager.createTopic({name: 't', partitions: 2, configs: {}})
    const checkpoint = join(dataDir, 'recovery-point-checkpoint')
    const contents = (): string => (existsSync(checkpoint) ? readFileSync(checkpoint, 'utf8') : '')
    const log = manager.partition('t', 1) as PartitionLog
    log.append(buildBatch(['a', 'b']))
    await log.flush()
    await waitFor(() => contents() === '0\n2\nt 0 0\nt 1 2\n', 'the first checkpoint')
    await pause(5 * interval) // the write's directory sync follows the rename that made the contents visible
    const syncs = fs.stats.syncs
    log.append(buildBatch(['c']))
    await pause(10 * interval)
    expect(fs.stats.syncs, 'an append alone moves no recovery point').to.equal(syncs)
    await log.flush()
    await waitFor(() => contents() === '0\n2\nt 0 0\nt 1 3\n', 'the moved recovery point')
    await manager.close()
    const afterClose = fs.stats.syncs
    await pause(10 * interval)
    expect(fs.stats.syncs, 'nothing written after close').to.equal(afterClose)
  })

  it('never keeps a process alive with its checkpoint timer', async () => {
    const child = spawn(process.execPath, [LEAVE_OPEN_CHILD, tempDir()], {stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      await waitFor(() => child.exitCode !== null, 'the child to exit by itself')
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    expect(await exited, output).to.equal(0)
    expect(output).to.equal('left open\n')
  })

  it('marks a clean shutdown on close and clears the mark on open; refuses work once closed', async () => {
    const dataDir = tempDir()
    const manager = await open(dataDir)
    await manager.createTopic({name: 't', partitions: 1, configs: {}})
    await manager.close()
    await manager.close()
    expect(existsSync(join(dataDir, 'clean-shutdown'))).to.equal(true)
    await expectRejection(manager.createTopic({name: 'u', partitions: 1, configs: {}}), LogOfflineError, 'a create after close')
    await open(dataDir)
    expect(existsSync(join(dataDir, 'clean-shutdown'))).to.equal(false)
  })
})
