import {expect} from 'chai'
import {BrokerSettings} from '../../src/broker/broker-settings.js'
import {ApiKey, ErrorCode} from '../../src/protocol/index.js'
import {BrokerHarness} from './broker-harness.js'

const TOPIC = 2
const [SET, DELETE, APPEND, SUBTRACT] = [0, 1, 2, 3]

describe('IncrementalAlterConfigs handler', () => {
  let h: BrokerHarness
  beforeEach(async () => {
    h = await BrokerHarness.open({settings: BrokerSettings.from({'log.retention.ms': '9000'})})
    await h.createTopic('orders', 1, {'retention.ms': '1000', 'segment.ms': '60000'})
  })
  afterEach(() => h.close())

  const alter = async (configs: {name: string; configOperation: number; value: string | null}[], validateOnly = false, resourceName = 'orders') =>
    (await h.call(ApiKey.IncrementalAlterConfigs, 1, {resources: [{resourceType: TOPIC, resourceName, configs}], validateOnly})).responses[0]
  const configs = () => h.logs.topic('orders')!.configs

  it('sets and deletes single keys, leaving the others', async () => {
    expect((await alter([{name: 'retention.ms', configOperation: SET, value: '5000'}, {name: 'segment.ms', configOperation: DELETE, value: null},
      {name: 'max.message.bytes', configOperation: SET, value: '2048'}])).errorCode).to.equal(0)
    expect(configs()).to.deep.equal({'retention.ms': '5000', 'max.message.bytes': '2048'})
  })

  it('keeps every change of alterations of one topic sent at once', async () => {
    const changes = [['retention.bytes', '1000000'], ['segment.ms', '70000'], ['max.message.bytes', '4096'], ['flush.ms', '500'],
      ['delete.retention.ms', '1000'], ['segment.jitter.ms', '5'], ['flush.messages', '10'], ['min.insync.replicas', '1']]
    const answers = await Promise.all(changes.map(([name, value]) => alter([{name, configOperation: SET, value}])))
    expect(answers.map(answer => answer.errorCode)).to.deep.equal(changes.map(() => 0))
    expect(configs()).to.deep.equal({'retention.ms': '1000', ...Object.fromEntries(changes)})
  })

  it('deletes a key set to null, as Kafka does', async () => {
    expect((await alter([{name: 'retention.ms', configOperation: SET, value: null}])).errorCode).to.equal(0)
    expect(configs()).to.deep.equal({'segment.ms': '60000'})
  })

  it('appends to and subtracts from list configs, starting from the value in force', async () => {
    expect((await alter([{name: 'cleanup.policy', configOperation: APPEND, value: 'compact'}])).errorCode).to.equal(0)
    expect(configs()['cleanup.policy']).to.equal('delete,compact')
    expect((await alter([{name: 'cleanup.policy', configOperation: APPEND, value: 'compact,delete'}])).errorCode).to.equal(0)
    expect(configs()['cleanup.policy']).to.equal('delete,compact')
    expect((await alter([{name: 'cleanup.policy', configOperation: SUBTRACT, value: 'delete'}])).errorCode).to.equal(0)
    expect(configs()['cleanup.policy']).to.equal('compact')
    const emptied = await alter([{name: 'cleanup.policy', configOperation: SUBTRACT, value: 'compact'}])
    expect(emptied.errorCode).to.equal(ErrorCode.INVALID_CONFIG)
    expect(emptied.errorMessage).to.match(/cleanup.policy= must be a comma-separated list/)
  })

  it('refuses APPEND and SUBTRACT on a non-list key and an unknown key with 40', async () => {
    const append = await alter([{name: 'retention.ms', configOperation: APPEND, value: '1'}])
    expect(append).to.include({errorCode: ErrorCode.INVALID_CONFIG, errorMessage: 'cannot APPEND to retention.ms: it is not a list config'})
    expect((await alter([{name: 'no.such', configOperation: DELETE, value: null}])).errorCode).to.equal(ErrorCode.INVALID_CONFIG)
    expect((await alter([{name: 'retention.ms', configOperation: SET, value: '-5'}])).errorMessage).to.match(/retention.ms=-5 must be at least -1/)
    expect(configs()).to.deep.equal({'retention.ms': '1000', 'segment.ms': '60000'})
  })

  it('refuses an unknown operation, a null APPEND and a key named twice with 42', async () => {
    expect((await alter([{name: 'retention.ms', configOperation: 7, value: '1'}])).errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    expect((await alter([{name: 'cleanup.policy', configOperation: APPEND, value: null}])).errorCode).to.equal(ErrorCode.INVALID_REQUEST)
    expect((await alter([{name: 'retention.ms', configOperation: SET, value: '1'}, {name: 'retention.ms', configOperation: DELETE, value: null}]))
      .errorCode).to.equal(ErrorCode.INVALID_REQUEST)
  })

  it('validates without changing, and answers 3 for an unknown topic', async () => {
    expect((await alter([{name: 'retention.ms', configOperation: SET, value: '5'}], true)).errorCode).to.equal(0)
    expect(configs()['retention.ms']).to.equal('1000')
    expect((await alter([], false, 'nope')).errorCode).to.equal(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
  })
})
