import {expect} from 'chai'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CorruptMetadataError, InvalidTopicError} from '../../src/storage/errors.js'
import {nodeFileSystem} from '../../src/storage/fs.js'
import {newTopicId, type TopicMetadata, TopicStore, validateTopicName} from '../../src/storage/topic-store.js'
import {useTempDirs} from './temp-dirs.js'

describe('TopicStore', () => {
  const tempDir = useTempDirs()
  const topic = (name: string): TopicMetadata => ({name, topicId: newTopicId(), partitions: 2, configs: {'segment.bytes': '1024'}, createdAt: 1_732_000_000_000})

  it('makes topic ids of 16 random bytes in 22 base64url characters, never starting with -', () => {
    const ids = new Set(Array.from({length: 2000}, () => newTopicId()))
    expect(ids.size).to.equal(2000)
    for (const id of ids) {
      expect(id).to.match(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/)
      expect(Buffer.from(id, 'base64url')).to.have.length(16)
    }
  })

  it('accepts Kafka topic names and refuses anything else', () => {
    for (const name of ['orders', 'a.b_c-d', 'X'.repeat(249), '__consumer_offsets']) expect(() => validateTopicName(name), name).to.not.throw()
    for (const name of ['', '.', '..', 'a/b', 'a\\b', 'é', 'a b', 'a\nb', 'X'.repeat(250)]) {
      expect(() => validateTopicName(name), JSON.stringify(name)).to.throw(InvalidTopicError)
    }
  })

  it('writes <topic>.json atomically and loads every topic back, sorted by name', async () => {
    const dataDir = tempDir()
    const store = new TopicStore(nodeFileSystem, dataDir)
    expect(store.loadAll(() => {})).to.deep.equal([])
    const b = topic('b')
    const a = topic('a')
    await store.write(b)
    await store.write(a)
    expect(readdirSync(join(dataDir, 'meta')).sort()).to.deep.equal(['a.json', 'b.json'])
    expect(store.loadAll(() => {})).to.deep.equal([a, b])
    await store.remove('a')
    expect(store.loadAll(() => {})).to.deep.equal([b])
  })

  it('removes leftovers of interrupted writes', async () => {
    const dataDir = tempDir()
    const store = new TopicStore(nodeFileSystem, dataDir)
    await store.write(topic('kept'))
    writeFileSync(join(dataDir, 'meta', 'half.json.tmp'), '{"name":')
    const lines: string[] = []
    expect(store.loadAll((line) => lines.push(line)).map((t) => t.name)).to.deep.equal(['kept'])
    expect(existsSync(join(dataDir, 'meta', 'half.json.tmp'))).to.equal(false)
    expect(lines).to.have.length(1)
  })

  it('refuses to guess about a metadata file it cannot read', () => {
    const dataDir = tempDir()
    mkdirSync(join(dataDir, 'meta'))
    const store = new TopicStore(nodeFileSystem, dataDir)
    const valid = {version: 1, ...topic('t')}
    const cases: [string, string][] = [
      ['{not json', 'not JSON'],
      [JSON.stringify({...valid, name: 'other'}), 'does not match the file name'],
      [JSON.stringify({...valid, topicId: 'short'}), 'topicId'],
      [JSON.stringify({...valid, partitions: 0}), 'partitions'],
      [JSON.stringify({...valid, configs: {a: 1}}), 'configs'],
      [JSON.stringify({...valid, version: 2}), 'version'],
    ]
    for (const [contents, problem] of cases) {
      writeFileSync(join(dataDir, 'meta', 't.json'), contents)
      expect(() => store.loadAll(() => {}), problem).to.throw(CorruptMetadataError, problem)
    }
  })
})
