import {expect} from 'chai'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {ApiKey, ErrorCode, type DescribeConfigsResult} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

const TOPIC = 2
const BROKER = 4

describe('DescribeConfigs handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open({settings: BrokerSettings.from({'log.retention.hours': '2'})})
    await h.createTopic('orders', 1, {'cleanup.policy': 'compact'})
  })
  afterEach(() => h.close())

  const describeOne = async (version: number, resource: object, more: object = {}): Promise<DescribeConfigsResult> =>
    (await h.call(ApiKey.DescribeConfigs, version, {resources: [{configurationKeys: null, ...resource}], ...more})).results[0]

  it('lists every topic config with its value and source', async () => {
    const result = await describeOne(4, {resourceType: TOPIC, resourceName: 'orders'})
    expect(result).to.include({errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 'orders'})
    expect(result.configs).to.have.length(36)
    const byName = new Map(result.configs.map(c => [c.name, c]))
    expect(byName.get('cleanup.policy')).to.include({value: 'compact', configSource: 1, readOnly: false, isSensitive: false, configType: 7})
    expect(byName.get('retention.ms')).to.include({value: '7200000', configSource: 4, configType: 5})
    expect(byName.get('segment.bytes')).to.include({value: '1073741824', configSource: 5})
    expect(byName.get('retention.ms')!.synonyms).to.deep.equal([], 'no synonyms unless asked')
    expect(byName.get('retention.ms')!.documentation).to.equal(null, 'no documentation unless asked')
  })

  it('adds synonyms and documentation when asked, and filters by key', async () => {
    const result = await describeOne(4, {resourceType: TOPIC, resourceName: 'orders', configurationKeys: ['retention.ms', 'no.such']},
      {includeSynonyms: true, includeDocumentation: true})
    expect(result.configs).to.have.length(1)
    expect(result.configs[0].synonyms).to.deep.equal([{name: 'log.retention.hours', value: '2', source: 4}, {name: 'log.retention.hours', value: '168', source: 5}])
    expect(result.configs[0].documentation).to.match(/retention|older/)
  })

  it('answers v0 with IsDefault', async () => {
    const configs = (await describeOne(0, {resourceType: TOPIC, resourceName: 'orders'})).configs
    expect(configs.find(c => c.name === 'cleanup.policy')).to.include({isDefault: false})
    expect(configs.find(c => c.name === 'segment.bytes')).to.include({isDefault: true})
  })

  it('refuses an unknown topic with 3 and an illegal name with 17', async () => {
    expect(await describeOne(1, {resourceType: TOPIC, resourceName: 'nope'})).to.deep.include({
      errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'topic nope does not exist', configs: []})
    expect((await describeOne(1, {resourceType: TOPIC, resourceName: 'a b'})).errorCode).to.equal(ErrorCode.INVALID_TOPIC_EXCEPTION)
  })

  it('lists the broker configs of broker 1, read-only; none for the cluster default', async () => {
    const result = await describeOne(4, {resourceType: BROKER, resourceName: '1'}, {includeSynonyms: true})
    expect(result.errorCode).to.equal(0)
    const byName = new Map(result.configs.map(c => [c.name, c]))
    expect(byName.get('log.retention.hours')).to.deep.include({value: '2', configSource: 4, readOnly: true,
      synonyms: [{name: 'log.retention.hours', value: '2', source: 4}, {name: 'log.retention.hours', value: '168', source: 5}]})
    expect(byName.get('num.partitions')).to.include({value: '1', configSource: 5})
    expect(byName.get('log.retention.ms')).to.include({value: null})
    expect(await describeOne(4, {resourceType: BROKER, resourceName: ''})).to.deep.include({errorCode: 0, configs: []})
  })

  it('refuses another broker id, an unknown resource type and a resource named twice with 42', async () => {
    expect((await describeOne(4, {resourceType: BROKER, resourceName: '2'})).errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    expect((await describeOne(4, {resourceType: 8, resourceName: '1'})).errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    const twice = await h.call(ApiKey.DescribeConfigs, 1, {resources: [
      {resourceType: TOPIC, resourceName: 'orders', configurationKeys: null},
      {resourceType: TOPIC, resourceName: 'orders', configurationKeys: null}]})
    expect(twice.results.map(r => r.errorCode)).to.deep.equal([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST])
  })
})
