import {expect} from 'chai'
import {ApiKey, ErrorCode, type CreateTopicsResponse} from '../../src/protocol/index.js'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {InvalidConfigError} from '../../src/storage/index.js'
import {BrokerHarness} from './broker-harness.js'

type TopicResult = CreateTopicsResponse['topics'][number]

describe('CreateTopics handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open({defaultPartitions: 2})
    await h.createTopic('existing')
  })
  afterEach(() => h.close())

  const topic = (name: string, more: object = {}) =>
    ({name, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [], ...more})
  const create = async (version: number, topics: object[], validateOnly = false): Promise<TopicResult[]> =>
    (await h.call(ApiKey.CreateTopics, version, {topics, timeoutMs: 1000, validateOnly})).topics

  it('creates a topic and answers v7 with its id, partitions and every config', async () => {
    const [result] = await create(7, [topic('orders', {numPartitions: 3, configs: [{name: 'retention.ms', value: '1000'}]})])
    expect(result).to.include({name: 'orders', errorCode: 0, errorMessage: null, numPartitions: 3, replicationFactor: 1})
    expect(result.topicId).to.equal(h.logs.topic('orders')?.topicId)
    expect(result.configs?.find(c => c.name === 'retention.ms')).to.include({value: '1000', configSource: 1})
    expect(result.configs?.find(c => c.name === 'cleanup.policy')).to.include({value: 'delete', configSource: 5})
    expect(h.logs.topic('orders')).to.include({partitions: 3})
    expect(h.logs.topic('orders')?.configs).to.deep.equal({'retention.ms': '1000'})
  })

  it('refuses what storage refuses with 40 and storage\'s message, even when only validating', async () => {
    h.logs.validateConfigs = () => { throw new InvalidConfigError('segment.ms must be at most 2147483647, not \'9999999999999\'') }
    for (const validateOnly of [true, false]) {
      const [result] = await create(7, [topic('orders', {configs: [{name: 'segment.ms', value: '9999999999999'}]})], validateOnly)
      expect(result).to.include({errorCode: ErrorCode.INVALID_CONFIG, errorMessage: 'segment.ms must be at most 2147483647, not \'9999999999999\''})
    }
    expect(h.logs.topic('orders')).to.equal(undefined)
  })

  it('reports a broker config set at start as the source of a config in force (4)', async () => {
    await h.close()
    h = await BrokerHarness.open({settings: BrokerSettings.from({'log.retention.hours': '1'})})
    const [result] = await create(7, [topic('orders')])
    expect(result.configs?.find(c => c.name === 'retention.ms')).to.include({value: '3600000', configSource: 4})
  })

  it('answers concurrent creations of one topic with one success and 36 for the rest', async () => {
    const results = await Promise.all([1, 2, 3].map(() => create(7, [topic('racing')])))
    const codes = results.map(([result]) => result.errorCode).sort((a, b) => a - b)
    expect(codes).to.deep.equal([0, ErrorCode.TOPIC_ALREADY_EXISTS, ErrorCode.TOPIC_ALREADY_EXISTS])
  })

  it('answers segment.bytes below 1 MiB with 40 and a message, and accepts 1 MiB', async () => {
    const [small] = await create(7, [topic('tiny', {configs: [{name: 'segment.bytes', value: '1048575'}]})])
    expect(small).to.include({errorCode: ErrorCode.INVALID_CONFIG})
    expect(small.errorMessage).to.match(/segment.bytes=1048575 must be at least 1048576/)
    expect(h.logs.topic('tiny')).to.equal(undefined)
    const [least] = await create(7, [topic('small', {configs: [{name: 'segment.bytes', value: '1048576'}]})])
    expect(least.errorCode).to.equal(0)
  })

  it('uses the default partition count for -1 (kafkajs sends -1 in v3)', async () => {
    const [result] = await create(3, [topic('defaults', {numPartitions: -1, replicationFactor: -1})])
    expect(result.errorCode).to.equal(0)
    expect(h.logs.topic('defaults')?.partitions).to.equal(2)
  })

  const refusals: [string, object, number][] = [
    ['an illegal name', topic('no spaces'), ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['an existing topic', topic('existing'), ErrorCode.TOPIC_ALREADY_EXISTS],
    ['zero partitions', topic('zero', {numPartitions: 0}), ErrorCode.INVALID_PARTITIONS],
    ['replication factor 3', topic('rf3', {replicationFactor: 3}), ErrorCode.INVALID_REPLICATION_FACTOR],
    ['an unknown config', topic('conf', {configs: [{name: 'no.such.config', value: '1'}]}), ErrorCode.INVALID_CONFIG],
    ['a bad config value', topic('conf2', {configs: [{name: 'retention.ms', value: 'soon'}]}), ErrorCode.INVALID_CONFIG],
    ['an internal topic', topic('__consumer_offsets'), ErrorCode.INVALID_REQUEST],
  ]
  for (const [what, spec, errorCode] of refusals) {
    it(`refuses ${what} with ${errorCode} and a message`, async () => {
      const [result] = await create(5, [spec])
      expect(result.errorCode).to.equal(errorCode)
      expect(result.errorMessage).to.be.a('string').and.not.equal('')
      expect(result.configs).to.equal(null)
    })
  }

  it('refuses a name that collides with an existing one once "." reads as "_"', async () => {
    await h.createTopic('metrics.cpu')
    const [result] = await create(4, [topic('metrics_cpu')])
    expect(result.errorCode).to.equal(ErrorCode.INVALID_TOPIC_EXCEPTION)
    expect(result.errorMessage).to.contain('metrics.cpu')
  })

  it('explains a replication factor above 1', async () => {
    const [result] = await create(4, [topic('rf2', {replicationFactor: 2})])
    expect(result.errorMessage).to.match(/1 available broker/)
  })

  it('refuses a topic named twice in one request, both times', async () => {
    const results = await create(4, [topic('twice'), topic('twice')])
    expect(results.map(r => r.errorCode)).to.deep.equal([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST])
    expect(h.logs.topic('twice')).to.equal(undefined)
  })

  it('creates nothing with validateOnly, yet reports success', async () => {
    const [result] = await create(5, [topic('dry', {numPartitions: 4})], true)
    expect(result).to.include({errorCode: 0, numPartitions: 4})
    expect(h.logs.topic('dry')).to.equal(undefined)
  })

  it('accepts a manual assignment of every partition to this broker', async () => {
    const assignments = [{partitionIndex: 1, brokerIds: [1]}, {partitionIndex: 0, brokerIds: [1]}]
    const [result] = await create(4, [topic('manual', {numPartitions: -1, replicationFactor: -1, assignments})])
    expect(result.errorCode).to.equal(0)
    expect(h.logs.topic('manual')?.partitions).to.equal(2)
  })

  it('refuses an assignment to another broker with 39', async () => {
    const [result] = await create(4, [topic('elsewhere', {numPartitions: -1, replicationFactor: -1,
      assignments: [{partitionIndex: 0, brokerIds: [2]}]})])
    expect(result.errorCode).to.equal(ErrorCode.INVALID_REPLICA_ASSIGNMENT)
  })
})
