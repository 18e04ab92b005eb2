import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect} from 'chai'
import {loadBrokerConfig} from '../../src/server/broker-config.js'
import {parseProperties} from '../../src/server/broker-config-file.js'
import {DaemonUsageError} from '../../src/server/errors.js'

describe('server.properties format', () => {
  it('reads key=value, key: value and key value lines, skipping comments and blanks', () => {
    const text = '# a comment\n! another\n\n  a=1\nb : two words \nc 3\nd=\ne\n'
    expect(parseProperties(text).map(({key, value}) => [key, value])).to.deep.equal(
      [['a', '1'], ['b', 'two words '], ['c', '3'], ['d', ''], ['e', '']])
  })

  it('joins continued lines and reads escapes, naming the line an entry starts on', () => {
    const text = 'x=1\nlist=a,\\\n    b,\\\n    c\nkey\\=with\\:sep=\\u0041\\tB\\\\\n'
    expect(parseProperties(text)).to.deep.equal([
      {key: 'x', value: '1', line: 1},
      {key: 'list', value: 'a,b,c', line: 2},
      {key: 'key=with:sep', value: 'A\tB\\', line: 5},
    ])
  })

  it('reads CRLF files', () => {
    expect(parseProperties('a=1\r\nb=2\r\n').map(e => e.value)).to.deep.equal(['1', '2'])
  })
})

describe('broker config of a daemon', () => {
  let dataDir: string
  beforeEach(async () => { dataDir = await mkdtemp(join(tmpdir(), 'weir-broker-config-')) })
  afterEach(() => rm(dataDir, {recursive: true, force: true}))

  it('is Kafka\'s defaults without a file or flags', () => {
    const {settings, notes} = loadBrokerConfig({dataDir, tcp: null})
    expect(settings).to.include({autoCreateTopics: true, numPartitions: 1})
    expect(settings.topicDefaults()).to.deep.equal({})
    expect(notes).to.deep.equal([])
  })

  it('takes the file, flags winning over it, and warns of keys it does not have', async () => {
    await writeFile(join(dataDir, 'server.properties'),
      'broker.id=0\nlog.retention.hours=2\nnum.partitions=3\nauto.create.topics.enable=false\n')
    const {settings, notes} = loadBrokerConfig({dataDir, tcp: null, defaultPartitions: 5, configs: {'log.segment.bytes': '2097152'}})
    expect(settings).to.include({autoCreateTopics: false, numPartitions: 5})
    expect(settings.topicDefaults()).to.deep.equal({'retention.ms': '7200000', 'segment.bytes': '2097152'})
    expect(notes[0]).to.match(/server.properties line 1: unknown broker config "broker.id" is ignored$/)
    expect(notes[1]).to.equal('broker configs: log.retention.hours=2 (server.properties), auto.create.topics.enable=false (server.properties), '
      + 'log.segment.bytes=2097152 (flag), num.partitions=5 (flag)')
  })

  it('refuses an unknown flag key and a bad value in the file or a flag, naming it', async () => {
    const refusal = (run: () => unknown): string => {
      try {
        run()
      } catch (error) {
        expect(error).to.be.instanceOf(DaemonUsageError)
        return (error as Error).message
      }
      throw new Error('accepted')
    }
    expect(refusal(() => loadBrokerConfig({dataDir, tcp: null, configs: {'log.retention.hour': '2'}})))
      .to.equal('--config: unknown broker config "log.retention.hour"')
    expect(refusal(() => loadBrokerConfig({dataDir, tcp: null, configs: {'num.partitions': 'many'}})))
      .to.equal('--config: broker config num.partitions=many must be an integer')
    await writeFile(join(dataDir, 'server.properties'), '# retention\nlog.retention.bytes=-5\n')
    expect(refusal(() => loadBrokerConfig({dataDir, tcp: null})))
      .to.equal(`${join(dataDir, 'server.properties')} line 2: broker config log.retention.bytes=-5 must be at least -1`)
  })
})
