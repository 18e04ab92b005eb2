import {expect} from 'chai'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

const TOPIC = 2
const BROKER = 4

describe('AlterConfigs handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open()
    await h.createTopic('orders', 1, {'cleanup.policy': 'compact', 'retention.ms': '1000'})
  })
  afterEach(() => h.close())

  const alter = async (resourceName: string, configs: {name: string; value: string | null}[], validateOnly = false, resourceType = TOPIC) =>
    (await h.call(ApiKey.AlterConfigs, 2, {resources: [{resourceType, resourceName, configs}], validateOnly})).responses[0]

  it('replaces the whole set of overrides, as Kafka does', async () => {
    expect(await alter('orders', [{name: 'retention.ms', value: '5000'}, {name: 'segment.ms', value: '60000'}]))
      .to.deep.include({errorCode: 0, errorMessage: null, resourceType: TOPIC, resourceName: 'orders'})
    expect(h.logs.topic('orders')!.configs).to.deep.equal({'retention.ms': '5000', 'segment.ms': '60000'})
    expect(h.lines.at(-1)).to.equal('topic orders configs are now retention.ms=5000,segment.ms=60000')
  })

  it('changes nothing when it only validates', async () => {
    expect((await alter('orders', [{name: 'retention.ms', value: '5000'}], true)).errorCode).to.equal(0)
    expect(h.logs.topic('orders')!.configs).to.deep.equal({'cleanup.policy': 'compact', 'retention.ms': '1000'})
  })

  it('refuses unknown keys, bad and null values with 40, naming the key, and changes nothing', async () => {
    for (const [config, message] of [
      [{name: 'no.such', value: '1'}, /unknown topic config "no.such"/],
      [{name: 'retention.ms', value: 'soon'}, /retention.ms=soon must be an integer/],
      [{name: 'segment.bytes', value: '1000'}, /segment.bytes=1000 must be at least 1048576/],
      [{name: 'retention.ms', value: null}, /"retention.ms" needs a value/],
    ] as const) {
      const response = await alter('orders', [config], false)
      expect(response.errorCode, config.name).to.equal(ErrorCode.INVALID_CONFIG)
      expect(response.errorMessage).to.match(message)
    }
    expect(h.logs.topic('orders')!.configs).to.deep.equal({'cleanup.policy': 'compact', 'retention.ms': '1000'})
  })

  it('refuses a key named twice and a topic named twice with 42, an unknown topic with 3', async () => {
    expect((await alter('orders', [{name: 'retention.ms', value: '1'}, {name: 'retention.ms', value: '2'}])).errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    const twice = await h.call(ApiKey.AlterConfigs, 1, {validateOnly: false, resources: [
      {resourceType: TOPIC, resourceName: 'orders', configs: []}, {resourceType: TOPIC, resourceName: 'orders', configs: []}]})
    expect(twice.responses.map(r => r.errorCode)).to.deep.equal([ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST])
    expect((await alter('nope', [])).errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  })

  it('keeps broker configs read-only: 42 for a known key, 40 for an unknown one, success for no change', async () => {
    const known = await alter('1', [{name: 'log.retention.hours', value: '1'}], false, BROKER)
    expect(known.errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    expect(known.errorMessage).to.match(/weir server start --config log.retention.hours=VALUE or in <data-dir>\/server.properties/)
    expect((await alter('', [{name: 'no.such', value: '1'}], false, BROKER)).errorCode).to.equal(ErrorCode.INVALID_CONFIG)
    expect((await alter('1', [], false, BROKER)).errorCode).to.equal(0)
    expect((await alter('7', [], false, BROKER)).errorCode).to.equal(ErrorCode.INVALID_REQUEST)
  })
})
